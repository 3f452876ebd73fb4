// The fault matrix's two tables (OPERATIONS × FAULTS), how it runs them (attempts, timeouts, Retry
// On Fail) and the retry rule each cell expects; faults.test.ts runs them, faultsDoc.ts renders them.

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { resources } from '../../nodes/CheckMobi/actions/registry';
import type { SideEffect, TransportSettings } from '../../nodes/CheckMobi/transport';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../nodes/CheckMobi/transport';
import type { FaultSpec } from '../../sandbox/faults';
import type { CreateCounters } from '../../sandbox/requestLog';
import type { SandboxFixture } from '../helpers/sandbox';

/** As many attempts as the real node makes, a few ms apart. */
export const FAST_RETRIES: TransportSettings = { retryDelaysMs: DEFAULT_TRANSPORT_SETTINGS.retryDelaysMs.map(() => 5) };
export const ATTEMPTS = FAST_RETRIES.retryDelaysMs.length + 1;
/** The node's Timeout option in every run: what a time-out fault makes the node wait. */
/** The Timeout option under a time-out fault (short, to keep the matrix fast)… */
export const TIMEOUT_MS = 300;
/** …and under every other fault, long enough that a loaded machine never times out a healthy request. */
export const HEALTHY_TIMEOUT_MS = 10_000;

/** n8n's Retry On Fail with its default 3 tries, 1 ms apart (n8n reads 0 as its default 1000 ms). */
export const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;

// ---------------------------------------------------------------------------------------------
// The two tables

export interface FaultCase {
	name: string;
	spec: Pick<FaultSpec, 'type' | 'status' | 'headers'>;
	/** The answer says CheckMobi did not do the work (502, 503): a charged request may be sent again. */
	saysNotDone?: boolean;
}

export const FAULTS: FaultCase[] = [
	{ name: 'HTTP 500', spec: { type: 'status', status: 500 } },
	{ name: 'HTTP 503', spec: { type: 'status', status: 503, headers: { 'Retry-After': '1' } }, saysNotDone: true },
	{ name: 'time-out', spec: { type: 'timeout' } },
	{ name: 'connection reset', spec: { type: 'reset' } },
	{ name: 'malformed JSON', spec: { type: 'malformed' } },
	{ name: 'HTML error page', spec: { type: 'html' }, saysNotDone: true },
	{ name: 'empty 200', spec: { type: 'empty' } },
];

export interface OperationCase {
	name: string;
	resource: string;
	operation: string;
	method: 'GET' | 'POST' | 'DELETE';
	/** The sandbox path pattern of the operation's requests. */
	path: string;
	parameters: INodeParameters;
	/** Three input items (creating what they refer to on the sandbox first); `callbackUrl` receives callbacks. */
	input(sb: SandboxFixture, callbackUrl: string): Promise<IDataObject[]>;
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
	input: async (_sb, callbackUrl) => phones('72').map((item) => ({ ...item, callback: callbackUrl })),
	done: created('bulkRequests'),
});

export const OPERATIONS: OperationCase[] = [
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

/** Retry On Fail's matrix: an HTTP 500 after CheckMobi did the work (faults.test.ts says the rest). */
export const RETRY_FAULT: FaultCase = FAULTS[0];

/** The operation's side effect, as its own file declares it. */
export const sideEffectOf = (op: OperationCase): SideEffect => resources[op.resource][op.operation].declaration.sideEffect;

/** The retry rule, as the issue states it: reads always; a charged request only after a 502 or 503; a create never here. */
export const isRetried = (op: OperationCase, fault: FaultCase): boolean =>
	sideEffectOf(op) === 'none' || (sideEffectOf(op) === 'charges' && fault.saysNotDone === true);
