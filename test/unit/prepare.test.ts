/**
 * Request shapes without a server: every operation's `prepare()` (or a bulk lookup's
 * `prepareBatch()`) called directly, parameters in, request out, and bad input refused before
 * anything is sent. The table is typed from the registry, so an operation without a row fails the
 * type-check (and the first test, should the types ever loosen). The engine and sandbox tests check
 * the same shapes end to end; these take milliseconds.
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { OperationName, ResourceName } from '../../nodes/CheckMobi/actions/registry';
import { resources } from '../../nodes/CheckMobi/actions/registry';
import type { BatchRequest, OperationRequest } from '../../nodes/CheckMobi/actions/types';
import { isBatchOperation } from '../../nodes/CheckMobi/actions/types';

/** A sandbox on this machine: callbacks anywhere are allowed, as against the real sandbox. */
const LOCAL_BASE_URL = 'http://127.0.0.1:1';
/** CheckMobi itself (the Base URL left empty): a callback CheckMobi cannot reach is refused. */
const CHECKMOBI_BASE_URL = '';
const NODE_ID = 'a1b2c3d4-node';
const RESUME_URL = 'http://127.0.0.1:5678/webhook-waiting/77';
const CALLBACK = 'http://127.0.0.1:5678/webhook/checkmobi';
const PHONE = '+40745123456';
const WAIT_5_MINUTES = { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 5, resumeUnit: 'minutes' } } };

interface Run {
	/** The node's parameters: one set, or one per input item (bulk lookups). */
	parameters: IDataObject | IDataObject[];
	baseUrl?: string;
	/** The node's type name; the AI-tool variant ends in "Tool". */
	nodeType?: string;
}

interface Row extends Run {
	/** The request an item operation makes, or every request of a bulk lookup with the items it serves. */
	sends: OperationRequest | Array<OperationRequest & { items: number[] }>;
}

interface Refusal extends Run {
	/** The error (it names the field, or what to change). */
	error: string | RegExp;
}

interface Case {
	rows: Row[];
	/** Empty only for operations that take no input that can be wrong (Account → Get, the lists). */
	refuses: Refusal[];
}

/** Just enough of n8n's execute context for prepare(): parameters (dotted paths too), the node, credentials, hints, the resume URL. */
function context({ parameters, baseUrl = LOCAL_BASE_URL, nodeType = 'n8n-nodes-checkmobi.checkMobi' }: Run): IExecuteFunctions {
	const perItem = Array.isArray(parameters) ? parameters : [parameters];
	const node: INode = { id: NODE_ID, name: 'CheckMobi', type: nodeType, typeVersion: 2, position: [0, 0], parameters: {} };
	const read = (path: string, itemIndex: number): unknown =>
		path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], perItem[itemIndex]);
	return {
		getNode: () => node,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => read(name, itemIndex) ?? fallback,
		getInputData: () => perItem.map(() => ({ json: {} })),
		getCredentials: async () => ({ secretKey: 'unused', baseUrl }),
		evaluateExpression: (expression: string) => {
			if (expression !== '{{ $execution.resumeUrl }}') throw new Error(`Unexpected expression ${expression}`);
			return RESUME_URL;
		},
		addExecutionHints: () => undefined,
	} as unknown as IExecuteFunctions;
}

/** What the operation plans: its requests (with their items), and the first item refused. */
async function plan(resource: string, operation: string, run: Run): Promise<{ requests: BatchRequest[]; refused?: Error }> {
	const op = resources[resource][operation];
	const ctx = context(run);
	if (isBatchOperation(op)) {
		const batch = await op.prepareBatch.call(ctx, Array.isArray(run.parameters) ? run.parameters.length : 1);
		return { requests: batch.requests, refused: batch.failures[0]?.error };
	}
	return { requests: [{ ...(await op.prepare.call(ctx, 0)), items: [0] }] };
}

