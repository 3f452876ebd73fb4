/**
 * The fault matrix: every operation of the CheckMobi node, run by n8n's own engine against the
 * sandbox, under every fault the sandbox can inject, before and after CheckMobi did the work.
 *
 * Generated from two tables (OPERATIONS × FAULTS, in faultCases.ts); whether a cell expects a retry
 * comes from the operation's own declaration (its side effect). Each cell makes four runs of three items:
 * - retried (no side effect; a charged lookup after a 502 or 503): a passing fault is recovered by
 *   a retry (all items succeed); a lasting fault gives an error that names the item and what to
 *   do, and with Continue On Fail the other items go through;
 * - not retried (a validation, an SMS, a call, a bulk lookup, a PIN attempt; a charged lookup
 *   after any other fault): never sent a second time, counted on the sandbox side: without
 *   Continue On Fail the run stops at the item, with it the other items go through.
 * Then each operation once more with n8n's Retry On Fail, which runs the whole node again: a read is
 * read again, anything else is never sent a second time by a later try.
 * What each cell showed is rendered (faultsDoc.ts) as the tables in FAULTS.md, which the last test
 * compares with the file (UPDATE_FAULTS_MD=1 rewrites it), so the document cannot drift from the behaviour.
 *
 * The node runs here built with pauses of a few ms between attempts (the attempts are what is under
 * test here, not the pauses); the real pauses are checked in test/engine/transport.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { resources } from '../../nodes/CheckMobi/actions/registry';
import { isWaitOperation } from '../../nodes/CheckMobi/actions/wait/types';
import type { SideEffect } from '../../nodes/CheckMobi/transport';
import type { CreateCounters } from '../../sandbox/requestLog';
import { readEngineLog, runNode } from '../helpers/engine';
import type { NodeRun } from '../helpers/engine';
import { startReceiver, useSandbox } from '../helpers/sandbox';
import type { Receiver } from '../helpers/sandbox';
import { ATTEMPTS, FAST_RETRIES, type FaultCase, FAULTS, HEALTHY_TIMEOUT_MS, isRetried, type OperationCase, OPERATIONS, RETRY_FAULT, RETRY_ON_FAIL, sideEffectOf, TIMEOUT_MS } from './faultCases';
import { cellKey, type Observed, renderFaultsDoc, type RetryObserved, type When } from './faultsDoc';

const SIGNATURE_KEY = 'fault-matrix-signature-key-never-shown';
const DOC_PATH = join(__dirname, 'FAULTS.md');

const sandbox = useSandbox({ resetBeforeEach: false });
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver?.close();
});

// ---------------------------------------------------------------------------------------------
// Running one operation under one fault

const observed = new Map<string, Observed>();

async function runOperation(op: OperationCase, fault: FaultCase, input: IDataObject[], continueOnFail: boolean, retryOnFail = false): Promise<NodeRun> {
	const parameters = op.parameters as IDataObject;
	return await runNode({
		...(retryOnFail ? RETRY_ON_FAIL : {}),
		nodeType: new CheckMobi(FAST_RETRIES),
		parameters: {
			resource: op.resource,
			operation: op.operation,
			...op.parameters,
			options: { ...((parameters.options as IDataObject) ?? {}), timeout: fault.spec.type === 'timeout' ? TIMEOUT_MS : HEALTHY_TIMEOUT_MS },
		},
		input,
		credentials: { secretKey: sandbox.secretKey, signatureKey: SIGNATURE_KEY, baseUrl: sandbox.url },
		continueOnFail,
	});
}

/**
 * Runs the operation on fresh fixtures with a fault on one item's request; counts on the sandbox side.
 * Under Retry On Fail the fault is on item 0: n8n tries the node again only when the first item fails.
 */
async function runUnderFault(op: OperationCase, fault: FaultCase, when: When, count: number, continueOnFail: boolean, retryOnFail = false) {
	await sandbox.reset();
	const input = await op.input(sandbox, receiver.url);
	const targetItem = op.itemPath && !retryOnFail ? 1 : 0;
	const targetPath = op.itemPath ? op.itemPath(input[targetItem]) : op.path;
	const { lastSeq } = await sandbox.control.requests({ limit: 1 });
	const createsBefore = (await sandbox.control.stats()).creates;
	await sandbox.control.addFault({ ...fault.spec, method: op.method, path: targetPath, when, count });

	const run = await runOperation(op, fault, input, continueOnFail, retryOnFail);

	const requests = (await sandbox.control.requests({ method: op.method, path: op.path, since: lastSeq })).entries;
	const createsAfter = (await sandbox.control.stats()).creates;
	const creates = Object.fromEntries(
		Object.entries(createsAfter).map(([key, value]) => [key, typeof value === 'number' ? value - (createsBefore[key as keyof CreateCounters] as number) : value]),
	) as unknown as CreateCounters;
	const processedCount = requests.filter((entry) => entry.fault === null || entry.fault.endsWith(':after')).length;
	// Requests the fault hit: with `requests`, they show whether a failed request was sent again.
	const hits = requests.filter((entry) => entry.fault !== null).length;
	return { run, input, targetItem, requests: requests.length, hits, done: op.done({ creates, processed: processedCount }) };
}

