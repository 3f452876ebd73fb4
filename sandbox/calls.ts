// Call lifecycle (voice calls, IVR validation calls, missed calls): ringing → answer → hangup on
// the sandbox clock, one call second = config.callSecondMs real ms. Each event is notified to the
// call's notification_callback; the hangup carries the charges.

import { describe, MAGIC } from './numbers';
import { type Call, type CallEndReason, fromMicro, type SandboxState } from './state';

function callMs(state: SandboxState, seconds: number): number {
	return seconds * state.config.callSecondMs;
}

function later(state: SandboxState, call: Call, delayMs: number, label: string, run: () => void): void {
	const id = state.scheduler.schedule(delayMs, `call ${call.id} ${label}`, () => {
		call.timers.delete(id);
		run();
	});
	call.timers.add(id);
}

function cancelTimers(state: SandboxState, call: Call): void {
	for (const id of call.timers) state.scheduler.cancel(id);
	call.timers.clear();
}

function notify(state: SandboxState, call: Call, event: 'ringing' | 'answer' | 'hangup'): void {
	call.notified.push(event);
	if (!call.notificationCallback) return;
	const payload: Record<string, unknown> = {
		id: call.id,
		from: call.from,
		to: call.to.e164,
		description: describe(call.to),
		event,
	};
	if (event === 'hangup') {
		payload.charged_amount = fromMicro(call.chargedMicro ?? 0);
		payload.charged_rate = fromMicro(call.rateMicro);
		payload.duration_billed = call.durationBilled ?? 0;
	}
	state.callbacks.send('call', call.notificationCallback, payload, call.id);
}

/** Registers a new call and starts it ringing after callRingingDelayMs. */
export function startCall(state: SandboxState, call: Call): void {
	state.remember(state.calls, call.id, call);
	if (call.kind === 'voice') state.activeVoiceCalls++;
	later(state, call, state.config.callRingingDelayMs, 'ringing', () => ring(state, call));
}

function ring(state: SandboxState, call: Call): void {
	if (call.status !== 'initiated') return;
	call.status = 'ringing';
	call.ringingAt = state.now();
	notify(state, call, 'ringing');
	if (call.driven) {
		ringUntilTimeout(state, call);
		return;
	}
	const magic = call.to.magic;
	if (call.kind === 'reverse_cli') {
		// A missed call: the sandbox ends it unanswered, unless this user picks up missed calls.
		if (magic === MAGIC.ANSWERS_MISSED_CALLS) later(state, call, callMs(state, 1), 'answer', () => answer(state, call));
		else later(state, call, state.config.missedCallTimeoutMs, 'missed-call timeout', () => hangup(state, call, 'timeout'));
		return;
	}
	if (magic === MAGIC.CALL_BUSY) {
		later(state, call, callMs(state, 1), 'busy', () => hangup(state, call, 'busy'));
		return;
	}
	const answers =
		magic !== MAGIC.CALL_NEVER_ANSWERED && state.config.callAutoAnswer && state.config.callAnswerAfterSeconds <= call.ringTimeout;
	if (answers) later(state, call, callMs(state, state.config.callAnswerAfterSeconds), 'answer', () => answer(state, call));
	else later(state, call, callMs(state, call.ringTimeout), 'ring timeout', () => hangup(state, call, 'no_answer'));
}

/** The callee picks up. Returns false when the call can no longer be answered. */
export function answer(state: SandboxState, call: Call): boolean {
	if (call.status === 'answered' || call.status === 'ended') return false;
	cancelTimers(state, call);
	if (call.status === 'initiated') {
		call.status = 'ringing';
		call.ringingAt = state.now();
		notify(state, call, 'ringing');
	}
	call.status = 'answered';
	call.answeredAt = state.now();
	notify(state, call, 'answer');
	// A missed call that was answered is closed by the server at once.
	const seconds = call.kind === 'reverse_cli' ? 1 : call.plannedSeconds;
	if (seconds !== null) later(state, call, callMs(state, seconds), 'end of events', () => hangup(state, call, 'completed'));
	return true;
}

/** Ends the call (events finished, no answer, DELETE, user, control). False if already ended. */
export function hangup(state: SandboxState, call: Call, reason: CallEndReason, at?: number): boolean {
	if (call.status === 'ended') return false;
	cancelTimers(state, call);
	const answered = call.status === 'answered';
	call.status = 'ended';
	// A deadline ends the call at the deadline, even when a busy process runs its timer late.
	call.endedAt = at ?? state.now();
	call.endReason = reason;
	let seconds = 0;
	if (answered && call.answeredAt !== null) {
		seconds =
			reason === 'completed' && call.plannedSeconds !== null && call.kind !== 'reverse_cli'
				? call.plannedSeconds
				: Math.max(1, Math.ceil((call.endedAt - call.answeredAt) / state.config.callSecondMs));
	}
	const increment = Math.max(1, state.config.callBillingIncrementSeconds);
	call.durationSeconds = seconds;
	call.durationBilled = seconds > 0 ? Math.ceil(seconds / increment) * increment : 0;
	call.chargedMicro = Math.round((call.durationBilled / 60) * call.rateMicro);
	state.charge(call.chargedMicro);
	if (call.kind === 'voice') state.activeVoiceCalls--;
	notify(state, call, 'hangup');
	return true;
}

/** Without an answer the call ends at ring_timeout after it started ringing (a missed call at missedCallTimeoutMs). */
function ringUntilTimeout(state: SandboxState, call: Call): void {
	const since = call.ringingAt ?? state.now();
	const [timeoutMs, label, reason]: [number, string, CallEndReason] =
		call.kind === 'reverse_cli'
			? [state.config.missedCallTimeoutMs, 'missed-call timeout', 'timeout']
			: [callMs(state, call.ringTimeout), 'ring timeout', 'no_answer'];
	const deadline = since + timeoutMs;
	later(state, call, Math.max(0, deadline - state.now()), label, () => hangup(state, call, reason, deadline));
}

/** The control API takes over: the call stops answering by itself. */
export function drive(state: SandboxState, call: Call): void {
	call.driven = true;
	if (call.status === 'ringing') {
		cancelTimers(state, call);
		ringUntilTimeout(state, call);
	}
}

/** GET /call/{id}: the Call Detail Record (charges only once the call has ended). */
export function cdr(call: Call): Record<string, unknown> {
	const out: Record<string, unknown> = {
		request_date: Math.floor(call.requestDate / 1000),
		to: call.to.e164,
		description: describe(call.to),
	};
	if (call.status === 'ended') {
		out.duration_billed = call.durationBilled ?? 0;
		out.charged_amount = fromMicro(call.chargedMicro ?? 0);
		out.charged_rate = fromMicro(call.rateMicro);
	}
	return out;
}