const table: { [R in ResourceName]: { [O in OperationName<R>]: Case } } = {
	account: {
		get: { rows: [{ parameters: {}, sends: { method: 'GET', path: '/my-account' } }], refuses: [] },
	},
	call: {
		get: {
			rows: [{ parameters: { id: 'CAL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }, sends: { method: 'GET', path: '/call/CAL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' } }],
			refuses: [{ parameters: { id: 'CAL-1 /x' }, error: /^Invalid value in "Call ID"/ }],
		},
		hangUp: {
			rows: [{ parameters: { id: 'CAL-1A2B3C4D' }, sends: { method: 'DELETE', path: '/call/CAL-1A2B3C4D' } }],
			refuses: [{ parameters: { id: ' ' }, error: 'Invalid value in "Call ID": " "' }],
		},
		place: {
			rows: [
				{
					parameters: {
						to: '+40 745 123 456',
						eventsMode: 'fields',
						events: {
							event: [
								{ type: 'speak', text: 'Hello', loop: 2, voice: 'MAN', language: 'fr-FR' },
								{ type: 'play', url: 'http://127.0.0.1:8080/greeting.mp3' },
								{ type: 'wait', length: '3' },
								{ type: 'send_dtmf', digits: '1w2#', async: false },
								{ type: 'hangup', reason: 'busy', schedule: 20 },
								{ type: 'speak', text: 'Bye' },
							],
						},
						options: { from: '0040745000001', ringTimeout: 20, platform: 'Web', clientIp: '203.0.113.7', notificationCallback: CALLBACK },
					},
					sends: {
						method: 'POST',
						path: '/call',
						body: {
							from: '+40745000001',
							to: PHONE,
							ring_timeout: 20,
							notification_callback: CALLBACK,
							platform: 'web',
							events: [
								{ action: 'speak', text: 'Hello', loop: 2, voice: 'MAN', language: 'fr-FR' },
								{ action: 'play', url: 'http://127.0.0.1:8080/greeting.mp3', loop: 1 },
								{ action: 'wait', length: 3 },
								{ action: 'send_dtmf', digits: '1w2#', async: false },
								{ action: 'hangup', reason: 'busy', schedule: 20 },
								{ action: 'speak', text: 'Bye', loop: 1, voice: 'WOMAN', language: 'en-US' },
							],
						},
						clientIp: '203.0.113.7',
					},
				},
				{
					parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"},{"action":"hangup"}]' },
					sends: { method: 'POST', path: '/call', body: { to: PHONE, events: [{ action: 'speak', text: 'Hi' }, { action: 'hangup' }] } },
				},
			],
			refuses: [
				{ parameters: { to: PHONE, eventsMode: 'fields', events: { event: [] } }, error: 'Invalid value in "Actions": The call has no actions' },
				{ parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"wait","length":0}]' }, error: /^Invalid value in "Actions \(JSON\)": .*Length/ },
				{ parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi","loop":0}]' }, nodeType: 'n8n-nodes-checkmobi.checkMobiTool', error: 'A Loop of 0 is not available to an AI agent' },
				{ parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]', options: { ringTimeout: 500 } }, error: /^Invalid value in "Ring Timeout": 500/ },
				{
					parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]', options: { notificationCallback: CALLBACK } },
					baseUrl: CHECKMOBI_BASE_URL,
					error: /^Invalid value in "Notification Callback"/,
				},
			],
		},
		placeAndWaitForEnd: {
			rows: [
				{
					parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]', options: { ...WAIT_5_MINUTES, ringTimeout: 15 } },
					sends: {
						method: 'POST',
						path: '/call',
						body: { to: PHONE, ring_timeout: 15, events: [{ action: 'speak', text: 'Hi' }], notification_callback: `${RESUME_URL}/${NODE_ID}` },
					},
				},
			],
			refuses: [
				{
					parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]', options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2001-01-01T00:00:00Z' } } } },
					error: /^Invalid value in "Limit Wait Time → Max Date and Time"/,
				},
				{ parameters: { to: PHONE, eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]' }, baseUrl: CHECKMOBI_BASE_URL, error: "CheckMobi cannot reach this n8n's resume URL" },
			],
		},
	},
	country: {
		getAll: { rows: [{ parameters: { returnAll: true }, sends: { method: 'GET', path: '/countries' } }], refuses: [] },
	},
	lookup: {
		validate: {
			rows: [{ parameters: { number: PHONE }, sends: { method: 'GET', path: '/lookup/verify/40745123456' } }],
			refuses: [{ parameters: { number: '' }, error: /"Phone Number"/ }],
		},
		hlr: {
			rows: [
				{ parameters: { number: '+40 745 123 456' }, sends: { method: 'GET', path: '/lookup/hlr/40745123456' } },
				{ parameters: { number: '0745 123 456', options: { defaultCountry: 'RO' } }, sends: { method: 'GET', path: '/lookup/hlr/40745123456' } },
			],
			refuses: [{ parameters: { number: '0745 123 456' }, error: /"Phone Number"/ }],
		},
		mnp: {
			rows: [{ parameters: { number: '0040745123456' }, sends: { method: 'GET', path: '/lookup/mnp/40745123456' } }],
			refuses: [{ parameters: { number: { phone: PHONE } }, error: /"Phone Number"/ }],
		},
		hlrBulk: {
			rows: [
				{
					// Each distinct number once, whichever way it is written; the request serves every item that held one.
					parameters: ['+40745123456', '0040 745 123 457', '+40 745 123 456'].map((number) => ({ numbersFrom: 'eachItem', number, notificationCallback: CALLBACK })),
					sends: [{ method: 'POST', path: '/lookup/hlr', body: { numbers: [PHONE, '+40745123457'], notification_callback: CALLBACK }, items: [0, 1, 2] }],
				},
			],
			refuses: [
				{ parameters: [{ numbersFrom: 'eachItem', number: PHONE, notificationCallback: '' }], error: 'Invalid Notification Callback: it is empty' },
				{ parameters: [{ numbersFrom: 'eachItem', number: [PHONE], notificationCallback: CALLBACK }], error: '"Phone Number" holds a list, not one number' },
			],
		},
		mnpBulk: {
			rows: [
				{
					parameters: [{ numbersFrom: 'list', numbers: '+40745123456, +40745123457\n+40745123458', notificationCallback: CALLBACK, options: { numbersPerRequest: 2 } }],
					sends: [
						{ method: 'POST', path: '/lookup/mnp', body: { numbers: [PHONE, '+40745123457'], notification_callback: CALLBACK }, items: [0] },
						{ method: 'POST', path: '/lookup/mnp', body: { numbers: ['+40745123458'], notification_callback: CALLBACK }, items: [0] },
					],
				},
			],
			refuses: [
				{
					parameters: [{ numbersFrom: 'list', numbers: 'not a number', notificationCallback: CALLBACK, options: { invalidNumbers: 'fail' } }],
					error: /"Phone Numbers"/,
				},
			],
		},
	},
	number: {
		check: {
			rows: [{ parameters: { number: '+1 (202) 555-0123' }, sends: { method: 'POST', path: '/checknumber', body: { number: '+12025550123' } } }],
			refuses: [{ parameters: { number: 'call me' }, error: /"Phone Number"/ }],
		},
	},
	prefix: {
		getAll: { rows: [{ parameters: { returnAll: false, limit: 2 }, sends: { method: 'GET', path: '/prefixes' } }], refuses: [] },
	},
	sms: {
		get: {
			rows: [{ parameters: { id: 'MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }, sends: { method: 'GET', path: '/sms/MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' } }],
			refuses: [{ parameters: { id: 'https://api/sms/MSG-1' }, error: /^Invalid value in "SMS ID"/ }],
		},
		send: {
			rows: [
				{
					parameters: { to: PHONE, text: 'Hello', options: { from: 'CHKMOB', isTransactional: false, platform: 'ios', clientIp: '203.0.113.7', notificationCallback: CALLBACK } },
					sends: {
						method: 'POST',
						path: '/sms/send',
						body: { from: 'CHKMOB', to: PHONE, text: 'Hello', is_transactional: false, notification_callback: CALLBACK, platform: 'ios' },
						clientIp: '203.0.113.7',
					},
				},
			],
			refuses: [
				{ parameters: { to: '0745', text: 'Hi' }, error: /"To"/ },
				{ parameters: { to: PHONE, text: '  ' }, error: 'Invalid value in "Text"' },
				{ parameters: { to: PHONE, text: 'Hi', options: { clientIp: '203.0.113.7, 10.0.0.1' } }, error: /^Invalid value in "Client IP"/ },
				{ parameters: { to: PHONE, text: 'Hi', options: { platform: 'windows' } }, error: /^Invalid value in "Platform"/ },
			],
		},
		sendAndWaitForDelivery: {
			rows: [
				{
					parameters: { to: PHONE, text: 'Your code is 1234', options: WAIT_5_MINUTES },
					sends: { method: 'POST', path: '/sms/send', body: { to: PHONE, text: 'Your code is 1234', notification_callback: `${RESUME_URL}/${NODE_ID}` } },
				},
			],
			refuses: [
				{ parameters: { to: PHONE, text: 'Hi', options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0 } } } }, error: /^Invalid value in "Limit Wait Time → Amount"/ },
				{ parameters: { to: '', text: 'Hi' }, error: /"To"/ },
			],
		},
	},
	validation: {
		request: {
			rows: [
				{
					parameters: {
						type: 'sms',
						number: PHONE,
						options: { language: 'IT', androidAppHash: 'FA+9qCX9VSu', platform: 'android', clientIp: '2001:db8::1', notificationCallback: CALLBACK },
					},
					sends: {
						method: 'POST',
						path: '/validation/request',
						body: { number: PHONE, type: 'sms', language: 'it', notification_callback: CALLBACK, platform: 'android', android_app_hash: 'FA+9qCX9VSu' },
						clientIp: '2001:db8::1',
					},
				},
				{
					// A language or app hash left from another type is not sent; an IVR call takes a voice language.
					parameters: { type: 'ivr', number: PHONE, options: { language: 'de_DE', androidAppHash: 'FA+9qCX9VSu' } },
					sends: { method: 'POST', path: '/validation/request', body: { number: PHONE, type: 'ivr', language: 'de-DE' } },
				},
				{
					parameters: { type: 'reverse_cli', number: PHONE, options: { language: 'it' } },
					sends: { method: 'POST', path: '/validation/request', body: { number: PHONE, type: 'reverse_cli' } },
				},
			],
			refuses: [
				{ parameters: { type: 'email', number: PHONE }, error: /^Invalid value in "Type"/ },
				{ parameters: { type: 'sms', number: PHONE, options: { language: 'en-US' } }, error: /^Invalid value in "Language"/ },
				{ parameters: { type: 'sms', number: PHONE, options: { androidAppHash: 'short' } }, error: /^Invalid value in "Android App Hash"/ },
			],
		},
		requestAndWaitForVerification: {
			rows: [
				{
					parameters: { type: 'reverse_cli', number: PHONE, options: WAIT_5_MINUTES },
					sends: { method: 'POST', path: '/validation/request', body: { number: PHONE, type: 'reverse_cli', notification_callback: `${RESUME_URL}/${NODE_ID}` } },
				},
			],
			refuses: [
				{ parameters: { type: 'sms', number: PHONE, options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0 } } } }, error: /^Invalid value in "Limit Wait Time → Amount"/ },
			],
		},
		verify: {
			rows: [
				{ parameters: { id: 'SMS-1A2B', pin: '0123' }, sends: { method: 'POST', path: '/validation/verify', body: { id: 'SMS-1A2B', pin: '0123' } } },
				{
					parameters: { id: 'RCLI-1A2B', pin: 'HANGUP', useServerHangup: true },
					sends: { method: 'POST', path: '/validation/verify', body: { id: 'RCLI-1A2B', pin: 'HANGUP', use_server_hangup: true } },
				},
			],
			refuses: [
				{ parameters: { id: 'RCLI-1A2B', pin: 'HANGUP' }, error: 'The PIN "HANGUP" needs "Use Server Hang-Up"' },
				{ parameters: { id: '', pin: '0123' }, error: /^Invalid value in "Validation ID"/ },
			],
		},
		getStatus: {
			rows: [{ parameters: { id: 'SMS-1A2B' }, sends: { method: 'GET', path: '/validation/status/SMS-1A2B' } }],
			refuses: [{ parameters: { id: { id: 'SMS-1A2B' } }, error: /^Invalid value in "Validation ID"/ }],
		},
		getRemoteConfig: {
			rows: [
				{
					parameters: { number: PHONE, platform: 'iOS', options: { language: 'en_us' } },
					sends: { method: 'POST', path: '/validation/remote-config', body: { number: PHONE, platform: 'ios', language: 'en-US' } },
				},
			],
			refuses: [{ parameters: { number: PHONE, platform: 'windows' }, error: /^Invalid value in "Platform"/ }],
		},
	},
};

