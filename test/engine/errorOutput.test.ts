/**
 * On Error → Continue, both ways, in n8n's own engine against the sandbox, for each kind of
 * operation: one request per item (SMS → Send), a list per item (Country → Get Many) and requests
 * that carry many items (Lookup → HLR Bulk). Regular output: error items among the results, in input
 * order. Error output: n8n's engine moves the failed items to the second output, the others stay
 * on the first; every item paired either way.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runCheckMobi } from '../helpers/checkMobi';
import type { NodeRun, OnError } from '../helpers/engine';
import { startReceiver, useSandbox, type Receiver } from '../helpers/sandbox';

const sandbox = useSandbox({ config: { bulkBatchDelayMs: 3_600_000 } });

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});

/** An error item of the main output (regular output). */
const errorJson = (message: RegExp, httpStatus: number, failedAt = 'request') => ({
	error: expect.stringMatching(message),
	description: expect.any(String),
	code: null,
	httpStatus,
	failedAt,
});

/** An error item of the error output: n8n routes only `error`, `message` and `details`. */
const errorOutputJson = (message: RegExp, httpStatus: number, failedAt = 'request') => ({
	error: expect.stringMatching(message),
	details: { description: expect.any(String), code: null, httpStatus, failedAt },
});

/** What an item says, in short: "ok", or its error message. */
function outcome(item: INodeExecutionData): string {
	return typeof item.json.error === 'string' ? `error: ${item.json.error}` : 'ok';
}

async function run(parameters: INodeParameters & { resource: string; operation: string }, input: IDataObject[], onError: OnError): Promise<NodeRun> {
	const result = await runCheckMobi(sandbox, parameters, input, onError);
	expect(result.error).toBeUndefined();
	return result;
}

describe('SMS → Send (one request per item): a bad number and a failed send', () => {
	const input = [{ to: '+40745000001' }, { to: 'not a number' }, { to: '+40745000003' }, { to: '+40745000004' }];
	const parameters = { resource: 'sms', operation: 'send', to: '={{ $json.to }}', text: 'Hello' };
	// The first send (item 0) fails on CheckMobi's side; item 1 is never sent.
	test('Continue (using regular output): every item on the main output, in order, failures as error items', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', count: 1 });
		const { items, errorItems } = await run(parameters, input, 'continueRegularOutput');
		expect(errorItems).toEqual([]);
		expect(items.map(outcome)).toEqual([
			expect.stringMatching(/^error: CheckMobi failed with HTTP 500.*\[item 0\]$/),
			expect.stringMatching(/^error: .*\[item 1\]/),
			'ok',
			'ok',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json).toEqual(errorJson(/HTTP 500/, 500));
		// The regular output is as it always was: no error attached to the items.
		expect(items.every((item) => item.error === undefined)).toBe(true);
	});

	test('Continue (using error output): sent SMS on the success output, the two failures on the error output, all paired', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', count: 1 });
		const { items, errorItems } = await run(parameters, input, 'continueErrorOutput');
		expect(items.map((item) => [item.pairedItem, String(item.json.id).slice(0, 4)])).toEqual([
			[{ item: 2 }, 'MSG-'],
			[{ item: 3 }, 'MSG-'],
		]);
		expect(errorItems.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(errorItems[0].json).toEqual(errorOutputJson(/^CheckMobi failed with HTTP 500.*\[item 0\]$/, 500));
		expect(errorItems[1].json).toEqual({ error: expect.stringMatching(/\[item 1\]/), details: { description: expect.any(String), code: null, httpStatus: null, failedAt: 'input' } });
		const sent = await sandbox.control.requests({ method: 'POST', path: '/sms/send' });
		expect(sent.entries.map((entry) => entry.status)).toEqual([500, 200, 200]);
	});
});

describe('Country → Get Many (a list per item): the first item\'s read fails three times', () => {
	const parameters = { resource: 'country', operation: 'getAll', returnAll: false, limit: 2 };
	const failFirstRead = async () => {
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/countries', count: 3 });
	};

	test('Continue (using regular output): the error item, then the second item\'s countries', async () => {
		await failFirstRead();
		const { items, errorItems } = await run(parameters, [{}, {}], 'continueRegularOutput');
		expect(errorItems).toEqual([]);
		expect(items.map((item) => [outcome(item).slice(0, 5), item.pairedItem])).toEqual([
			['error', { item: 0 }],
			['ok', { item: 1 }],
			['ok', { item: 1 }],
		]);
		expect(items[0].json).toEqual(errorJson(/HTTP 503/, 503));
	});

	test('Continue (using error output): the countries on the success output, the failed read on the error output', async () => {
		await failFirstRead();
		const { items, errorItems } = await run(parameters, [{}, {}], 'continueErrorOutput');
		expect(items.map((item) => [typeof item.json.iso2, item.pairedItem])).toEqual([
			['string', { item: 1 }],
			['string', { item: 1 }],
		]);
		expect(errorItems).toHaveLength(1);
		expect(errorItems[0]).toMatchObject({ json: errorOutputJson(/HTTP 503.*\[item 0\]/, 503), pairedItem: { item: 0 } });
	});
});

describe('Lookup → HLR Bulk (one request for many items)', () => {
	// Items 0 and 2 share the first request, item 3 is the second request, item 1 has no readable number.
	const input = [{ phone: '+40745000011' }, { phone: 'nope' }, { phone: '+40745000012' }, { phone: '+40745000013' }];
	const parameters = () => ({
		resource: 'lookup',
		operation: 'hlrBulk',
		number: '={{ $json.phone }}',
		notificationCallback: receiver.url,
		options: { invalidNumbers: 'fail', numbersPerRequest: 2 },
	});
	const failFirstRequest = async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/lookup/hlr', count: 1 });
	};

	test('Continue (using regular output): the failed request\'s error item is paired with both its items', async () => {
		await failFirstRequest();
		const { items, errorItems } = await run(parameters(), input, 'continueRegularOutput');
		expect(errorItems).toEqual([]);
		expect(items.map((item) => [outcome(item).slice(0, 5), item.pairedItem])).toEqual([
			['error', [{ item: 0 }, { item: 2 }]],
			['error', { item: 1 }],
			['ok', { item: 3 }],
		]);
	});

	test('Continue (using error output): the accepted request on the success output, the rest on the error output', async () => {
		await failFirstRequest();
		const { items, errorItems } = await run(parameters(), input, 'continueErrorOutput');
		expect(items.map((item) => [item.json.accepted_count, item.pairedItem])).toEqual([[1, { item: 3 }]]);
		expect(errorItems.map((item) => [outcome(item).slice(0, 5), item.pairedItem])).toEqual([
			['error', [{ item: 0 }, { item: 2 }]],
			['error', { item: 1 }],
		]);
		expect(errorItems[0].json).toEqual(errorOutputJson(/HTTP 500.*\[items 0, 2\]/, 500));
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'%s: a fault of the whole run (a callback that is no URL) gives every item an error item, never the input as output',
		async (onError) => {
			const { items, errorItems } = await run({ ...parameters(), notificationCallback: 'results please' }, input, onError);
			const failed = onError === 'continueErrorOutput' ? errorItems : items;
			expect(onError === 'continueErrorOutput' ? items : errorItems).toEqual([]);
			expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			for (const item of failed) expect(item.json.error).toMatch(/^Invalid Notification Callback: "results please" is not an http\(s\) URL/);
			expect((await sandbox.control.requests({ method: 'POST', path: '/lookup/hlr' })).entries).toEqual([]);
		},
	);
});
