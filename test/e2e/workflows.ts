/**
 * Workflows the end-to-end suite imports besides the examples: every operation of the CheckMobi
 * node in one run, a trigger that takes every kind of callback, and a run that asks CheckMobi for
 * validation and call callbacks.
 */
import { randomUUID } from 'node:crypto';

import { CHECKMOBI_NODE_TYPE, CHECKMOBI_TRIGGER_TYPE, CHECKMOBI_TRIGGER_VERSION, DEV_CREDENTIAL, SANDBOX_CONTROL_CREDENTIAL } from '../../scripts/lib/examples';
import { checkMobiCredential, manualTriggerNode, node, workflow, type ConnectionsJson, type WorkflowJson, type WorkflowNodeJson } from '../../scripts/lib/n8n';

const credentials = { checkMobiApi: { id: DEV_CREDENTIAL.id, name: DEV_CREDENTIAL.name } };

/** A CheckMobi action node. */
export function checkMobi(name: string, parameters: Record<string, unknown>, options: { onError?: WorkflowNodeJson['onError'] } = {}): WorkflowNodeJson {
	return node(name, CHECKMOBI_NODE_TYPE, { options: {}, ...parameters }, { credentials, onError: options.onError });
}

type Field = [name: string, value: unknown, type: 'string' | 'number' | 'boolean' | 'array' | 'object'];

/** A Set node whose values may be expressions ("={{ ... }}") of any type. */
export function set(name: string, fields: Field[]): WorkflowNodeJson {
	const assignments = fields.map(([fieldName, value, type]) => ({ id: randomUUID(), name: fieldName, value, type }));
	return node(name, 'n8n-nodes-base.set', { assignments: { assignments }, options: {} }, { typeVersion: 3.4 });
}

/** Connects `from` to each of `to` (one output, several branches). */
function fanOut(connections: ConnectionsJson, from: string, ...to: string[]): void {
	connections[from] = { main: [to.map((name) => ({ node: name, type: 'main', index: 0 }))] };
}

function chainInto(connections: ConnectionsJson, ...names: string[]): void {
	for (let i = 0; i + 1 < names.length; i++) fanOut(connections, names[i], names[i + 1]);
}

export interface OperationsInput {
	sandboxUrl: string;
	/** Where the bulk lookups' results go. */
	bulkCallbackUrl: string;
}

/** The numbers the operations workflow uses (each its own, so the sandbox's log tells them apart). */
export const OPS = {
	smsValidation: '+40745500001',
	ivrValidation: '+40745500002',
	missedCallValidation: '+447700900501',
	smsTo: '+40745500003',
	callTo: '+40745500004',
	lookup: '+40745999906', // ported
	check: '+40745500005',
	blocked: '+40745999930', // error 13
	bulk: ['+40745500010', '+40745999901', '+40745999905'],
	name: 'Ana',
	clientIp: '203.0.113.7',
	/** SMS → Send with On Error → Continue (using error output): sent, refused by CheckMobi (error 2), unreadable. */
	errorOutput: ['+40745500006', '+40745123', 'not a number'],
} as const;

export const OPERATIONS_WORKFLOW_ID = 'e2eOperations1';

/**
 * Every operation of the CheckMobi node, once or more, in one workflow: branches off one Set node
 * whose values the operations take through expressions; dependent operations chained (request →
 * verify → status, send → get, place → get → hang up). The PIN comes from the sandbox's inbox.
 */