type Entry = [string, string, Case];
const entries: Entry[] = Object.entries(table).flatMap(([resource, operations]) =>
	Object.entries(operations as Record<string, Case>).map(([operation, testCase]): Entry => [resource, operation, testCase]),
);

test('every operation in the registry has a row in the table, and every row an operation', () => {
	const registered = Object.entries(resources).flatMap(([resource, operations]) => Object.keys(operations).map((operation) => `${resource} → ${operation}`));
	expect(entries.map(([resource, operation]) => `${resource} → ${operation}`).sort()).toEqual(registered.sort());
	for (const [, , { rows }] of entries) expect(rows.length).toBeGreaterThan(0);
});

describe('prepare(): parameters in, request out', () => {
	const rows = entries.flatMap(([resource, operation, { rows }]) => rows.map((row, index) => [`${resource} → ${operation} #${index + 1}`, resource, operation, row] as const));

	test.each(rows)('%s', async (_name, resource, operation, row) => {
		const { requests, refused } = await plan(resource, operation, row);
		expect(refused).toBeUndefined();
		const sent = requests.map(({ request, items }) => (Array.isArray(row.sends) ? { ...request, items } : request));
		expect(sent).toEqual(Array.isArray(row.sends) ? row.sends : [row.sends]);
	});
});

describe('bad input is refused before any request, naming the field (the router adds the item)', () => {
	const refusals = entries.flatMap(([resource, operation, { refuses }]) =>
		refuses.map((refusal, index) => [`${resource} → ${operation} #${index + 1}`, resource, operation, refusal] as const),
	);

	test.each(refusals)('%s', async (_name, resource, operation, refusal) => {
		const outcome = await plan(resource, operation, refusal).then(
			({ refused }) => refused,
			(error: Error) => error,
		);
		expect(outcome).toBeInstanceOf(Error);
		if (typeof refusal.error === 'string') expect(outcome?.message).toContain(refusal.error);
		else expect(outcome?.message).toMatch(refusal.error);
	});

	test('every operation that takes input has at least one refusal', () => {
		const withoutInput = ['account → get', 'country → getAll', 'prefix → getAll'];
		const missing = entries.filter(([, , { refuses }]) => refuses.length === 0).map(([resource, operation]) => `${resource} → ${operation}`);
		expect(missing).toEqual(withoutInput);
	});
});
