/**
 * Lookup → HLR Bulk and MNP Bulk, run by n8n's own engine against the CheckMobi sandbox: how the
 * numbers are split into requests (from the sandbox's request log), what the node outputs and
 * pairs, and the results the sandbox then posts to the callback in batches.
 */
import type { IDataObject, INodeExecutionData, INodeParameters, IPairedItemData } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import type { LoggedRequestView } from '../../sandbox/client';
import { runNode } from '../helpers/engine';
import type { NodeRun } from '../helpers/engine';
import type { Receiver } from '../helpers/sandbox';
import { startReceiver, useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

// Batches wait for the test to advance the sandbox clock, so nothing is posted behind its back.
const sandbox = useSandbox({ config: { bulkBatchSize: 100, bulkBatchDelayMs: 3_600_000 } });

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
beforeEach(() => receiver.clear());
afterAll(async () => {
	await receiver.close();
});

/** `count` distinct Romanian mobile numbers in E.164 (none of them a magic number). */
function numbers(count: number, from = 0): string[] {
	return Array.from({ length: count }, (_, i) => `+4074${String(from + i).padStart(7, '0')}`);
}

function bulk(
	parameters: INodeParameters,
	input: IDataObject[],
	options: { operation?: 'hlrBulk' | 'mnpBulk'; continueOnFail?: boolean } = {},
): Promise<NodeRun> {
	return runNode({
		nodeType: new CheckMobi(),
		parameters: {
			resource: 'lookup',
			operation: options.operation ?? 'hlrBulk',
			notificationCallback: receiver.url,
			...parameters,
		},
		input,
		credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		continueOnFail: options.continueOnFail ?? false,
	});
}

async function bulkRequests(method: 'hlr' | 'mnp' = 'hlr'): Promise<LoggedRequestView[]> {
	return (await sandbox.control.requests({ method: 'POST', path: `/lookup/${method}` })).entries;
}

function sentNumbers(request: LoggedRequestView): string[] {
	return (request.json as { numbers: string[] }).numbers;
}

function pairedItems(item: INodeExecutionData): number[] {
	const paired = item.pairedItem as IPairedItemData | IPairedItemData[];
	return (Array.isArray(paired) ? paired : [paired]).map((pair) => pair.item);
}

/** Both ways of giving numbers, for the same list of numbers. */
const modes: Array<{ name: string; parameters: INodeParameters; input: (all: string[]) => IDataObject[]; itemsOf: (all: string[], sent: string[]) => number[] }> = [
	{
		name: 'one number per input item',
		parameters: { numbersFrom: 'eachItem', number: '={{ $json.phone }}' },
		// With no numbers: items whose phone is empty or missing.
		input: (all) => (all.length === 0 ? [{ phone: '' }, {}] : all.map((phone) => ({ phone }))),
		itemsOf: (all, sent) => sent.map((number) => all.indexOf(number)),
	},
	{
		name: 'a list per input item (arrays of 300)',
		parameters: { numbersFrom: 'list', numbers: '={{ $json.phones }}' },
		input: (all) => {
			if (all.length === 0) return [{ phones: [] }, { phones: '' }];
			const items: IDataObject[] = [];
			for (let start = 0; start < all.length; start += 300) items.push({ phones: all.slice(start, start + 300) });
			return items;
		},
		itemsOf: (all, sent) => [...new Set(sent.map((number) => Math.floor(all.indexOf(number) / 300)))],
	},
];

describe.each(modes)('Bulk HLR, numbers from $name', ({ parameters, input, itemsOf }) => {
	test.each([
		[1, 1],
		[1000, 1],
		[1001, 2],
		[2500, 3],
	])('%i numbers go in %i request(s) of at most 1000: none dropped, none repeated, one output item per request', async (count, requestCount) => {
		const all = numbers(count);
		const { items, error } = await bulk(parameters, input(all));
		expect(error).toBeUndefined();

		const requests = await bulkRequests();
		expect(requests).toHaveLength(requestCount);
		for (const request of requests) {
			expect(request.path).toBe('/v1/lookup/hlr');
			expect(request.status).toBe(200);
			expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.json).toEqual({ numbers: expect.any(Array), notification_callback: receiver.url });
			expect(sentNumbers(request).length).toBeLessThanOrEqual(1000);
		}
		// The requests together carry exactly the input, in order.
		expect(requests.flatMap(sentNumbers)).toEqual(all);
		expect((await sandbox.control.stats()).creates).toMatchObject({ bulkRequests: requestCount, bulkNumbers: count });

		expect(items).toHaveLength(requestCount);
		items.forEach((item, index) => {
			const sent = sentNumbers(requests[index]);
			expect(item.json).toEqual({
				total_count: sent.length,
				accepted_count: sent.length,
				rejected_count: 0,
				rejected: [],
				notification_callback: receiver.url,
				lookup_method: 'hlr',
				batch: index + 1,
				batch_count: requestCount,
				numbers_sent: sent.length,
				duplicates_skipped: 0,
			});
			// Paired with exactly the input items whose numbers this request carried.
			expect(pairedItems(item)).toEqual(itemsOf(all, sent));
		});
	});

	test('0 numbers: nothing is sent, and one item says so', async () => {
		const items0 = input([]);
		const { items, error } = await bulk(parameters, items0);
		expect(error).toBeUndefined();
		expect(await bulkRequests()).toEqual([]);
		expect(items).toEqual([
			{
				json: {
					total_count: 0,
					accepted_count: 0,
					rejected_count: 0,
					rejected: [],
					notification_callback: receiver.url,
					lookup_method: 'hlr',
					batch: 0,
					batch_count: 0,
					numbers_sent: 0,
					duplicates_skipped: 0,
					message: 'No phone numbers in the input: nothing was sent to CheckMobi',
				},
				pairedItem: items0.map((_, item) => ({ item })),
			},
		]);
	});
});