export function operationsWorkflow(input: OperationsInput): WorkflowJson {
	const nodes: WorkflowNodeJson[] = [
		manualTriggerNode('Start'),
		set('Input', [
			['name', OPS.name, 'string'],
			['smsValidation', OPS.smsValidation, 'string'],
			['ivrValidation', OPS.ivrValidation, 'string'],
			['missedCallValidation', OPS.missedCallValidation, 'string'],
			['smsTo', OPS.smsTo, 'string'],
			['callTo', OPS.callTo, 'string'],
			['lookup', OPS.lookup, 'string'],
			['check', OPS.check, 'string'],
			['blocked', OPS.blocked, 'string'],
			['bulk', `={{ ${JSON.stringify(OPS.bulk)} }}`, 'array'],
			['sandboxUrl', input.sandboxUrl, 'string'],
			['bulkCallbackUrl', input.bulkCallbackUrl, 'string'],
		]),
		checkMobi('Account Get', { resource: 'account', operation: 'get' }),
		checkMobi('Validation Request SMS', {
			resource: 'validation',
			operation: 'request',
			type: 'sms',
			number: '={{ $json.smsValidation }}',
			options: { clientIp: OPS.clientIp, platform: 'web' },
		}),
		node(
			'Read PIN',
			'n8n-nodes-base.httpRequest',
			{
				url: "={{ $('Input').item.json.sandboxUrl }}/_sandbox/inbox/{{ encodeURIComponent($('Input').item.json.smsValidation) }}",
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				options: {},
			},
			{ typeVersion: 4.2, credentials: { httpHeaderAuth: { ...SANDBOX_CONTROL_CREDENTIAL } } },
		),
		checkMobi('Validation Verify', {
			resource: 'validation',
			operation: 'verify',
			id: "={{ $('Validation Request SMS').item.json.id }}",
			pin: '={{ $json.lastPin }}',
		}),
		checkMobi('Validation Get Status', { resource: 'validation', operation: 'getStatus', id: '={{ $json.id }}' }),
		checkMobi('Validation Request IVR', { resource: 'validation', operation: 'request', type: 'ivr', number: '={{ $json.ivrValidation }}' }),
		checkMobi('Validation Request Missed Call', { resource: 'validation', operation: 'request', type: 'reverse_cli', number: '={{ $json.missedCallValidation }}' }),
		checkMobi('Validation Get Remote Config', { resource: 'validation', operation: 'getRemoteConfig', number: '={{ $json.smsValidation }}', platform: 'android' }),
		checkMobi('SMS Send', {
			resource: 'sms',
			operation: 'send',
			to: '={{ $json.smsTo }}',
			text: '=Hello {{ $json.name }}, your code is {{ 1000 + 234 }}',
			options: { from: 'Shop', clientIp: OPS.clientIp },
		}),
		checkMobi('SMS Get', { resource: 'sms', operation: 'get', id: '={{ $json.id }}' }),
		checkMobi('Call Place', {
			resource: 'call',
			operation: 'place',
			to: '={{ $json.callTo }}',
			eventsMode: 'fields',
			events: {
				event: [
					{ type: 'speak', text: "=Hello {{ $('Input').item.json.name }}", loop: 1, voice: 'WOMAN', language: 'en-US' },
					{ type: 'hangup' },
				],
			},
			options: { ringTimeout: 30 },
		}),
		checkMobi('Call Get', { resource: 'call', operation: 'get', id: '={{ $json.id }}' }),
		checkMobi('Call Hang Up', { resource: 'call', operation: 'hangUp', id: '={{ $json.id }}' }),
		checkMobi('Lookup Validate', { resource: 'lookup', operation: 'validate', number: '={{ $json.lookup }}' }),
		checkMobi('Lookup HLR', { resource: 'lookup', operation: 'hlr', number: "={{ $('Input').item.json.lookup }}" }),
		checkMobi('Lookup MNP', { resource: 'lookup', operation: 'mnp', number: "={{ $('Input').item.json.lookup }}" }),
		checkMobi('Lookup HLR Bulk', {
			resource: 'lookup',
			operation: 'hlrBulk',
			numbersFrom: 'list',
			numbers: '={{ $json.bulk }}',
			notificationCallback: '={{ $json.bulkCallbackUrl }}',
		}),
		checkMobi('Lookup MNP Bulk', {
			resource: 'lookup',
			operation: 'mnpBulk',
			numbersFrom: 'list',
			numbers: "={{ $('Input').item.json.bulk.join('\\n') }}",
			notificationCallback: "={{ $('Input').item.json.bulkCallbackUrl }}",
		}),
		checkMobi('Number Check', { resource: 'number', operation: 'check', number: '={{ $json.check }}' }),
		checkMobi('Country Get Many', { resource: 'country', operation: 'getAll', returnAll: false, limit: 3 }),
		checkMobi('Prefix Get Many', { resource: 'prefix', operation: 'getAll', returnAll: true }),
		// Continue On Fail inside n8n: CheckMobi's error 13 becomes an error item.
		checkMobi(
			'Blocked Number',
			{ resource: 'validation', operation: 'request', type: 'sms', number: '={{ $json.blocked }}' },
			{ onError: 'continueRegularOutput' },
		),
		node('Recipients', 'n8n-nodes-base.code', { jsCode: `return ${JSON.stringify(OPS.errorOutput.map((to) => ({ json: { to, name: OPS.name } })))};` }, { typeVersion: 2 }),
		// On Error → Continue (using error output): n8n routes the failed items to a second branch.
		checkMobi('SMS Send Error Output', { resource: 'sms', operation: 'send', to: '={{ $json.to }}', text: '=Hello {{ $json.name }}' }, { onError: 'continueErrorOutput' }),
		set('Sent', [['id', '={{ $json.id }}', 'string']]),
		set('Not Sent', [
			['to', '={{ $json.to }}', 'string'],
			['why', '={{ $json.error }}', 'string'],
			['code', '={{ $json.details.code }}', 'number'],
		]),
	];
	const connections: ConnectionsJson = {};
	chainInto(connections, 'Start', 'Input');
	fanOut(
		connections,
		'Input',
		'Account Get',
		'Validation Request SMS',
		'Validation Request IVR',
		'Validation Request Missed Call',
		'Validation Get Remote Config',
		'SMS Send',
		'Call Place',
		'Lookup Validate',
		'Lookup HLR Bulk',
		'Number Check',
		'Country Get Many',
		'Prefix Get Many',
		'Blocked Number',
		'Recipients',
	);
	chainInto(connections, 'Recipients', 'SMS Send Error Output');
	connections['SMS Send Error Output'] = {
		main: [[{ node: 'Sent', type: 'main', index: 0 }], [{ node: 'Not Sent', type: 'main', index: 0 }]],
	};
	chainInto(connections, 'Validation Request SMS', 'Read PIN', 'Validation Verify', 'Validation Get Status');
	chainInto(connections, 'SMS Send', 'SMS Get');
	chainInto(connections, 'Call Place', 'Call Get', 'Call Hang Up');
	chainInto(connections, 'Lookup Validate', 'Lookup HLR', 'Lookup MNP');
	chainInto(connections, 'Lookup HLR Bulk', 'Lookup MNP Bulk');
	// Branches run top to bottom (execution order v1 sorts them by position).
	nodes.forEach((n, index) => (n.position = [(index % 4) * 240, index * 120]));
	return workflow({ id: OPERATIONS_WORKFLOW_ID, name: 'e2e: every CheckMobi operation', nodes, connections });
}

