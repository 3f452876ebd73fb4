/**
 * The node against the contract (contract/checkmobi.ts): every operation, run by n8n's engine
 * with every field it offers set, must send its requests to one endpoint of the contract, with a
 * body of the contract's parameters and types; and every parameter of every endpoint must be
 * reachable from the node's fields. n8n drops parameters its description does not offer, so a
 * field the node forgets shows here as a parameter nobody can send.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CONTRACT } from '../../contract/checkmobi';
import type { Endpoint } from '../../contract/types';
import { resources } from '../../nodes/CheckMobi/actions/registry';
import { runCheckMobi } from '../helpers/checkMobi';
import { checkRequestBody, findEndpoint } from '../helpers/contract';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

const MOBILE = '+40 745 123 456';
const CALLBACK = 'http://127.0.0.1:9/callback';
const CLIENT_IP = '203.0.113.7';

/** Every call action with every attribute the reference gives it. */
const ALL_ACTIONS = [
	{ action: 'speak', text: 'Hello', loop: 2, voice: 'MAN', language: 'en-GB' },
	{ action: 'play', url: 'https://files.test.invalid/a.mp3', loop: 1 },
	{ action: 'send_dtmf', digits: '12#', async: false },
	{ action: 'wait', length: 2 },
	{ action: 'hangup', reason: 'busy', schedule: 30 },
	{ action: 'speak', text: 'Bye' },
];

interface Variant {
	label: string;
	parameters: INodeParameters;
	/** The node's field (a path into the parameters) → what it becomes on the wire: a body field, `{placeholder}` or `header:name`. */
	sends: Array<[string, string]>;
	/** Input items, made on the sandbox first where the operation needs an ID. */
	input?: () => Promise<IDataObject[]>;
}

interface OperationCase {
	resource: string;
	operation: string;
	variants: Variant[];
}

async function validationId(): Promise<IDataObject[]> {
	const answer = await sandbox.api.post('/validation/request', { number: '+40745123456', type: 'reverse_cli' });
	return [{ id: (answer.json as IDataObject).id }];
}
async function smsId(): Promise<IDataObject[]> {
	const answer = await sandbox.api.post('/sms/send', { to: '+40745123456', text: 'x' });
	return [{ id: (answer.json as IDataObject).id }];
}
async function callId(): Promise<IDataObject[]> {
	const answer = await sandbox.api.post('/call', { to: '+40745123456', events: [{ action: 'speak', text: 'x', loop: 0 }] });
	return [{ id: (answer.json as IDataObject).id }];
}

const byId = (input: () => Promise<IDataObject[]>): Variant => ({ label: 'by ID', parameters: { id: '={{ $json.id }}' }, sends: [['id', '{id}']], input });
const byNumber: Variant = { label: 'one number', parameters: { number: MOBILE }, sends: [['number', '{number}']] };
const bulk: Variant = {
	label: 'numbers of the items',
	parameters: { numbersFrom: 'eachItem', number: MOBILE, notificationCallback: CALLBACK },
	sends: [['number', 'numbers'], ['notificationCallback', 'notification_callback']],
};
const list: Variant = { label: 'all', parameters: { returnAll: true }, sends: [] };

