/**
 * The fault matrix: every operation of the CheckMobi node, run by n8n's own engine against the
 * sandbox, under every fault the sandbox can inject, before and after CheckMobi did the work.
 *
 * Generated from two tables (OPERATIONS × FAULTS); whether a cell expects a retry comes from the
 * operation's own declaration (its side effect). Each cell makes four runs of three items:
 * - retried (no side effect; a charged lookup after a 502 or 503): a passing fault is recovered by
 *   a retry (all items succeed); a lasting fault gives an error that names the item and what to
 *   do, and with Continue On Fail the other items go through;
 * - not retried (a validation, an SMS, a call, a bulk lookup, a PIN attempt; a charged lookup
 *   after any other fault): never sent a second time, counted on the sandbox side: without
 *   Continue On Fail the run stops at the item, with it the other items go through.
 * Then each operation once more with n8n's Retry On Fail, which runs the whole node again: a read is
 * read again, anything else is never sent a second time by a later try.
 * What each cell showed is rendered as the tables in FAULTS.md, which the last test compares with
 * the file (UPDATE_FAULTS_MD=1 rewrites it), so the document cannot drift from the behaviour.
 *
 * The node runs here built with pauses of a few ms between attempts (the attempts are what is under
 * test here, not the pauses); the real pauses are checked in test/engine/transport.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { resources } from '../../nodes/CheckMobi/actions/registry';
import { isWaitOperation } from '../../nodes/CheckMobi/actions/wait/types';
import type { SideEffect, TransportSettings } from '../../nodes/CheckMobi/transport';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../nodes/CheckMobi/transport';
import type { FaultSpec } from '../../sandbox/faults';
import type { CreateCounters } from '../../sandbox/requestLog';
import { readEngineLog, runNode } from '../helpers/engine';
import type { NodeRun } from '../helpers/engine';
import { startReceiver, useSandbox } from '../helpers/sandbox';
import type { Receiver, SandboxFixture } from '../helpers/sandbox';

/** As many attempts as the real node makes, a few ms apart. */
const FAST_RETRIES: TransportSettings = { retryDelaysMs: DEFAULT_TRANSPORT_SETTINGS.retryDelaysMs.map(() => 5) };
const ATTEMPTS = FAST_RETRIES.retryDelaysMs.length + 1;
/** The node's Timeout option in every run: what a time-out fault makes the node wait. */
/** The Timeout option under a time-out fault (short, to keep the matrix fast)… */
const TIMEOUT_MS = 300;
/** …and under every other fault, long enough that a loaded machine never times out a healthy request. */
const HEALTHY_TIMEOUT_MS = 10_000;
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
// The two tables

interface FaultCase {
	name: string;
	spec: Pick<FaultSpec, 'type' | 'status' | 'headers'>;
	/** The answer says CheckMobi did not do the work (502, 503): a charged request may be sent again. */
	saysNotDone?: boolean;
}

const FAULTS: FaultCase[] = [
	{ name: 'HTTP 500', spec: { type: 'status', status: 500 } },
	{ name: 'HTTP 503', spec: { type: 'status', status: 503, headers: { 'Retry-After': '1' } }, saysNotDone: true },
	{ name: 'time-out', spec: { type: 'timeout' } },
	{ name: 'connection reset', spec: { type: 'reset' } },
	{ name: 'malformed JSON', spec: { type: 'malformed' } },
	{ name: 'HTML error page', spec: { type: 'html' }, saysNotDone: true },
	{ name: 'empty 200', spec: { type: 'empty' } },
];

interface OperationCase {
	name: string;
	resource: string;
	operation: string;
	method: 'GET' | 'POST' | 'DELETE';
	/** The sandbox path pattern of the operation's requests. */
	path: string;
	parameters: INodeParameters;
	/** Three input items (creating what they refer to on the sandbox first). */
	input(sb: SandboxFixture): Promise<IDataObject[]>;
	/** A path pattern that only item 1's request matches; without it the fault hits item 0. */
	itemPath?(item: IDataObject): string;
	/** What the sandbox counts as done by this operation (created objects, used PIN attempts). */
	done(counts: { creates: CreateCounters; processed: number }): number;
	/** Output items per input item (lists give several). */
	outputsPerItem?: number;
}