export const CALLBACK_REACH_WORKFLOW_ID = 'e2eCallbackReach1';
/** Credentials whose Base URL is the real service (which this machine cannot reach). */
export const LIVE_CREDENTIAL = checkMobiCredential({
	id: 'e2eLiveCredential1',
	name: 'CheckMobi live (unreachable here)',
	secretKey: `LIVE-${randomUUID()}`,
	baseUrl: 'https://api.checkmobi.com',
});
export const REACH = {
	/** What a self-hosted n8n shows as its trigger URL unless WEBHOOK_URL is set. */
	loopback: 'http://localhost:5678/webhook/5a4db0c5-0000-4000-8000-00000000e2e1/webhook',
	privateNetwork: 'http://192.168.1.20:5678/webhook/5a4db0c5-0000-4000-8000-00000000e2e2/webhook',
	testUrl: 'https://n8n.example.com/webhook-test/5a4db0c5-0000-4000-8000-00000000e2e3/webhook',
} as const;

/**
 * Notification Callbacks against the real service's Base URL, each node with Continue On Fail: a
 * loopback one (SMS → Send) and a private one (HLR Bulk) fail before anything is sent; an n8n Test
 * URL (Validation → Request) is sent, with a hint, and fails on the way (no internet here).
 */
export function callbackReachWorkflow(): WorkflowJson {
	const live = { checkMobiApi: { id: LIVE_CREDENTIAL.id, name: LIVE_CREDENTIAL.name } };
	const onError = 'continueRegularOutput' as const;
	const liveNode = (name: string, parameters: Record<string, unknown>) => node(name, CHECKMOBI_NODE_TYPE, parameters, { credentials: live, onError });
	const nodes = [
		manualTriggerNode('Start'),
		liveNode('Loopback Callback', {
			resource: 'sms',
			operation: 'send',
			to: '+40745123456',
			text: 'Hello',
			options: { notificationCallback: REACH.loopback, paceToAccountLimits: false },
		}),
		liveNode('Private Callback', { resource: 'lookup', operation: 'hlrBulk', numbersFrom: 'list', numbers: '+40745123456', notificationCallback: REACH.privateNetwork, options: {} }),
		liveNode('Test URL Callback', {
			resource: 'validation',
			operation: 'request',
			type: 'sms',
			number: '+40745123456',
			options: { notificationCallback: REACH.testUrl, timeout: 1000 },
		}),
	];
	const connections: ConnectionsJson = {};
	fanOut(connections, 'Start', 'Loopback Callback', 'Private Callback', 'Test URL Callback');
	return workflow({ id: CALLBACK_REACH_WORKFLOW_ID, name: 'e2e: callbacks CheckMobi cannot reach', nodes, connections });
}

