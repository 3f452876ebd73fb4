// What a try of a node run keeps for the next one under Retry On Fail: keyed by execution, node and
// run index, kept only while n8n will try again, and bounded in time and number. The engine tests
// (test/engine/retryOnFail.test.ts) show it in n8n's own retry loop against the sandbox.
import type { INode, INodeExecutionData } from 'n8n-workflow';

import { KEPT_FOR_MS, KEPT_RUNS_MAX, keptRunCount, RetryMemory, triesOf } from '../../nodes/CheckMobi/actions/retryOnFail';
import type { NodeRunId } from '../../nodes/CheckMobi/actions/retryOnFail';
import type { CheckMobiRequest } from '../../nodes/CheckMobi/transport';

/** A request with the input items it is made for (the router passes them beside it). */
type ItemsRequest = CheckMobiRequest & { items: number[] };
const SMS: ItemsRequest = { method: 'POST', path: '/sms/send', body: { to: '+40745000001', text: 'Hi' }, items: [0], sideEffect: 'creates' };
const FAILED: INodeExecutionData[] = [{ json: { error: 'CheckMobi error 2 [item 0]' } }, { json: { id: 'MSG-1' } }];

let executions = 0;
const runOf = (overrides: Partial<NodeRunId> = {}): NodeRunId => ({ executionId: `execution-${++executions}`, nodeName: 'CheckMobi', runIndex: 0, ...overrides });

/** Sends through the memory of one try; counts what reached the wire. */
async function send(memory: RetryMemory | undefined, request: ItemsRequest, sent: string[]): Promise<unknown> {
	const wire = async () => {
		sent.push(JSON.stringify(request.body));
		return { id: `MSG-${sent.length}` };
	};
	return memory ? await memory.send(request, request.items, wire) : await wire();
}

/** One try: opens the memory, sends, ends with `output` (undefined: the try threw). */
async function tryOnce(id: NodeRunId, output: INodeExecutionData[] | undefined, sent: string[], requests = [SMS], maxTries = 3) {
	const memory = RetryMemory.open(id, maxTries);
	const answers = [];
	for (const request of requests) answers.push(await send(memory, request, sent));
	memory?.endTry(output);
	return answers;
}

test('n8n tries a node as its settings say: Retry On Fail off is 1 try, else Max. Tries within 2–5 (3 when unset)', () => {
	const node = (settings: Partial<INode>) => ({ name: 'CheckMobi', ...settings }) as INode;
	expect([
		triesOf(node({})),
		triesOf(node({ retryOnFail: false, maxTries: 4 })),
		triesOf(node({ retryOnFail: true })),
		triesOf(node({ retryOnFail: true, maxTries: 1 })),
		triesOf(node({ retryOnFail: true, maxTries: 4 })),
		triesOf(node({ retryOnFail: true, maxTries: 9 })),
	]).toEqual([1, 1, 3, 2, 4, 5]);
});

test('a later try of the same run reuses the answer; every try gives it back', async () => {
	const id = runOf();
	const sent: string[] = [];
	const answers = [...(await tryOnce(id, undefined, sent)), ...(await tryOnce(id, FAILED, sent)), ...(await tryOnce(id, FAILED, sent))];
	expect(sent).toHaveLength(1);
	expect(answers).toEqual([{ id: 'MSG-1' }, { id: 'MSG-1' }, { id: 'MSG-1' }]);
	// The third try was the last one n8n makes: nothing is left.
	expect(keptRunCount()).toBe(0);
});

test('a request that differs (another item, body or path) is sent', async () => {
	const id = runOf();
	const sent: string[] = [];
	await tryOnce(id, undefined, sent);
	await tryOnce(id, undefined, sent, [
		SMS,
		{ ...SMS, items: [1] },
		{ ...SMS, body: { to: '+40745000001', text: 'Hi again' } },
		{ ...SMS, path: '/validation/request' },
		{ ...SMS, items: [0, 1] },
	]);
	expect(sent).toHaveLength(5);
	RetryMemory.open(id, 3); // claims what the second try kept
});