/** The message ends with "[item N]" for the faulted item. */
function expectItemNamed(message: string, _op: OperationCase, item: number) {
	expect(message).toMatch(new RegExp(`\\[item ${item}\\]$`));
}

function plainItems(items: INodeExecutionData[]) {
	return items.filter((item) => !('error' in item.json && 'httpStatus' in item.json));
}

/** Every input item's output, in input order and paired with it; a failed item gives one error item. */
function expectPaired(items: INodeExecutionData[], op: OperationCase, failedItem?: number) {
	const perItem = op.outputsPerItem ?? 1;
	expect(items.map((item) => item.pairedItem)).toEqual(
		[0, 1, 2].flatMap((index) => Array.from({ length: index === failedItem ? 1 : perItem }, () => ({ item: index }))),
	);
}

const WHAT_TO_DO: Record<SideEffect, RegExp> = {
	none: /Run the workflow again|Raise the Timeout option/,
	creates: /may have (done the work|received the request).*Check its result.*not repeated, so nothing was sent twice/s,
	charges: /may have .*run the lookup and charged it.*not repeated, so it was charged once at most/s,
};

function expectSecretsHidden(text: string) {
	expect(text).not.toContain(sandbox.secretKey);
	expect(text).not.toContain(SIGNATURE_KEY);
}

test('the matrix has a row for every operation of the registry but those that wait (their send is their twin\'s request, under the same side effect)', () => {
	const inMatrix = new Set(OPERATIONS.map((op) => `${op.resource} → ${op.operation}`));
	const operations = Object.entries(resources).flatMap(([resource, byName]) =>
		Object.entries(byName)
			.filter(([, operation]) => !isWaitOperation(operation))
			.map(([name]) => `${resource} → ${name}`),
	);
	expect(operations.filter((key) => !inMatrix.has(key))).toEqual([]);
});

const cells = OPERATIONS.flatMap((op) => FAULTS.map((fault) => [op.name, fault.name, op, fault] as const));

describe.each(['before', 'after'] as const)('a fault %s CheckMobi processed the request', (when) => {
	test.each(cells)('%s × %s', async (_opName, _faultName, op, fault) => {
		const sideEffect = sideEffectOf(op);
		const doneAfter = when === 'after' ? 1 : 0;
		if (isRetried(op, fault)) {
			// A passing fault: one hit, then the retry succeeds and every item goes through.
			const passing = await runUnderFault(op, fault, when, 1, false);
			expect(passing.run.error).toBeUndefined();
			expect(plainItems(passing.run.items)).toHaveLength(passing.run.items.length);
			expectPaired(passing.run.items, op);
			// One hit, then the same request again (the retry): 4 requests for 3 items.
			expect(passing.hits).toBe(1);
			expect(passing.requests).toBe(4);

			// A lasting fault: every attempt fails; the item's error says which and what to do,
			// and with Continue On Fail the other items go through.
			const lasting = await runUnderFault(op, fault, when, ATTEMPTS, true);
			expect(lasting.run.error).toBeUndefined();
			expectPaired(lasting.run.items, op, lasting.targetItem);
			const perItem = op.outputsPerItem ?? 1;
			const failed = lasting.run.items.filter((item) => 'httpStatus' in item.json);
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: lasting.targetItem });
			expect(plainItems(lasting.run.items)).toHaveLength(2 * perItem);
			const { error, description } = failed[0].json as { error: string; description: string };
			expectItemNamed(error, op, lasting.targetItem);
			expect(description).toMatch(WHAT_TO_DO.none);
			expectSecretsHidden(JSON.stringify(failed[0].json));
			expect(lasting.hits).toBe(ATTEMPTS);
			expect(lasting.requests).toBe(ATTEMPTS + 2);
			if (sideEffect === 'charges') {
				// A 502 or 503 after the work is what the rule takes never to happen: then each attempt is charged.
				expect(passing.done).toBe(3 + doneAfter);
				expect(lasting.done).toBe(2 + doneAfter * ATTEMPTS);
			}

			observed.set(cellKey(op, fault, when), {
				message: error,
				description,
				requests: { passingOrStop: passing.requests, lastingOrContinue: lasting.requests },
				hits: { passingOrStop: passing.hits, lastingOrContinue: lasting.hits },
				done: { passingOrStop: passing.done, lastingOrContinue: lasting.done },
				targetItem: lasting.targetItem,
			});
			return;
		}

		// Without Continue On Fail: the run stops at the item, whose request was sent once;
		// nothing after it is sent.
		const stop = await runUnderFault(op, fault, when, 1, false);
		expect(stop.run.error).toBeDefined();
		const message = stop.run.error!.message;
		const description = stop.run.error!.description ?? '';
		expectItemNamed(message, op, stop.targetItem);
		expect(description).toMatch(WHAT_TO_DO[sideEffect]);
		expectSecretsHidden(`${message}\n${description}\n${JSON.stringify(stop.run.error)}`);
		expect(stop.hits).toBe(1);
		expect(stop.requests).toBe(stop.targetItem + 1);
		expect(stop.done).toBe(stop.targetItem + doneAfter);

		// With it: the item becomes an error item, the others are sent (once each) and go through.
		const cont = await runUnderFault(op, fault, when, 1, true);
		expect(cont.run.error).toBeUndefined();
		expectPaired(cont.run.items, op, cont.targetItem);
		const failed = cont.run.items.filter((item) => 'httpStatus' in item.json);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: cont.targetItem });
		expect(failed[0].json).toMatchObject({ error: message, description });
		expect(cont.hits).toBe(1);
		expect(cont.requests).toBe(3);
		expect(cont.done).toBe(2 + doneAfter);

		observed.set(cellKey(op, fault, when), {
			message,
			description,
			requests: { passingOrStop: stop.requests, lastingOrContinue: cont.requests },
			hits: { passingOrStop: stop.hits, lastingOrContinue: cont.hits },
			done: { passingOrStop: stop.done, lastingOrContinue: cont.done },
			targetItem: stop.targetItem,
		});
	});
});