const CASES: OperationCase[] = [
	{ resource: 'account', operation: 'get', variants: [{ label: 'as is', parameters: {}, sends: [] }] },
	{
		resource: 'validation',
		operation: 'request',
		variants: [
			{
				label: 'SMS, every option',
				parameters: {
					type: 'sms',
					number: MOBILE,
					options: { language: 'it', notificationCallback: CALLBACK, platform: 'android', androidAppHash: 'FA+9qCX9VSu', clientIp: CLIENT_IP },
				},
				sends: [
					['type', 'type'],
					['number', 'number'],
					['options.language', 'language'],
					['options.notificationCallback', 'notification_callback'],
					['options.platform', 'platform'],
					['options.androidAppHash', 'android_app_hash'],
					['options.clientIp', 'header:x-client-ip'],
				],
			},
			{ label: 'IVR, its language', parameters: { type: 'ivr', number: MOBILE, options: { language: 'de-DE' } }, sends: [['options.language', 'language']] },
			{ label: 'Missed Call', parameters: { type: 'reverse_cli', number: MOBILE }, sends: [['type', 'type']] },
		],
	},
	{
		resource: 'validation',
		operation: 'verify',
		variants: [
			{
				label: 'every field',
				parameters: { id: '={{ $json.id }}', pin: '1234', useServerHangup: true },
				sends: [['id', 'id'], ['pin', 'pin'], ['useServerHangup', 'use_server_hangup']],
				input: validationId,
			},
		],
	},
	{
		resource: 'validation',
		operation: 'requestAndWaitForVerification',
		variants: [{ label: 'SMS, the resume URL as callback', parameters: { type: 'sms', number: MOBILE }, sends: [['type', 'type'], ['number', 'number']] }],
	},
	{ resource: 'validation', operation: 'getStatus', variants: [byId(validationId)] },
	{
		resource: 'validation',
		operation: 'getRemoteConfig',
		variants: [
			{
				label: 'every field',
				parameters: { number: MOBILE, platform: 'android', options: { language: 'en' } },
				sends: [['number', 'number'], ['platform', 'platform'], ['options.language', 'language']],
			},
		],
	},
	{
		resource: 'sms',
		operation: 'send',
		variants: [
			{
				label: 'every option',
				parameters: {
					to: MOBILE,
					text: 'Hello',
					options: { from: 'CHKMOB', isTransactional: false, notificationCallback: CALLBACK, platform: 'web', clientIp: CLIENT_IP },
				},
				sends: [
					['to', 'to'],
					['text', 'text'],
					['options.from', 'from'],
					['options.isTransactional', 'is_transactional'],
					['options.notificationCallback', 'notification_callback'],
					['options.platform', 'platform'],
					['options.clientIp', 'header:x-client-ip'],
				],
			},
		],
	},
	{ resource: 'sms', operation: 'get', variants: [byId(smsId)] },
	{
		resource: 'sms',
		operation: 'sendAndWaitForDelivery',
		variants: [{ label: 'one SMS, the resume URL as callback', parameters: { to: MOBILE, text: 'Your order shipped' }, sends: [['to', 'to'], ['text', 'text']] }],
	},
	{
		resource: 'call',
		operation: 'place',
		variants: [
			{
				label: 'actions as JSON, every option',
				parameters: {
					to: MOBILE,
					eventsMode: 'json',
					eventsJson: JSON.stringify(ALL_ACTIONS),
					options: { from: '+12025550123', ringTimeout: 30, notificationCallback: CALLBACK, platform: 'ios', clientIp: CLIENT_IP },
				},
				sends: [
					['to', 'to'],
					['eventsJson', 'events'],
					['options.from', 'from'],
					['options.ringTimeout', 'ring_timeout'],
					['options.notificationCallback', 'notification_callback'],
					['options.platform', 'platform'],
					['options.clientIp', 'header:x-client-ip'],
				],
			},
			{
				label: 'actions as fields, each with every attribute',
				parameters: {
					to: MOBILE,
					events: {
						event: ALL_ACTIONS.map(({ action, ...attributes }) => ({ type: action, ...attributes })),
					} as unknown as INodeParameters,
				},
				sends: [['events', 'events']],
			},
		],
	},
	{
		resource: 'call',
		operation: 'placeAndWaitForEnd',
		variants: [
			{
				label: 'one call, the resume URL as callback',
				parameters: { to: MOBILE, eventsMode: 'json', eventsJson: '[{ "action": "speak", "text": "Hello" }]' },
				sends: [['to', 'to'], ['eventsJson', 'events']],
			},
		],
	},
	{ resource: 'call', operation: 'get', variants: [byId(callId)] },
	{ resource: 'call', operation: 'hangUp', variants: [byId(callId)] },
	{ resource: 'lookup', operation: 'validate', variants: [byNumber] },
	{ resource: 'lookup', operation: 'hlr', variants: [byNumber] },
	{ resource: 'lookup', operation: 'mnp', variants: [byNumber] },
	{ resource: 'lookup', operation: 'hlrBulk', variants: [bulk] },
	{ resource: 'lookup', operation: 'mnpBulk', variants: [bulk] },
	{ resource: 'number', operation: 'check', variants: [{ label: 'one number', parameters: { number: MOBILE }, sends: [['number', 'number']] }] },
	{ resource: 'country', operation: 'getAll', variants: [list] },
	{ resource: 'prefix', operation: 'getAll', variants: [list] },
];

