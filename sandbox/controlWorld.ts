// The control API's view of the simulated world as a whole: health and keys, reset and config, the
// request log and counters, the clock, callbacks, faults and bulk lookups.

import type { CallbackDelivery, ManualCallback } from './callbacks';
import { bad, type ControlRoute, missing, num, parseJson, requireBody } from './controlRequest';
import type { AdvanceView, BulkView, CallbackLog, CallbackView, ClockView, HealthView, RequestLogPage, SandboxStats, SettleView } from './controlViews';
import { FaultError, type FaultSpec } from './faults';
import { bulkVerify } from './lookups';
import { fromMicro, type SandboxState } from './state';

function stats(state: SandboxState): SandboxStats {
	const log = state.log;
	return {
		now: state.now(),
		requests: log.requests,
		retainedRequests: log.retained,
		droppedRequests: log.dropped,
		byEndpoint: Object.fromEntries(log.byEndpoint),
		errorCodes: log.errorCodes,
		limitErrors: log.errorCodes[12] ?? 0,
		creates: log.creates,
		account: { ...state.counters, creditBalance: fromMicro(state.creditMicro) },
		callbacks: { ...state.callbacks.counters, inFlight: state.callbacks.pending, droppedRecords: state.callbacks.dropped },
		pendingTransitions: state.scheduler.pending,
		objects: { validations: state.validations.size, messages: state.messages.size, calls: state.calls.size, bulkLookups: state.bulks.size },
		internalErrors: state.internalErrors,
	};
}

function renderCallback(d: CallbackDelivery): CallbackView {
	return { ...d, json: parseJson(d.body) ?? null };
}