const phones = (prefix: string) => [1, 2, 3].map((n) => ({ phone: `+4074${prefix}0000${n}` }));
const digitsTail = (phone: unknown) => String(phone).slice(-6);
const created = (key: 'validations' | 'sms' | 'calls' | 'bulkRequests' | 'lookups') => (c: { creates: CreateCounters }) => c.creates[key];
const processed = (c: { processed: number }) => c.processed;

async function validations(sb: SandboxFixture, type: string): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for (const { phone } of phones('51')) {
		const answer = await sb.api.post('/validation/request', { number: phone, type });
		const id = (answer.json as IDataObject).id as string;
		items.push({ id, pin: (await sb.control.validation(id)).pin });
	}
	return items;
}

async function messages(sb: SandboxFixture): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for (const { phone } of phones('52')) {
		const answer = await sb.api.post('/sms/send', { to: phone, text: 'Fixture' });
		items.push({ id: (answer.json as IDataObject).id });
	}
	return items;
}

async function calls(sb: SandboxFixture): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for (const { phone } of phones('53')) {
		const answer = await sb.api.post('/call', { to: phone, events: [{ action: 'speak', text: 'Fixture', loop: 0 }] });
		items.push({ id: (answer.json as IDataObject).id });
	}
	return items;
}

const validationRequest = (label: string, type: string): OperationCase => ({
	name: `Validation → Request (${label})`,
	resource: 'validation',
	operation: 'request',
	method: 'POST',
	path: '/validation/request',
	parameters: { type, number: '={{ $json.phone }}' },
	input: async () => phones(type === 'sms' ? '61' : type === 'ivr' ? '62' : '63'),
	done: created('validations'),
});

const singleLookup = (name: string, operation: string, segment: string): OperationCase => ({
	name: `Lookup → ${name}`,
	resource: 'lookup',
	operation,
	method: 'GET',
	path: `/lookup/${segment}/*`,
	parameters: { number: '={{ $json.phone }}' },
	input: async () => phones('71'),
	itemPath: (item) => `/lookup/${segment}/*${digitsTail(item.phone)}`,
	// The free validation is counted as answered; HLR and MNP by the lookups the sandbox charged.
	done: segment === 'verify' ? processed : created('lookups'),
});

const bulkLookup = (name: string, operation: string, segment: string): OperationCase => ({
	name: `Lookup → ${name}`,
	resource: 'lookup',
	operation,
	method: 'POST',
	path: `/lookup/${segment}`,
	// One request per item, so that one failing request is one failing item.
	parameters: {
		numbersFrom: 'eachItem',
		number: '={{ $json.phone }}',
		notificationCallback: '={{ $json.callback }}',
		options: { numbersPerRequest: 1 },
	},
	input: async () => phones('72').map((item) => ({ ...item, callback: receiver.url })),
	done: created('bulkRequests'),
});

