/**
 * n8n's node setting Retry On Fail, in n8n's own engine against the sandbox. n8n runs the node's
 * whole execute() again when it throws, and (On Error → Continue, either way) when its first output
 * item is an error: same execution, same node, same run index. A try never sends again what an
 * earlier try sent and CheckMobi may have acted on (a validation, an SMS, a call, a bulk lookup, a
 * charged lookup): it reuses that outcome. A request CheckMobi refused, or that never left, is sent
 * again, which is what Retry On Fail is for; reads are sent again on every try.
 * Every count is what the sandbox received.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { keptRunCount } from '../../nodes/CheckMobi/actions/retryOnFail';
import { runCheckMobi } from '../helpers/checkMobi';
import type { NodeRun, OnError } from '../helpers/engine';
import { startReceiver, useSandbox, type Receiver } from '../helpers/sandbox';

const sandbox = useSandbox({ config: { bulkBatchDelayMs: 3_600_000 } });

/** Retry On Fail with n8n's default 3 tries; 1 ms apart to keep the file fast (n8n reads 0 as its default 1000). */
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;
const TRIES = RETRY.maxTries;

const GOOD = '+40745000002';
/** Refused on the node's side before anything is sent: no readable number. */
const UNREADABLE = 'not a number';
/** Readable, but CheckMobi refuses it (error 2: too short for a Romanian number). */
const REFUSED = '+4074512';

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});

type Operation = INodeParameters & { resource: string; operation: string };

async function run(parameters: Operation, input: IDataObject[], onError: OnError, settings: { retryOnFail?: boolean } = RETRY): Promise<NodeRun> {
	const result = await runCheckMobi(sandbox, parameters, input, onError, settings);
	// Nothing outlives the node's run: the last try (or a try n8n does not follow with another) forgets it.
	expect(keptRunCount()).toBe(0);
	return result;
}

/** The requests the sandbox received for a method and path pattern, as [number or body field, status]. */
async function received(method: string, path: string, field: string): Promise<Array<[unknown, number | null]>> {
	const { entries } = await sandbox.control.requests({ method, path });
	return entries.map((entry) => [method === 'GET' ? entry.path.split('/').pop() : (entry.json as IDataObject)[field], entry.status]);
}

/** What an item says, in short: "ok", or its error message. */
const outcome = (item: INodeExecutionData) => (typeof item.json.error === 'string' ? `error: ${item.json.error}` : 'ok');

/** The main and error outputs, whichever continue mode put the items where. */
function allItems(result: NodeRun): INodeExecutionData[] {
	const firstItem = (item: INodeExecutionData) => [item.pairedItem].flat()[0] as { item: number };
	return [...result.items, ...result.errorItems].sort((a, b) => firstItem(a).item - firstItem(b).item);
}

const sms: Operation = { resource: 'sms', operation: 'send', to: '={{ $json.to }}', text: 'Your code is 1234', options: { paceToAccountLimits: false } };

describe.each(['continueRegularOutput', 'continueErrorOutput'] as const)('On Error → %s: the first item fails, so n8n tries the node 3 times', (onError) => {
	test('SMS → Send [unreadable number, good number]: the good SMS is sent once; every try gives the same output', async () => {
		const result = await run(sms, [{ to: UNREADABLE }, { to: GOOD }], onError);
		expect(result.error).toBeUndefined();
		expect(await received('POST', '/sms/send', 'to')).toEqual([[GOOD, 200]]);
		expect((await sandbox.control.stats()).creates.sms).toBe(1);
		const [failed, sent] = allItems(result);
		expect(outcome(failed)).toMatch(/^error: .*\[item 0\]/);
		expect(sent.json.id).toBe((await sandbox.control.smsTo(GOOD))[0].id);
		expect(onError === 'continueErrorOutput' ? result.items : result.errorItems).toHaveLength(onError === 'continueErrorOutput' ? 1 : 0);
	});

	test('SMS → Send [number CheckMobi refuses, good number]: the refused one is sent on every try (nothing was done), the good one once', async () => {
		const result = await run(sms, [{ to: REFUSED }, { to: GOOD }], onError);
		expect(result.error).toBeUndefined();
		expect(await received('POST', '/sms/send', 'to')).toEqual([
			[REFUSED, 400],
			[GOOD, 200],
			[REFUSED, 400],
			[REFUSED, 400],
		]);
		expect((await sandbox.control.stats()).creates.sms).toBe(1);
		expect(allItems(result).map(outcome)).toEqual([expect.stringMatching(/^error: CheckMobi error 2: .*\[item 0\]$/), 'ok']);
	});

	test('Lookup → HLR (charged) [unreadable number, good number]: the good number is looked up and charged once', async () => {
		const parameters = { resource: 'lookup', operation: 'hlr', number: '={{ $json.to }}' };
		const result = await run(parameters, [{ to: UNREADABLE }, { to: GOOD }], onError);
		expect(result.error).toBeUndefined();
		expect(await received('GET', '/lookup/hlr/*', 'number')).toEqual([[GOOD.slice(1), 200]]);
		expect((await sandbox.control.stats()).creates.lookups).toBe(1);
		expect(allItems(result).map(outcome)).toEqual([expect.stringMatching(/^error: /), 'ok']);
	});

	test('Lookup → HLR Bulk [unreadable number, two good numbers]: their one request is sent once', async () => {
		const parameters = {
			resource: 'lookup',
			operation: 'hlrBulk',
			number: '={{ $json.to }}',
			notificationCallback: receiver.url,
			options: { invalidNumbers: 'fail' },
		};
		const result = await run(parameters, [{ to: UNREADABLE }, { to: GOOD }, { to: '+40745000003' }], onError);
		expect(result.error).toBeUndefined();
		const bulk = await sandbox.control.requests({ method: 'POST', path: '/lookup/hlr' });
		expect(bulk.entries.map((entry) => [(entry.json as { numbers: string[] }).numbers, entry.status])).toEqual([[[GOOD, '+40745000003'], 200]]);
		expect((await sandbox.control.stats()).creates.bulkRequests).toBe(1);
		expect(allItems(result).map((item) => [outcome(item).slice(0, 5), item.pairedItem])).toEqual([
			['error', { item: 0 }],
			['ok', [{ item: 1 }, { item: 2 }]],
		]);
	});

	test('Lookup → Check Format (free) [unreadable number, good number]: a read is sent again on every try', async () => {
		const parameters = { resource: 'lookup', operation: 'validate', number: '={{ $json.to }}' };
		const result = await run(parameters, [{ to: UNREADABLE }, { to: GOOD }], onError);
		expect(result.error).toBeUndefined();
		expect(await received('GET', '/lookup/verify/*', 'number')).toEqual(Array.from({ length: TRIES }, () => [GOOD.slice(1), 200]));
	});
});