export const worldRoutes: ControlRoute[] = [
	['GET', /^\/health$/, ({ state }): HealthView => ({ ok: true, now: state.now(), uptimeMs: Date.now() - state.startedAt, secretKey: state.keys.secretKey, signatureKey: state.keys.signatureKey })],
	[
		'POST',
		/^\/reset$/,
		({ state, body }) => {
			const b = requireBody(body);
			try {
				state.reset(b.config ?? {});
			} catch (error) {
				throw bad((error as Error).message);
			}
			return { ok: true, config: state.currentConfig() };
		},
	],
	['GET', /^\/config$/, ({ state }) => state.currentConfig()],
	[
		'PATCH',
		/^\/config$/,
		({ state, body }) => {
			try {
				return state.patchConfig(requireBody(body));
			} catch (error) {
				throw bad((error as Error).message);
			}
		},
	],
	[
		'GET',
		/^\/requests$/,
		({ state, query }): RequestLogPage => {
			const entries = state.log.query({
				method: query.get('method') ?? undefined,
				path: query.get('path') ?? undefined,
				endpoint: query.get('endpoint') ?? undefined,
				since: num(query.get('since'), 'since'),
				sinceTime: num(query.get('sinceTime'), 'sinceTime'),
				status: num(query.get('status'), 'status'),
				limit: num(query.get('limit'), 'limit'),
			});
			return {
				total: state.log.requests,
				lastSeq: state.log.lastSeq,
				dropped: state.log.dropped,
				entries: entries.map((e) => ({ ...e, json: e.rawBody ? (parseJson(e.rawBody) ?? null) : null })),
			};
		},
	],
	['GET', /^\/stats$/, ({ state }) => stats(state)],
	[
		'POST',
		/^\/advance$/,
		async ({ state, body }): Promise<AdvanceView> => {
			const b = requireBody(body);
			let ran: number;
			if (b.ms !== undefined) {
				if (typeof b.ms !== 'number' || b.ms < 0) throw bad('ms must be a number >= 0');
				ran = state.scheduler.advanceBy(b.ms);
			} else ran = state.scheduler.runAll();
			const settled = b.settle === true ? await state.callbacks.settle(typeof b.timeoutMs === 'number' ? b.timeoutMs : 10_000) : null;
			return { ran, now: state.now(), pending: state.scheduler.pending, settled };
		},
	],
	[
		'POST',
		/^\/settle$/,
		async ({ state, body }): Promise<SettleView> => {
			const b = requireBody(body);
			const settled = await state.callbacks.settle(typeof b.timeoutMs === 'number' ? b.timeoutMs : 10_000);
			return { settled, inFlight: state.callbacks.pending };
		},
	],
	['GET', /^\/clock$/, ({ state }): ClockView => ({ now: state.now(), pending: state.scheduler.describe() })],
	[
		'GET',
		/^\/callbacks$/,
		({ state, query }): CallbackLog => ({
			dropped: state.callbacks.dropped,
			inFlight: state.callbacks.pending,
			deliveries: state.callbacks
				.list({
					kind: query.get('kind') ?? undefined,
					objectId: query.get('objectId') ?? undefined,
					url: query.get('url') ?? undefined,
					since: num(query.get('since'), 'since'),
				})
				.map(renderCallback),
		}),
	],
	[
		'POST',
		/^\/callbacks\/send$/,
		async ({ state, body }) => {
			const b = requireBody(body) as unknown as ManualCallback;
			if (typeof b.url !== 'string') throw bad('url is required');
			if (b.body !== undefined && typeof b.body !== 'string') throw bad('body must be a string (use json for a value)');
			if (b.sign !== undefined && !['signatureKey', 'secretKey', 'key', 'none'].includes(b.sign)) throw bad('sign must be signatureKey, secretKey, key or none');
			if (b.sign === 'key' && typeof b.key !== 'string') throw bad('sign "key" needs key');
			if (b.encoding !== undefined && b.encoding !== 'hex' && b.encoding !== 'base64') throw bad('encoding must be hex or base64');
			const delivery = await state.callbacks.sendManual(b);
			return renderCallback(delivery);
		},
	],
	[
		'GET',
		/^\/callbacks\/(\d+)$/,
		({ state, params }) => {
			const d = state.callbacks.get(Number(params[0]));
			if (!d) throw missing(`no callback ${params[0]}`);
			return renderCallback(d);
		},
	],
	[
		'POST',
		/^\/callbacks\/(\d+)\/resend$/,
		async ({ state, params }) => {
			const d = await state.callbacks.resend(Number(params[0]));
			if (!d) throw missing(`no callback ${params[0]}`);
			return renderCallback(d);
		},
	],
	['GET', /^\/faults$/, ({ state }) => state.faults.list()],
	[
		'POST',
		/^\/faults$/,
		({ state, body }) => {
			const specs = Array.isArray(body) ? body : [body];
			try {
				const added = specs.map((spec) => state.faults.add(spec as FaultSpec));
				return Array.isArray(body) ? added : added[0];
			} catch (error) {
				if (error instanceof FaultError) throw bad(error.message);
				throw error;
			}
		},
	],
	[
		'DELETE',
		/^\/faults$/,
		({ state }) => {
			state.faults.clear();
			return { ok: true };
		},
	],
	[
		'DELETE',
		/^\/faults\/(\d+)$/,
		({ state, params }) => {
			if (!state.faults.remove(Number(params[0]))) throw missing(`no fault ${params[0]}`);
			return { ok: true };
		},
	],
	[
		'POST',
		/^\/bulk\/verify$/,
		({ state, body }) => {
			const b = requireBody(body);
			const numbers = b.numbers;
			if (!Array.isArray(numbers) || numbers.length === 0 || numbers.some((n) => typeof n !== 'string')) throw bad('numbers must be a non-empty array of strings');
			if (typeof b.notification_callback !== 'string' || !/^https?:\/\//.test(b.notification_callback)) throw bad('notification_callback must be an http(s) URL');
			return bulkVerify(state, numbers as string[], b.notification_callback);
		},
	],
	[
		'GET',
		/^\/bulk$/,
		({ state }) =>
			[...state.bulks.values()].map((b): BulkView => ({
				id: b.id,
				method: b.method,
				notificationCallback: b.notificationCallback,
				createdAt: b.createdAt,
				accepted: b.numbers.length,
				batches: b.batches,
				batchesDone: b.batchesDone,
				error: b.error,
			})),
	],
];