const OPERATIONS: OperationCase[] = [
	{
		name: 'Account → Get',
		resource: 'account',
		operation: 'get',
		method: 'GET',
		path: '/my-account',
		parameters: {},
		input: async () => [{}, {}, {}],
		done: processed,
	},
	validationRequest('SMS', 'sms'),
	validationRequest('IVR', 'ivr'),
	validationRequest('Missed Call', 'reverse_cli'),
	{
		name: 'Validation → Verify',
		resource: 'validation',
		operation: 'verify',
		method: 'POST',
		path: '/validation/verify',
		parameters: { id: '={{ $json.id }}', pin: '={{ $json.pin }}' },
		input: async (sb) => await validations(sb, 'sms'),
		done: processed,
	},
	{
		name: 'Validation → Get Status',
		resource: 'validation',
		operation: 'getStatus',
		method: 'GET',
		path: '/validation/status/*',
		parameters: { id: '={{ $json.id }}' },
		input: async (sb) => await validations(sb, 'sms'),
		itemPath: (item) => `/validation/status/${String(item.id)}`,
		done: processed,
	},
	{
		name: 'Validation → Get Remote Config',
		resource: 'validation',
		operation: 'getRemoteConfig',
		method: 'POST',
		path: '/validation/remote-config',
		parameters: { number: '={{ $json.phone }}', platform: 'android' },
		input: async () => phones('64'),
		done: processed,
	},
	{
		name: 'SMS → Send',
		resource: 'sms',
		operation: 'send',
		method: 'POST',
		path: '/sms/send',
		parameters: { to: '={{ $json.phone }}', text: 'Your code is 1234' },
		input: async () => phones('65'),
		done: created('sms'),
	},
	{
		name: 'SMS → Get',
		resource: 'sms',
		operation: 'get',
		method: 'GET',
		path: '/sms/*',
		parameters: { id: '={{ $json.id }}' },
		input: messages,
		itemPath: (item) => `/sms/${String(item.id)}`,
		done: processed,
	},
	{
		name: 'Call → Place',
		resource: 'call',
		operation: 'place',
		method: 'POST',
		path: '/call',
		parameters: {
			to: '={{ $json.phone }}',
			eventsMode: 'json',
			eventsJson: JSON.stringify([{ action: 'speak', text: 'Hello' }, { action: 'hangup' }]),
		},
		input: async () => phones('66'),
		done: created('calls'),
	},
	{
		name: 'Call → Get',
		resource: 'call',
		operation: 'get',
		method: 'GET',
		path: '/call/*',
		parameters: { id: '={{ $json.id }}' },
		input: calls,
		itemPath: (item) => `/call/${String(item.id)}`,
		done: processed,
	},
	{
		name: 'Call → Hang Up',
		resource: 'call',
		operation: 'hangUp',
		method: 'DELETE',
		path: '/call/*',
		parameters: { id: '={{ $json.id }}' },
		input: calls,
		itemPath: (item) => `/call/${String(item.id)}`,
		done: processed,
	},
	singleLookup('Check Format', 'validate', 'verify'),
	singleLookup('HLR', 'hlr', 'hlr'),
	singleLookup('MNP', 'mnp', 'mnp'),
	bulkLookup('HLR Bulk', 'hlrBulk', 'hlr'),
	bulkLookup('MNP Bulk', 'mnpBulk', 'mnp'),
	{
		name: 'Number → Get Validation Methods',
		resource: 'number',
		operation: 'check',
		method: 'POST',
		path: '/checknumber',
		parameters: { number: '={{ $json.phone }}' },
		input: async () => phones('67'),
		done: processed,
	},
	{
		name: 'Country → Get Many',
		resource: 'country',
		operation: 'getAll',
		method: 'GET',
		path: '/countries',
		parameters: { returnAll: false, limit: 2 },
		input: async () => [{}, {}, {}],
		done: processed,
		outputsPerItem: 2,
	},
	{
		name: 'Prefix → Get Many',
		resource: 'prefix',
		operation: 'getAll',
		method: 'GET',
		path: '/prefixes',
		parameters: { returnAll: false, limit: 2 },
		input: async () => [{}, {}, {}],
		done: processed,
		outputsPerItem: 2,
	},
];

// ---------------------------------------------------------------------------------------------
// Running one operation under one fault

type When = 'before' | 'after';

interface Observed {
	/** The error message and what-to-do the user sees (lasting fault for reads; the one hit for the rest). */
	message: string;
	description: string;
	/** Requests the sandbox received, per run. */
	requests: { passingOrStop: number; lastingOrContinue: number };
	/** Requests the fault hit, per run. */
	hits: { passingOrStop: number; lastingOrContinue: number };
	/** What the sandbox did (created objects, used PIN attempts), per run. */
	done: { passingOrStop: number; lastingOrContinue: number };
	targetItem: number;
}

const observed = new Map<string, Observed>();
const cellKey = (op: OperationCase, fault: FaultCase, when: When) => `${op.name}|${fault.name}|${when}`;

