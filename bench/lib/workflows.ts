/**
 * The workflows the benchmarks run in a real n8n. Every item benchmark has the same shape:
 *
 *   Webhook (POST, answers when the run is done) → Split Out (body.items → one item each) → node under test
 *
 * so the items come from the request body, are made inside n8n's main process (no Code node, no
 * task runner), and the node under test's own time is read from the saved execution
 * (runData[node][0].executionTime).
 */
import { randomUUID } from 'node:crypto';

import {
	chain,
	CHECKMOBI_CREDENTIAL_TYPE,
	node,
	workflow,
	type CredentialJson,
	type WorkflowJson,
	type WorkflowNodeJson,
} from '../../scripts/lib/n8n';
import { CHECKMOBI_NODE_TYPE, CHECKMOBI_TRIGGER_TYPE, CHECKMOBI_TRIGGER_VERSION } from '../../scripts/lib/examples';

/** What a user adding the HTTP Request node in n8n 2.41 gets. */
export const HTTP_REQUEST_VERSION = 4.5;
export const TARGET = 'Under Test';

export const CHECKMOBI_CREDENTIAL = { id: 'benchCheckMobi01', name: 'CheckMobi (bench)' };
export const HEADER_AUTH_CREDENTIAL = { id: 'benchHeaderAuth1', name: 'CheckMobi key as header (bench)' };

export function credentials(sandbox: { url: string; secretKey: string; signatureKey: string }): CredentialJson[] {
	return [
		{
			...CHECKMOBI_CREDENTIAL,
			type: CHECKMOBI_CREDENTIAL_TYPE,
			data: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		},
		{
			...HEADER_AUTH_CREDENTIAL,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: sandbox.secretKey },
		},
	];
}

/** Phone numbers +40 750 0NN NNN: Romanian mobiles, never a magic 9999NN number. */
export function phone(index: number): string {
	return `+40750${String(index).padStart(6, '0')}`;
}

export function itemsBody(count: number, offset = 0): string {
	const items = Array.from({ length: count }, (_, i) => ({ phone: phone(offset + i) }));
	return JSON.stringify({ items });
}

export type Operation = 'hlr' | 'sms';

export interface CheckMobiSettings {
	operation: Operation | 'hlrBulk' | 'hlrBulkList';
	concurrency?: number;
	pace?: boolean;
	callbackUrl?: string;
}

export function checkMobiNode(settings: CheckMobiSettings): WorkflowNodeJson {
	const options: Record<string, unknown> = {};
	if (settings.concurrency !== undefined && settings.concurrency !== 1) options.concurrency = settings.concurrency;
	if (settings.pace === false) options.paceToAccountLimits = false;
	let parameters: Record<string, unknown>;
	if (settings.operation === 'hlr') {
		parameters = { resource: 'lookup', operation: 'hlr', number: '={{ $json.phone }}', options };
	} else if (settings.operation === 'sms') {
		parameters = { resource: 'sms', operation: 'send', to: '={{ $json.phone }}', text: 'Your order has shipped.', options };
	} else if (settings.operation === 'hlrBulkList') {
		parameters = {
			resource: 'lookup',
			operation: 'hlrBulk',
			numbersFrom: 'list',
			numbers: '={{ $json.phone }}',
			notificationCallback: settings.callbackUrl,
			options: {},
		};
	} else {
		parameters = {
			resource: 'lookup',
			operation: 'hlrBulk',
			numbersFrom: 'eachItem',
			number: '={{ $json.phone }}',
			notificationCallback: settings.callbackUrl,
			options: {},
		};
	}
	return node(TARGET, CHECKMOBI_NODE_TYPE, parameters, {
		typeVersion: 1,
		credentials: { [CHECKMOBI_CREDENTIAL_TYPE]: CHECKMOBI_CREDENTIAL },
	});
}

export interface Batching {
	batchSize: number;
	batchInterval: number;
}