describe('Bulk lookup results', () => {
	test('arrive at the callback in several batches, covering every number sent exactly once', async () => {
		const all = numbers(1001);
		const { items, error } = await bulk({ number: '={{ $json.phone }}' }, all.map((phone) => ({ phone })));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.accepted_count)).toEqual([1000, 1]);
		// The node only queued the lookups: no result has been posted yet.
		expect(receiver.received).toHaveLength(0);

		const advanced = await sandbox.control.advance({ settle: true });
		expect(advanced.settled).toBe(true);
		// Batches of 100: 10 for the first request, 1 for the second.
		const callbacks = await receiver.waitFor(11);
		expect(callbacks).toHaveLength(11);
		const results: IDataObject[] = [];
		for (const callback of callbacks) {
			expect(callback.method).toBe('POST');
			expect(callback.headers['x-checkmobi-signature']).toEqual(expect.any(String));
			const body = callback.json as { lookup_method: string; error: unknown; results: IDataObject[] };
			expect(body.lookup_method).toBe('hlr');
			expect(body.error).toBeNull();
			expect(body.results.length).toBeLessThanOrEqual(100);
			results.push(...body.results);
		}
		expect(results.map((result) => result.original_msisdn).sort()).toEqual([...all].sort());
		for (const result of results) expect(result).toMatchObject({ phone_number: result.original_msisdn, reachable: 'connected' });
	});

	test('MNP Bulk posts to /lookup/mnp and its results say mnp', async () => {
		const all = numbers(250, 5000);
		const { items, error } = await bulk({ numbersFrom: 'list', numbers: all.join('\n') }, [{}], { operation: 'mnpBulk' });
		expect(error).toBeUndefined();
		expect(await bulkRequests('hlr')).toEqual([]);
		const requests = await bulkRequests('mnp');
		expect(requests.map(sentNumbers)).toEqual([all]);
		expect(items).toEqual([{ json: expect.objectContaining({ lookup_method: 'mnp', accepted_count: 250, batch: 1 }), pairedItem: { item: 0 } }]);

		await sandbox.control.advance({ settle: true });
		const callbacks = await receiver.waitFor(3);
		expect(callbacks.map((callback) => (callback.json as IDataObject).lookup_method)).toEqual(['mnp', 'mnp', 'mnp']);
		const results = callbacks.flatMap((callback) => (callback.json as { results: IDataObject[] }).results);
		expect(results.map((result) => result.original_msisdn).sort()).toEqual([...all].sort());
	});
});