describe('On Error → Stop Workflow: the node throws, so n8n tries it again', () => {
	test('an SMS that failed after CheckMobi sent it is not sent again: every try ends with its error, nothing after it is sent', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', when: 'after', count: 1 });
		const result = await run(sms, [{ to: GOOD }, { to: '+40745000003' }], 'stopWorkflow');
		expect(result.error?.message).toMatch(/^CheckMobi failed with HTTP 500 \[item 0\]$/);
		expect(result.error?.description).toMatch(/may have done the work.*nothing was sent twice/s);
		expect(await received('POST', '/sms/send', 'to')).toEqual([[GOOD, 500]]);
		expect((await sandbox.control.stats()).creates.sms).toBe(1);
	});

	test('error 12 (account limits) on the first try: the next try sends the SMS again, and it goes through', async () => {
		await sandbox.control.addFault({
			type: 'status',
			status: 400,
			body: JSON.stringify({ code: 12, error: 'Your account exceeded one or more limitations.' }),
			method: 'POST',
			path: '/sms/send',
			count: 1,
		});
		const result = await run(sms, [{ to: GOOD }, { to: '+40745000003' }], 'stopWorkflow');
		expect(result.error).toBeUndefined();
		expect(result.items.map(outcome)).toEqual(['ok', 'ok']);
		expect(await received('POST', '/sms/send', 'to')).toEqual([
			[GOOD, 400],
			[GOOD, 200],
			['+40745000003', 200],
		]);
		expect((await sandbox.control.stats()).creates.sms).toBe(2);
	});

	test('a call that may have been placed is not placed again', async () => {
		await sandbox.control.addFault({ type: 'reset', method: 'POST', path: '/call', when: 'after', count: 1 });
		const parameters = {
			resource: 'call',
			operation: 'place',
			to: '={{ $json.to }}',
			eventsMode: 'json',
			eventsJson: JSON.stringify([{ action: 'speak', text: 'Hello' }, { action: 'hangup' }]),
			options: { paceToAccountLimits: false },
		};
		const result = await run(parameters, [{ to: GOOD }], 'stopWorkflow');
		expect(result.error?.message).toMatch(/^The connection to CheckMobi broke \(connection reset\) \[item 0\]$/);
		expect(await received('POST', '/call', 'to')).toEqual([[GOOD, null]]);
		expect((await sandbox.control.stats()).creates.calls).toBe(1);
	});
});

describe('what is kept, and for how long', () => {
	test('two executions of the same workflow each send their SMS: nothing is shared between executions', async () => {
		for (let execution = 0; execution < 2; execution++) {
			await run(sms, [{ to: UNREADABLE }, { to: GOOD }], 'continueRegularOutput');
		}
		expect(await received('POST', '/sms/send', 'to')).toEqual([
			[GOOD, 200],
			[GOOD, 200],
		]);
	});

	test('without Retry On Fail, n8n runs the node once', async () => {
		const result = await run(sms, [{ to: UNREADABLE }, { to: GOOD }], 'continueRegularOutput', {});
		expect(result.items.map(outcome)).toEqual([expect.stringMatching(/^error: /), 'ok']);
		expect(await received('POST', '/sms/send', 'to')).toEqual([[GOOD, 200]]);
	});
});