/** n8n's HTTP Request node making the same request as the CheckMobi node, with the key in a Header Auth credential. */
export function httpRequestNode(operation: Operation, apiBaseUrl: string, batching?: Batching): WorkflowNodeJson {
	const options: Record<string, unknown> = batching ? { batching: { batch: batching } } : {};
	const common = {
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		options,
	};
	const parameters =
		operation === 'hlr'
			? { ...common, method: 'GET', url: `={{ '${apiBaseUrl}/v1/lookup/hlr/' + $json.phone.slice(1) }}` }
			: {
					...common,
					method: 'POST',
					url: `${apiBaseUrl}/v1/sms/send`,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'keypair',
					bodyParameters: {
						parameters: [
							{ name: 'to', value: '={{ $json.phone }}' },
							{ name: 'text', value: 'Your order has shipped.' },
						],
					},
				};
	return node(TARGET, 'n8n-nodes-base.httpRequest', parameters, {
		typeVersion: HTTP_REQUEST_VERSION,
		credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
	});
}

export function noOpNode(name = TARGET): WorkflowNodeJson {
	return node(name, 'n8n-nodes-base.noOp', {}, { typeVersion: 1 });
}

/** Webhook → Split Out → target. The webhook answers (empty body) when the run is over. */
export function itemsWorkflow(id: string, name: string, target: WorkflowNodeJson): { workflow: WorkflowJson; path: string } {
	const path = `bench-${id}`;
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		{ httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} },
		{ typeVersion: 2, webhookId: randomUUID() },
	);
	const split = node('Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} }, { typeVersion: 1 });
	return { workflow: workflow({ id, name, nodes: [webhook, split, target], connections: chain('Webhook', 'Split Out', TARGET) }), path };
}

/** Webhook → Split Out → Aggregate (the phone field of every item into one list) → target. */
export function aggregatedItemsWorkflow(id: string, name: string, target: WorkflowNodeJson): { workflow: WorkflowJson; path: string } {
	const { workflow: base, path } = itemsWorkflow(id, name, target);
	const aggregate = node(
		'Aggregate',
		'n8n-nodes-base.aggregate',
		{ aggregate: 'aggregateIndividualFields', fieldsToAggregate: { fieldToAggregate: [{ fieldToAggregate: 'phone', renameField: false }] }, options: {} },
		{ typeVersion: 1 },
	);
	const [webhook, split, last] = base.nodes;
	return { workflow: { ...base, nodes: [webhook, split, aggregate, last], connections: chain('Webhook', 'Split Out', 'Aggregate', TARGET) }, path };
}

/** CheckMobi Trigger → No Op, every event; by default signature checked and repeat memory on. */
export function triggerWorkflow(
	id: string,
	options: { ignoreRepeatedDeliveries?: boolean; verifySignature?: boolean } = {},
): { workflow: WorkflowJson; path: string } {
	const webhookId = randomUUID();
	const trigger = node(
		'CheckMobi Trigger',
		CHECKMOBI_TRIGGER_TYPE,
		{
			...(options.verifySignature === false ? { verifySignature: false } : {}),
			options: options.ignoreRepeatedDeliveries === false ? { ignoreRepeatedDeliveries: false } : {},
		},
		{ typeVersion: CHECKMOBI_TRIGGER_VERSION, webhookId, credentials: { [CHECKMOBI_CREDENTIAL_TYPE]: CHECKMOBI_CREDENTIAL } },
	);
	const variant = [options.verifySignature === false ? 'no signature check' : '', options.ignoreRepeatedDeliveries === false ? 'no repeat memory' : '']
		.filter(Boolean)
		.join(', ');
	return {
		workflow: workflow({ id, name: `bench: CheckMobi Trigger${variant ? ` (${variant})` : ''}`, nodes: [trigger, noOpNode('Done')], connections: chain('CheckMobi Trigger', 'Done') }),
		path: `${webhookId}/webhook`,
	};
}

/**
 * n8n's own Webhook node → No Op, answering at once like the trigger. With `headerAuth` it checks
 * the Authorization header against a Header Auth credential: n8n then loads a credential per
 * request, as it does for the trigger's signature key.
 */
export function webhookWorkflow(id: string, options: { headerAuth?: boolean } = {}): { workflow: WorkflowJson; path: string } {
	const path = `bench-hook-${id}`;
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		{ httpMethod: 'POST', path, responseMode: 'onReceived', ...(options.headerAuth ? { authentication: 'headerAuth' } : {}), options: {} },
		{ typeVersion: 2, webhookId: randomUUID(), ...(options.headerAuth ? { credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL } } : {}) },
	);
	const name = `bench: Webhook node${options.headerAuth ? ' (Header Auth)' : ''}`;
	return { workflow: workflow({ id, name, nodes: [webhook, noOpNode('Done')], connections: chain('Webhook', 'Done') }), path };
}