describe('Bulk lookup of messy data', () => {
	test('numbers that cannot be read are sent as typed, and CheckMobi lists them as rejected', async () => {
		const typed = ['+40 745 000 001', '0745 123 456', '12ab', '+40745123', '+40745999905', '(0040) 745-000-002'];
		const { items, error } = await bulk({ numbersFrom: 'list', numbers: typed.join('\n') }, [{}]);
		expect(error).toBeUndefined();

		const [request] = await bulkRequests();
		// Readable ones in E.164; '+40745123' is readable yet too short for Romania, so CheckMobi refuses it.
		expect(sentNumbers(request)).toEqual(['+40745000001', '0745 123 456', '12ab', '+40745123', '+40745999905', '+40745000002']);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					total_count: 6,
					accepted_count: 3,
					rejected_count: 3,
					rejected: ['0745 123 456', '12ab', '+40745123'],
					numbers_sent: 6,
				}),
				pairedItem: { item: 0 },
			},
		]);

		await sandbox.control.advance({ settle: true });
		const [callback] = await receiver.waitFor(1);
		const results = (callback.json as { results: IDataObject[] }).results;
		expect(results.map((result) => [result.original_msisdn, result.processing_status])).toEqual([
			['+40745000001', 'completed'],
			['+40745999905', 'rejected'],
			['+40745000002', 'completed'],
		]);
	});

	test('Invalid Numbers = Fail the Item: nothing is sent when one item holds garbage', async () => {
		const input = [{ phone: '+40745000001' }, { phone: '0745 123 456' }, { phone: '+40745000002' }];
		const { items, error } = await bulk({ number: '={{ $json.phone }}', options: { invalidNumbers: 'fail' } }, input);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Invalid phone number in "Phone Number": "0745 123 456" [item 1]');
		expect(await bulkRequests()).toEqual([]);
	});

	test('Invalid Numbers = Fail the Item with Continue On Fail: an error item for it, the other numbers are sent', async () => {
		const input = [{ phone: '+40745000001' }, { phone: '' }, { phone: '0745 123 456' }, { phone: '+40745000002' }];
		const { items, error } = await bulk(
			{ number: '={{ $json.phone }}', options: { invalidNumbers: 'fail' } },
			input,
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect((await bulkRequests()).map(sentNumbers)).toEqual([['+40745000001', '+40745000002']]);
		expect(items).toEqual([
			{ json: expect.objectContaining({ numbers_sent: 2, accepted_count: 2 }), pairedItem: [{ item: 0 }, { item: 3 }] },
			{ json: expect.objectContaining({ error: 'Invalid phone number in "Phone Number": "" [item 1]' }), pairedItem: { item: 1 } },
			{
				json: expect.objectContaining({ error: 'Invalid phone number in "Phone Number": "0745 123 456" [item 2]', code: null }),
				pairedItem: { item: 2 },
			},
		]);
	});

	test('a mapping that is not a number (an object) fails its item, even when invalid numbers are sent', async () => {
		const input = [{ phone: { mobile: '+40745000001' } }, { phone: '+40745000002' }];
		const { items, error } = await bulk({ number: '={{ $json.phone }}' }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect((await bulkRequests()).map(sentNumbers)).toEqual([['+40745000002']]);
		expect(items.map((item) => [item.json.error ?? item.json.numbers_sent, item.pairedItem])).toEqual([
			['Invalid phone number in "Phone Number" [item 0]', { item: 0 }],
			[1, { item: 1 }],
		]);
	});

	test('a number held by several items, however written, is looked up once and paired with all of them', async () => {
		const input = [{ phone: '+40 745 000 001' }, { phone: '0040745000001' }, { phone: '+40745000002' }, { phone: 40745000001 }];
		const { items, error } = await bulk({ number: '={{ $json.phone }}' }, input);
		expect(error).toBeUndefined();
		expect((await bulkRequests()).map(sentNumbers)).toEqual([['+40745000001', '+40745000002']]);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ total_count: 2, numbers_sent: 2, duplicates_skipped: 2 }),
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }],
			},
		]);
	});

	test('Number Format = As Given: numbers go exactly as in the data, so original_msisdn matches it', async () => {
		const input = [{ phone: ' 40745000001 ' }, { phone: '+40745000002' }];
		const { items, error } = await bulk({ number: '={{ $json.phone }}', options: { numberFormat: 'asGiven' } }, input);
		expect(error).toBeUndefined();
		expect((await bulkRequests()).map(sentNumbers)).toEqual([['40745000001', '+40745000002']]);
		expect(items[0].json).toMatchObject({ accepted_count: 2, rejected_count: 0 });

		await sandbox.control.advance({ settle: true });
		const [callback] = await receiver.waitFor(1);
		const results = (callback.json as { results: IDataObject[] }).results;
		expect(results.map((result) => [result.original_msisdn, result.phone_number])).toEqual([
			['40745000001', '+40745000001'],
			['+40745000002', '+40745000002'],
		]);
	});

	test('Numbers per Request splits into smaller requests', async () => {
		const all = numbers(250);
		const { items, error } = await bulk(
			{ numbersFrom: 'list', numbers: '={{ $json.phones }}', options: { numbersPerRequest: 100 } },
			[{ phones: all }],
		);
		expect(error).toBeUndefined();
		const requests = await bulkRequests();
		expect(requests.map((request) => sentNumbers(request).length)).toEqual([100, 100, 50]);
		expect(requests.flatMap(sentNumbers)).toEqual(all);
		expect(items.map((item) => [item.json.batch, item.json.batch_count, item.pairedItem])).toEqual([
			[1, 3, { item: 0 }],
			[2, 3, { item: 0 }],
			[3, 3, { item: 0 }],
		]);
	});

	test('an empty Notification Callback is refused by n8n itself, before the node runs', async () => {
		await expect(bulk({ number: '+40745000001', notificationCallback: '' }, [{}])).rejects.toThrow(
			/"Notification Callback" is required/,
		);
		expect(await bulkRequests()).toEqual([]);
	});

	test.each([
		['={{ $json.callback }}', /it is empty/],
		['ftp://example.invalid/cb', /is not an http\(s\) URL/],
		[`https://n8n.example.invalid/webhook/${'x'.repeat(240)}`, /more than the 255 CheckMobi accepts/],
	])('a Notification Callback of %j stops the run before anything is sent', async (url, problem) => {
		const { items, error } = await bulk({ number: '+40745000001', notificationCallback: url }, [{}]);
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^Invalid Notification Callback: /);
		expect(error?.message).toMatch(problem);
		expect(await bulkRequests()).toEqual([]);
	});
});

