// The control API's view of the simulated phones and objects: inboxes, validations, messages and
// calls, read as JSON and steered (verify as the user, set an SMS status, answer or reject a call).

import { answer, drive, hangup } from './calls';
import { spokenText } from './callEvents';
import { bad, ControlError, type ControlRoute, missing, requireBody } from './controlRequest';
import type { CallView, Inbox, InboxEntry, MessageView, ValidationView } from './controlViews';
import { ApiError } from './http';
import { isFinal, setMessageStatus } from './messaging';
import { analyzeNumber } from './numbers';
import { type Call, fromMicro, type InboxRef, type Message, type SandboxState, SMS_STATUSES, type SmsStatus, type Validation } from './state';
import { verifyValidation } from './validations';

export function renderMessage(m: Message): MessageView {
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

export function renderCall(c: Call): CallView {
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

function renderValidation(state: SandboxState, v: Validation): ValidationView {
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

function renderInboxEntry(state: SandboxState, ref: InboxRef): InboxEntry | null {
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

export const objectRoutes: ControlRoute[] = [
	[
		'GET',
		/^\/inbox$/,
		({ state }) => ({ numbers: [...state.inbox.entries()].map(([number, refs]) => ({ number, entries: refs.length })) }),
	],
	[
		'GET',
		/^\/inbox\/([^/]+)$/,
		({ state, params }): Inbox => {
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
];