export const ALL_EVENTS_WORKFLOW_ID = 'e2eAllEvents1';
export const ALL_EVENTS_WEBHOOK_ID = 'e2e0a11e-7e57-4000-8000-00000000a11e';
export const ALL_EVENTS_TRIGGER = 'All Callbacks';

/** A CheckMobi Trigger that takes every kind of callback, and a Set node after it. */
export function allEventsWorkflow(): WorkflowJson {
	return workflow({
		id: ALL_EVENTS_WORKFLOW_ID,
		name: 'e2e: every CheckMobi callback',
		nodes: [
			node(
				ALL_EVENTS_TRIGGER,
				CHECKMOBI_TRIGGER_TYPE,
				{ events: ['validation.completed', 'sms.status', 'call.status', 'lookup.hlr', 'lookup.mnp'], options: {} },
				{ credentials, webhookId: ALL_EVENTS_WEBHOOK_ID, typeVersion: CHECKMOBI_TRIGGER_VERSION },
			),
			set('Seen', [['event', '={{ $json.event_type }}', 'string']]),
		],
	});
}

export const CALLBACK_SENDERS_WORKFLOW_ID = 'e2eSenders1';
export const SENDERS = { validation: '+40745600001', call: '+40745600002' } as const;

/** Asks CheckMobi for a validation-completed callback and for call status callbacks. */
export function callbackSendersWorkflow(callbackUrl: string): WorkflowJson {
	const nodes = [
		manualTriggerNode('Start'),
		checkMobi('Request Validation', {
			resource: 'validation',
			operation: 'request',
			type: 'sms',
			number: SENDERS.validation,
			options: { notificationCallback: callbackUrl },
		}),
		checkMobi('Place Call', {
			resource: 'call',
			operation: 'place',
			to: SENDERS.call,
			eventsMode: 'json',
			eventsJson: '[{ "action": "speak", "text": "Status callbacks, please" }, { "action": "hangup" }]',
			options: { notificationCallback: callbackUrl },
		}),
	];
	const connections: ConnectionsJson = {};
	fanOut(connections, 'Start', 'Request Validation', 'Place Call');
	return workflow({ id: CALLBACK_SENDERS_WORKFLOW_ID, name: 'e2e: ask for callbacks', nodes, connections });
}
