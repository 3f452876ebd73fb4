// The control API at /_sandbox/...: a loopback tool for tests, benchmarks and developers (no
// key). It reads and steers the simulated world: config, request log, inboxes, validations,
// messages, calls, the clock, callbacks and faults. README.md lists every endpoint.

import type { IncomingMessage, ServerResponse } from 'node:http';

import { answer, drive, hangup } from './calls';
import { spokenText } from './callEvents';
import type { ManualCallback } from './callbacks';
import { FaultError, type FaultSpec } from './faults';
import { ApiError } from './http';
import { bulkVerify } from './lookups';
import { isFinal, setMessageStatus } from './messaging';
import { analyzeNumber } from './numbers';
import type { ControlHandler } from './server';
import { type Call, fromMicro, type InboxRef, type Message, type SandboxState, SMS_STATUSES, type SmsStatus, type Validation } from './state';
import { verifyValidation } from './validations';

class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

const bad = (message: string) => new ControlError(400, message);
const missing = (message: string) => new ControlError(404, message);

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function renderMessage(m: Message): Record<string, unknown> {
	return {
		id: m.id,
		kind: m.kind,
		validationId: m.validationId,
		from: m.from,
		to: m.to.e164,
		text: m.text,
		encoding: m.encoding,
		units: m.units,
		status: m.status,
		history: m.history,
		chargedAmount: fromMicro(m.chargedMicro),
		chargedRate: fromMicro(m.rateMicro),
		isTransactional: m.isTransactional,
		platform: m.platform,
		notificationCallback: m.notificationCallback,
		requestDate: m.requestDate,
		clientIp: m.clientIp,
	};
}

export function renderCall(c: Call): Record<string, unknown> {
	return {
		id: c.id,
		kind: c.kind,
		validationId: c.validationId,
		from: c.from,
		to: c.to.e164,
		status: c.status,
		ringTimeout: c.ringTimeout,
		events: c.events,
		plannedSeconds: c.plannedSeconds,
		spokenText: spokenText(c.events),
		requestDate: c.requestDate,
		ringingAt: c.ringingAt,
		answeredAt: c.answeredAt,
		endedAt: c.endedAt,
		endReason: c.endReason,
		durationSeconds: c.durationSeconds,
		durationBilled: c.durationBilled,
		chargedAmount: c.chargedMicro === null ? null : fromMicro(c.chargedMicro),
		chargedRate: fromMicro(c.rateMicro),
		notificationCallback: c.notificationCallback,
		notified: c.notified,
		driven: c.driven,
		platform: c.platform,
		clientIp: c.clientIp,
	};
}

function renderValidation(state: SandboxState, v: Validation): Record<string, unknown> {
	const call = v.callId ? state.calls.get(v.callId) : undefined;
	const message = v.messageId ? state.messages.get(v.messageId) : undefined;
	return {
		id: v.id,
		type: v.type,
		number: v.number.e164,
		pin: v.pin,
		createdAt: v.createdAt,
		expiresAt: v.expiresAt,
		expired: state.now() > v.expiresAt,
		attempts: v.attempts,
		maxAttempts: state.config.maxVerifyAttempts,
		validated: v.validated,
		validatedAt: v.validatedAt,
		language: v.language,
		platform: v.platform,
		notificationCallback: v.notificationCallback,
		androidAppHash: v.androidAppHash,
		clientIp: v.clientIp,
		callerNumber: v.callerNumber,
		pinHash: v.pinHash,
		cliPrefix: v.cliPrefix,
		serverHangup: v.serverHangup,
		verifications: v.verifications,
		message: message ? renderMessage(message) : null,
		call: call ? renderCall(call) : null,
	};
}

function renderInboxEntry(state: SandboxState, ref: InboxRef): Record<string, unknown> | null {
	if (ref.kind === 'sms') {
		const m = state.messages.get(ref.id);
		if (!m) return null;
		const v = m.validationId ? state.validations.get(m.validationId) : undefined;
		return { kind: 'sms', id: m.id, at: ref.at, from: m.from, text: m.text, status: m.status, validationId: m.validationId, pin: v ? v.pin : null };
	}
	const c = state.calls.get(ref.id);
	if (!c) return null;
	const answered = c.answeredAt !== null;
	const v = c.validationId ? state.validations.get(c.validationId) : undefined;
	const base = { kind: ref.kind, id: c.id, at: ref.at, from: c.from, status: c.status, endReason: c.endReason, answered, validationId: c.validationId };
	if (ref.kind === 'missed_call') return { ...base, pin: v ? v.pin : null };
	// An IVR PIN or a call's words are known only to someone who picked up.
	return { ...base, spokenText: answered ? spokenText(c.events) : null, pin: ref.kind === 'ivr_call' && answered && v ? v.pin : null };
}