/** What each operation sent, by endpoint: the wire names it used (body fields, {placeholders}, headers). */
const reached = new Map<Endpoint, Set<string>>();
const endpointOf = new Map<string, Endpoint>();

const variants = CASES.flatMap((c) => c.variants.map((variant) => [`${c.resource} → ${c.operation}`, variant.label, c, variant] as const));

test.each(variants)('%s (%s): requests to one contract endpoint, with its parameters and types', async (_operation, _label, operationCase, variant) => {
	const { resource, operation } = operationCase;
	const input = variant.input ? await variant.input() : undefined;
	const { lastSeq } = await sandbox.control.requests({ limit: 1 });

	const { error } = await runCheckMobi(sandbox, { resource, operation, ...variant.parameters }, input);

	expect(error).toBeUndefined();
	const requests = (await sandbox.control.requests({ since: lastSeq })).entries.filter((r) => r.endpoint !== 'GET /v1/my-account' || resource === 'account');
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		const found = findEndpoint(request.method, request.path);
		expect({ request: `${request.method} ${request.path}`, endpoint: found?.endpoint.name }).toEqual({
			request: `${request.method} ${request.path}`,
			endpoint: expect.any(String),
		});
		const { endpoint, params } = found!;
		// One operation, one endpoint.
		const key = `${resource}.${operation}`;
		expect(endpointOf.get(key) ?? endpoint).toBe(endpoint);
		endpointOf.set(key, endpoint);

		const wire = new Set([
			...Object.keys((request.json as IDataObject | null) ?? {}),
			...Object.keys(params).map((name) => `{${name}}`),
			...(endpoint.headers ?? []).filter((header) => request.headers[header] !== undefined).map((header) => `header:${header}`),
		]);
		// Recorded before the checks below, so that the reachability test names what is missing, not this endpoint.
		reached.set(endpoint, new Set([...(reached.get(endpoint) ?? []), ...wire]));

		expect(checkRequestBody(endpoint, request.json ?? undefined)).toEqual([]);

		// Each of the node's fields that was set shows on the wire under its contract name.
		for (const [field, onWire] of variant.sends) expect({ field, onWire, sent: wire.has(onWire) }).toEqual({ field, onWire, sent: true });
	}
});

test('every node operation was run above and maps to an endpoint of the contract', () => {
	const operations = Object.entries(resources).flatMap(([resource, operations]) => Object.keys(operations).map((operation) => `${resource}.${operation}`));
	expect(operations.filter((key) => !endpointOf.has(key))).toEqual([]);
});

test('every parameter of every endpoint is reachable from the node\'s fields, and every endpoint from an operation', () => {
	const unreachable: string[] = [];
	for (const endpoint of CONTRACT.endpoints) {
		const wire = reached.get(endpoint);
		if (!wire) {
			unreachable.push(`${endpoint.name}: no operation of the node calls it`);
			continue;
		}
		const wanted = [
			...Object.keys(endpoint.params ?? {}),
			...Object.keys(endpoint.pathParams ?? {}).map((name) => `{${name}}`),
			...(endpoint.headers ?? []).map((header) => `header:${header}`),
		];
		for (const name of wanted) if (!wire.has(name)) unreachable.push(`${endpoint.name}: ${name}`);
	}
	expect(unreachable).toEqual([]);
});