test('nothing is shared between executions, nodes or runs of a node (a loop)', async () => {
	const id = runOf();
	const sent: string[] = [];
	await tryOnce(id, undefined, sent);
	await tryOnce({ ...id, executionId: `${id.executionId}-other` }, FAILED, sent);
	await tryOnce({ ...id, nodeName: 'CheckMobi1' }, FAILED, sent);
	await tryOnce({ ...id, runIndex: 1 }, FAILED, sent);
	expect(sent).toHaveLength(4);
	await tryOnce(id, [{ json: { id: 'MSG-1' } }], sent);
	expect(sent).toHaveLength(4);
	expect(keptRunCount()).toBe(3);
	for (const other of [{ executionId: `${id.executionId}-other` }, { nodeName: 'CheckMobi1' }, { runIndex: 1 }]) RetryMemory.open({ ...id, ...other }, 3);
	expect(keptRunCount()).toBe(0);
});

test('kept only when n8n will try again: the try threw, or its first item is an error', async () => {
	const ends: Array<[string, INodeExecutionData[] | undefined, number]> = [
		['threw', undefined, 1],
		['first item an error', FAILED, 1],
		['first item ok, a later one an error', [FAILED[1], FAILED[0]], 0],
		['every item ok', [FAILED[1]], 0],
		['error: false', [{ json: { error: false } }], 0],
	];
	for (const [, output, expected] of ends) {
		const id = runOf();
		await tryOnce(id, output, []);
		expect(keptRunCount()).toBe(expected);
		RetryMemory.open(id, 3);
	}
});

test('nothing is kept without an execution id to key it by, or when n8n makes one try', () => {
	expect(RetryMemory.open(runOf({ executionId: undefined }), 3)).toBeUndefined();
	expect(RetryMemory.open(runOf({ executionId: '' }), 3)).toBeUndefined();
	expect(RetryMemory.open(runOf(), 1)).toBeUndefined();
});

test('a failure that proves nothing was done is not kept: the next try sends again', async () => {
	const id = runOf();
	const memory = RetryMemory.open(id, 3)!;
	await expect(memory.send(SMS, SMS.items, async () => Promise.reject(new Error('CheckMobi error 12')))).rejects.toThrow('CheckMobi error 12');
	memory.endTry(undefined);
	const sent: string[] = [];
	await tryOnce(id, [{ json: {} }], sent);
	expect(sent).toHaveLength(1);
});

test('bounded: forgotten when the execution ends, after KEPT_FOR_MS, and beyond KEPT_RUNS_MAX runs the oldest first', async () => {
	// The execution's end (n8n's onExecutionFinish), registered once per run.
	const handlers: Array<() => void> = [];
	const id = runOf();
	RetryMemory.open(id, 5, (handler) => handlers.push(handler))!.endTry(undefined);
	RetryMemory.open(id, 5, (handler) => handlers.push(handler))!.endTry(undefined);
	expect([keptRunCount(), handlers.length]).toEqual([1, 1]);
	handlers[0]();
	expect(keptRunCount()).toBe(0);

	// Time.
	const start = Date.now();
	const late = runOf();
	RetryMemory.open(late, 3, undefined, start)!.endTry(undefined, start);
	expect(keptRunCount()).toBe(1);
	const sent: string[] = [];
	const memory = RetryMemory.open(late, 3, undefined, start + KEPT_FOR_MS);
	await send(memory, SMS, sent);
	expect(sent).toHaveLength(1);
	expect(keptRunCount()).toBe(0);

	// Number: each run sent its SMS; the oldest run's is forgotten, so its next try sends again.
	const ids = Array.from({ length: KEPT_RUNS_MAX + 1 }, () => runOf());
	for (const each of ids) await tryOnce(each, undefined, []);
	expect(keptRunCount()).toBe(KEPT_RUNS_MAX);
	const again: string[] = [];
	await tryOnce(ids[0], [{ json: {} }], again);
	await tryOnce(ids[1], [{ json: {} }], again);
	expect(again).toHaveLength(1);
	expect(keptRunCount()).toBe(KEPT_RUNS_MAX - 1);
	RetryMemory.open(runOf(), 3, undefined, Date.now() + KEPT_FOR_MS); // sweeps all
	expect(keptRunCount()).toBe(0);
});