// ---------------------------------------------------------------------------------------------
// With n8n's Retry On Fail: n8n runs the whole node again when it fails (Stop Workflow) or when its
// first output item is an error (Continue On Fail). The fault is an HTTP 500 after CheckMobi did the
// work, on item 0, for one try: all of a read's attempts, the one attempt of anything else.

const retryObserved = new Map<string, RetryObserved>();

describe(`with Retry On Fail (${RETRY_ON_FAIL.maxTries} tries): an ${RETRY_FAULT.name} after CheckMobi did the work, on item 0 for one try`, () => {
	test.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
		const sideEffect = sideEffectOf(op);
		const count = sideEffect === 'none' ? ATTEMPTS : 1;
		const stop = await runUnderFault(op, RETRY_FAULT, 'after', count, false, true);
		const cont = await runUnderFault(op, RETRY_FAULT, 'after', count, true, true);
		const itemError = cont.run.items.find((item) => 'httpStatus' in item.json)?.json.error as string | undefined;
		if (sideEffect === 'none') {
			// Read again on the next try, which passes.
			expect(stop.run.error).toBeUndefined();
			expect(stop.requests).toBe(ATTEMPTS + 3);
			expect(itemError).toBeUndefined();
			expectPaired(cont.run.items, op);
			expect(cont.requests).toBe(ATTEMPTS + 2 + 3);
		} else {
			// Sent once: every later try reuses its outcome, so every try ends with the same error.
			expect(stop.run.error?.message).toMatch(/^CheckMobi failed with HTTP 500 \[item 0\]$/);
			expect([stop.requests, stop.done]).toEqual([1, 1]);
			expect(itemError).toBe(stop.run.error?.message);
			expectPaired(cont.run.items, op, 0);
			expect([cont.requests, cont.done]).toEqual([3, 3]);
		}
		retryObserved.set(op.name, {
			stop: { error: stop.run.error?.message, requests: stop.requests, done: stop.done },
			cont: { error: itemError, requests: cont.requests, done: cont.done },
		});
	});
});

test("n8n's log of every run above holds neither the secret key nor the signature key", () => {
	const log = readEngineLog();
	expect(log).toContain('Start executing node');
	expectSecretsHidden(log);
});

// ---------------------------------------------------------------------------------------------
// FAULTS.md: the matrix as tables (faultsDoc.ts), rendered from what the runs above showed

test('FAULTS.md is the table of what the matrix above showed', () => {
	expect(observed.size).toBe(OPERATIONS.length * FAULTS.length * 2);
	expect(retryObserved.size).toBe(OPERATIONS.length);
	const rendered = renderFaultsDoc(observed, retryObserved);
	if (process.env.UPDATE_FAULTS_MD === '1') writeFileSync(DOC_PATH, rendered);
	let onDisk = '';
	try {
		onDisk = readFileSync(DOC_PATH, 'utf8');
	} catch {
		// missing: the comparison below fails with the whole table
	}
	expect(onDisk).toBe(rendered);
});