/** n8n's Retry On Fail with its default 3 tries, 1 ms apart (n8n reads 0 as its default 1000 ms). */
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;

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
	const input = await op.input(sandbox);
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

/** The operation's side effect, as its own file declares it. */
const sideEffectOf = (op: OperationCase): SideEffect => resources[op.resource][op.operation].declaration.sideEffect;

/** The retry rule, as the issue states it: reads always; a charged request only after a 502 or 503; a create never here. */
const isRetried = (op: OperationCase, fault: FaultCase): boolean =>
	sideEffectOf(op) === 'none' || (sideEffectOf(op) === 'charges' && fault.saysNotDone === true);

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

const RETRY_FAULT: FaultCase = FAULTS[0];

interface RetryObserved {
	stop: { error?: string; requests: number; done: number };
	cont: { error?: string; requests: number; done: number };
}

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
// FAULTS.md: the matrix as a table, rendered from what the runs above showed

function escapeCell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderFaultsDoc(): string {
	const advice = new Map<string, string>();
	const adviceKey = (description: string) => {
		if (!advice.has(description)) advice.set(description, `D${advice.size + 1}`);
		return advice.get(description)!;
	};
	const rows: string[] = [];
	for (const op of OPERATIONS) {
		for (const fault of FAULTS) {
			for (const when of ['before', 'after'] as const) {
				const cell = observed.get(cellKey(op, fault, when));
				if (!cell) throw new Error(`no result for ${cellKey(op, fault, when)}`);
				const seen = `${escapeCell(cell.message)} (${adviceKey(cell.description)})`;
				const sideEffect = sideEffectOf(op);
				const doneWord = sideEffect === 'charges' ? 'charged' : 'done';
				const counted = (sent: number, done: number) => (sideEffect === 'charges' ? `${sent} sent, ${done} charged` : `${sent}`);
				const retried = isRetried(op, fault)
					? `yes: a passing fault is recovered (${cell.requests.passingOrStop - 3} request sent again); a lasting one fails all ${cell.hits.lastingOrContinue} attempts`
					: 'no: 1 attempt';
				const sends = isRetried(op, fault)
					? `passing: ${counted(cell.requests.passingOrStop, cell.done.passingOrStop)}; lasting: ${counted(cell.requests.lastingOrContinue, cell.done.lastingOrContinue)}`
					: `stop: ${cell.requests.passingOrStop} sent, ${cell.done.passingOrStop} ${doneWord}; continue: ${cell.requests.lastingOrContinue} sent, ${cell.done.lastingOrContinue} ${doneWord}`;
				rows.push(`| ${op.name} | ${sideEffect} | ${fault.name} | ${when} | ${seen} | ${retried} | ${sends} |`);
			}
		}
	}
	const legend = [...advice.entries()].map(([description, key]) => `- **${key}**: ${escapeCell(description)}`);
	const retryRows = OPERATIONS.map((op) => {
		const cell = retryObserved.get(op.name);
		if (!cell) throw new Error(`no Retry On Fail result for ${op.name}`);
		const sideEffect = sideEffectOf(op);
		const counted = ({ requests, done }: { requests: number; done: number }) =>
			sideEffect === 'none' ? `${requests}` : `${requests} sent, ${done} ${sideEffect === 'charges' ? 'charged' : 'done'}`;
		const stop = cell.stop.error ? `fails: ${escapeCell(cell.stop.error)}` : 'passes';
		const cont = cell.cont.error ? `error item: ${escapeCell(cell.cont.error)}` : 'ok';
		return `| ${op.name} | ${sideEffect} | ${stop} | ${counted(cell.stop)} | ${cont} | ${counted(cell.cont)} |`;
	});
	return [
		'# Fault matrix',
		'',
		'<!-- Generated by test/hardening/faults.test.ts from what the runs showed; `UPDATE_FAULTS_MD=1 npx jest test/hardening/faults.test.ts` rewrites it, and the test fails while it differs. -->',
		'',
		`Every operation of the CheckMobi node (${OPERATIONS.length} rows: Validation → Request once per type) under every fault the`,
		`sandbox injects (${FAULTS.length}), **before** CheckMobi processed the request (nothing done) and **after** it (the work done,`,
		`then the answer fails): ${OPERATIONS.length * FAULTS.length * 2} cells, each run in n8n's engine with three input items and the Timeout option at ${TIMEOUT_MS} ms under a time-out fault.`,
		'',
		'Whether a failed request is sent again follows from the side effect each operation declares in its own file',
		'(the transport reads it; this matrix checks it):',
		'',
		'- **none** (reads, a hang-up): retried after any passing fault. A *passing* fault hits one request once; a',
		'  *lasting* one hits all of its attempts, with Continue On Fail on. "Sent" counts the requests the sandbox received',
		'  for the three items.',
		'- **creates** (a validation, an SMS, a call, a bulk lookup, a PIN attempt): never sent again once it may have',
		'  reached CheckMobi. The fault hits one request once. *stop*: without Continue On Fail, the run stops at that item',
		'  and sends nothing after it; *continue*: with it, the other two items are sent. "Sent" is what the sandbox',
		'  received, "done" what it created or used up (its own counters), so "1 sent, 1 done" after a fault *after*',
		'  processing is the one SMS, call or validation the user asked for, never a second one.',
		'- **charges** (single HLR and MNP lookups): retried only when the answer proves CheckMobi did not do the work (a',
		'  502 or 503; or no connection made), else treated like *creates*; "charged" is what the sandbox charged. A 502',
		'  or 503 *after* the work is what that rule takes never to happen (a gateway or an overloaded service answers',
		'  before the API runs); the sandbox can still inject one, and those rows show what it would cost.',
		'- The faulted item is item 1 where its request has a path of its own, else item 0. What the user sees is the',
		'  error of that item (the run\'s error, or the error item with Continue On Fail); what to do is its description,',
		'  listed below the table.',
		'',
		'| Operation | Side effect | Fault | When | What the user sees (what to do) | Retried? | Sent (for 3 items) |',
		'|---|---|---|---|---|---|---|',
		...rows,
		'',
		'What to do (the error\'s description):',
		'',
		...legend,
		'',
		'## With Retry On Fail',
		'',
		`n8n's node setting **Retry On Fail** (${RETRY_ON_FAIL.maxTries} tries here, n8n's default) runs the node's whole execute() again, in the same`,
		'execution, when it fails, or under On Error → Continue when its first output item is an error. Each row: three',
		`items, an ${RETRY_FAULT.name} after CheckMobi did the work on item 0's request for one try (all ${ATTEMPTS} attempts of a read, the one`,
		'attempt of anything else); *stop*: On Error → Stop Workflow, *continue*: Continue (using regular output).',
		'A read is read again by the next try, which passes. What creates or charges something is sent once: a later try',
		'reuses the answers of the first and its error for item 0 (CheckMobi may have acted), so every try ends the same',
		'way. A request CheckMobi refused or that never left is sent again by the next try (not shown here). Before the',
		'node kept them, n8n\'s retries sent the creates and charged lookups again: stop 4 sent, 4 done; continue 6 sent, 6 done.',
		'',
		'| Operation | Side effect | Stop: the run | Stop: sent | Continue: item 0 | Continue: sent |',
		'|---|---|---|---|---|---|',
		...retryRows,
		'',
	].join('\n');
}

test('FAULTS.md is the table of what the matrix above showed', () => {
	expect(observed.size).toBe(OPERATIONS.length * FAULTS.length * 2);
	expect(retryObserved.size).toBe(OPERATIONS.length);
	const rendered = renderFaultsDoc();
	if (process.env.UPDATE_FAULTS_MD === '1') writeFileSync(DOC_PATH, rendered);
	let onDisk = '';
	try {
		onDisk = readFileSync(DOC_PATH, 'utf8');
	} catch {
		// missing: the comparison below fails with the whole table
	}
	expect(onDisk).toBe(rendered);
});