function numberKey(raw: string): string {
	const decoded = decodeURIComponent(raw).trim();
	const n = analyzeNumber(decoded.replace(/^\s*/, ''));
	return n ? n.e164 : decoded.startsWith('+') ? decoded : `+${decoded}`;
}

function requireBody(body: unknown): Record<string, unknown> {
	if (body === undefined) return {};
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('body must be a JSON object');
	return body as Record<string, unknown>;
}

function num(value: string | null, name: string): number | undefined {
	if (value === null || value === '') return undefined;
	const n = Number(value);
	if (!Number.isFinite(n)) throw bad(`${name} must be a number`);
	return n;
}

function stats(state: SandboxState): Record<string, unknown> {
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

type Handler = (args: { state: SandboxState; params: string[]; query: URLSearchParams; body: unknown }) => unknown | Promise<unknown>;

const routes: Array<[method: string, pattern: RegExp, handler: Handler]> = [
	['GET', /^\/health$/, ({ state }) => ({ ok: true, now: state.now(), uptimeMs: Date.now() - state.startedAt, secretKey: state.keys.secretKey, signatureKey: state.keys.signatureKey })],
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
		({ state, query }) => {
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
		'GET',
		/^\/inbox$/,
		({ state }) => ({ numbers: [...state.inbox.entries()].map(([number, refs]) => ({ number, entries: refs.length })) }),
	],
	[
		'GET',
		/^\/inbox\/([^/]+)$/,
		({ state, params }) => {
			const number = numberKey(params[0]);
			const entries = (state.inbox.get(number) ?? []).map((ref) => renderInboxEntry(state, ref)).filter((e) => e !== null);
			let lastPin: string | null = null;
			for (const e of entries) if (typeof e.pin === 'string') lastPin = e.pin;
			return { number, lastPin, entries };
		},
	],
	[
		'GET',
		/^\/validations$/,
		({ state, query }) => {
			const number = query.get('number');
			const key = number ? numberKey(number) : null;
			return [...state.validations.values()].filter((v) => key === null || v.number.e164 === key).map((v) => renderValidation(state, v));
		},
	],
	['GET', /^\/validations\/([^/]+)$/, ({ state, params }) => renderValidation(state, findValidation(state, params[0]))],
	[
		'POST',
		/^\/validations\/([^/]+)\/verify$/,
		({ state, params, body }) => {
			const v = findValidation(state, params[0]);
			const b = requireBody(body);
			const pin = b.pin === undefined ? v.pin : String(b.pin);
			try {
				return { status: 200, body: verifyValidation(state, v, pin, b.use_server_hangup === true) };
			} catch (error) {
				if (error instanceof ApiError) return { status: error.status, body: error.body() };
				throw error;
			}
		},
	],
	[
		'GET',
		/^\/sms$/,
		({ state, query }) => {
			const to = query.get('to');
			const key = to ? numberKey(to) : null;
			return [...state.messages.values()].filter((m) => key === null || m.to.e164 === key).map(renderMessage);
		},
	],
	['GET', /^\/sms\/([^/]+)$/, ({ state, params }) => renderMessage(findMessage(state, params[0]))],
	[
		'POST',
		/^\/sms\/([^/]+)\/status$/,
		({ state, params, body }) => {
			const m = findMessage(state, params[0]);
			const status = requireBody(body).status;
			if (!SMS_STATUSES.includes(status as SmsStatus)) throw bad(`status must be one of ${SMS_STATUSES.join(', ')}`);
			setMessageStatus(state, m, status as SmsStatus, 'control');
			return { ...renderMessage(m), final: isFinal(m.status) };
		},
	],
	[
		'GET',
		/^\/calls$/,
		({ state, query }) => {
			const to = query.get('to');
			const key = to ? numberKey(to) : null;
			return [...state.calls.values()].filter((c) => key === null || c.to.e164 === key).map(renderCall);
		},
	],
	['GET', /^\/calls\/([^/]+)$/, ({ state, params }) => renderCall(findCall(state, params[0]))],
	[
		'POST',
		/^\/calls\/([^/]+)\/answer$/,
		({ state, params }) => {
			const call = findCall(state, params[0]);
			drive(state, call);
			if (!answer(state, call)) throw new ControlError(409, `call ${call.id} is ${call.status}`);
			return renderCall(call);
		},
	],
	[
		'POST',
		/^\/calls\/([^/]+)\/reject$/,
		({ state, params, body }) => {
			const call = findCall(state, params[0]);
			const reason = requireBody(body).reason ?? 'rejected';
			if (reason !== 'rejected' && reason !== 'busy') throw bad('reason must be rejected or busy');
			if (call.status === 'answered' || call.status === 'ended') throw new ControlError(409, `call ${call.id} is ${call.status}`);
			drive(state, call);
			hangup(state, call, reason);
			return renderCall(call);
		},
	],
	[
		'POST',
		/^\/calls\/([^/]+)\/hangup$/,
		({ state, params }) => {
			const call = findCall(state, params[0]);
			if (!hangup(state, call, 'user')) throw new ControlError(409, `call ${call.id} has ended`);
			return renderCall(call);
		},
	],
	['POST', /^\/calls\/([^/]+)\/hold$/, ({ state, params }) => {
		const call = findCall(state, params[0]);
		drive(state, call);
		return renderCall(call);
	}],
	[
		'POST',
		/^\/advance$/,
		async ({ state, body }) => {
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
		async ({ state, body }) => {
			const b = requireBody(body);
			const settled = await state.callbacks.settle(typeof b.timeoutMs === 'number' ? b.timeoutMs : 10_000);
			return { settled, inFlight: state.callbacks.pending };
		},
	],
	['GET', /^\/clock$/, ({ state }) => ({ now: state.now(), pending: state.scheduler.describe() })],
	[
		'GET',
		/^\/callbacks$/,
		({ state, query }) => ({
			dropped: state.callbacks.dropped,
			inFlight: state.callbacks.pending,
			deliveries: state.callbacks
				.list({
					kind: query.get('kind') ?? undefined,
					objectId: query.get('objectId') ?? undefined,
					url: query.get('url') ?? undefined,
					since: num(query.get('since'), 'since'),
				})
				.map((d) => ({ ...d, json: parseJson(d.body) ?? null })),
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
			return { ...delivery, json: parseJson(delivery.body) ?? null };
		},
	],
	[
		'GET',
		/^\/callbacks\/(\d+)$/,
		({ state, params }) => {
			const d = state.callbacks.get(Number(params[0]));
			if (!d) throw missing(`no callback ${params[0]}`);
			return { ...d, json: parseJson(d.body) ?? null };
		},
	],
	[
		'POST',
		/^\/callbacks\/(\d+)\/resend$/,
		async ({ state, params }) => {
			const d = await state.callbacks.resend(Number(params[0]));
			if (!d) throw missing(`no callback ${params[0]}`);
			return { ...d, json: parseJson(d.body) ?? null };
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
			[...state.bulks.values()].map((b) => ({
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

function findValidation(state: SandboxState, raw: string): Validation {
	const v = state.validations.get(decodeURIComponent(raw).toUpperCase());
	if (!v) throw missing(`no validation ${raw}`);
	return v;
}

function findMessage(state: SandboxState, raw: string): Message {
	const m = state.messages.get(decodeURIComponent(raw).toUpperCase());
	if (!m) throw missing(`no message ${raw}`);
	return m;
}

function findCall(state: SandboxState, raw: string): Call {
	const c = state.calls.get(decodeURIComponent(raw).toUpperCase());
	if (!c) throw missing(`no call ${raw}`);
	return c;
}

function reply(res: ServerResponse, status: number, value: unknown): void {
	const body = Buffer.from(JSON.stringify(value ?? null), 'utf8');
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
	res.end(body);
}

export function createControlHandler(state: SandboxState): ControlHandler {
	return async (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
		const method = (req.method ?? 'GET').toUpperCase() === 'PUT' ? 'PATCH' : (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.slice('/_sandbox'.length) || '/';
		let body: unknown = undefined;
		if (raw.length > 0) {
			body = parseJson(raw.toString('utf8'));
			if (body === undefined) return reply(res, 400, { error: 'body is not JSON' });
		}
		let pathMatched = false;
		for (const [m, pattern, handler] of routes) {
			const match = pattern.exec(path);
			if (!match) continue;
			pathMatched = true;
			if (m !== method && !(m === 'PATCH' && method === 'POST')) continue;
			try {
				const value = await handler({ state, params: match.slice(1), query: url.searchParams, body });
				return reply(res, 200, value);
			} catch (error) {
				if (error instanceof ControlError) return reply(res, error.status, { error: error.message });
				return reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
			}
		}
		return reply(res, pathMatched ? 405 : 404, { error: `no control endpoint ${method} ${url.pathname}` });
	};
}