describe('Bulk lookup failures', () => {
	test.each(['status', 'reset'] as const)(
		'a bulk request that CheckMobi processed before the answer failed (%s) is sent exactly once',
		async (type) => {
			await sandbox.control.addFault({ type, status: 500, when: 'after', method: 'POST', path: '/lookup/hlr', count: 1 });
			const { items, error } = await bulk({ number: '={{ $json.phone }}' }, numbers(3).map((phone) => ({ phone })));
			expect(items).toEqual([]);
			expect(error?.message).toMatch(type === 'status' ? /HTTP 500/ : /connection to CheckMobi broke/);
			expect(error?.description).toMatch(/CheckMobi may have .*done the work/);

			expect(await bulkRequests()).toHaveLength(1);
			const stats = await sandbox.control.stats();
			expect(stats.creates).toMatchObject({ bulkRequests: 1, bulkNumbers: 3, bulkAccepted: 3 });
			// CheckMobi did queue them: the results still arrive.
			await sandbox.control.advance({ settle: true });
			const [callback] = await receiver.waitFor(1);
			expect((callback.json as { results: unknown[] }).results).toHaveLength(3);
		},
	);

	test('with Continue On Fail, a failed request gives one error item paired with its items; the other requests go on', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/lookup/hlr', count: 1 });
		const all = numbers(2500);
		const { items, error } = await bulk({ number: '={{ $json.phone }}' }, all.map((phone) => ({ phone })), {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();

		const requests = await bulkRequests();
		// Not retried: three requests, the first refused, the others accepted.
		expect(requests.map((request) => [request.status, sentNumbers(request).length])).toEqual([
			[500, 1000],
			[200, 1000],
			[200, 500],
		]);
		expect(requests.flatMap(sentNumbers)).toEqual(all);

		expect(items).toHaveLength(3);
		expect(items[0].json).toEqual({ error: expect.stringMatching(/HTTP 500/), description: expect.any(String), code: null, httpStatus: 500, failedAt: 'request' });
		expect(pairedItems(items[0])).toEqual([...Array(1000).keys()]);
		expect(items[1].json).toMatchObject({ batch: 2, batch_count: 3, accepted_count: 1000 });
		expect(pairedItems(items[1])).toEqual([...Array(1000).keys()].map((i) => i + 1000));
		expect(items[2].json).toMatchObject({ batch: 3, batch_count: 3, accepted_count: 500 });
		expect(pairedItems(items[2])).toEqual([...Array(500).keys()].map((i) => i + 2000));
	});

	test('a CheckMobi error (5, no credit) is reported with its code', async () => {
		await sandbox.reset({ creditBalance: 0, bulkBatchSize: 100, bulkBatchDelayMs: 3_600_000 });
		const { items, error } = await bulk({ number: '+40745000001' }, [{}], { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: expect.objectContaining({ code: 5, httpStatus: 400, failedAt: 'request' }), pairedItem: { item: 0 } }]);
		expect(await bulkRequests()).toHaveLength(1);
	});
});
