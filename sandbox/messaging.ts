// SMS lifecycle: a message is charged when queued, lands in the recipient's inbox, moves
// queued → sent → delivered on timers (or fails for magic numbers / when the control API says so)
// and notifies each status change to its notification_callback.

import { randomUUID } from 'node:crypto';

import { canReceiveSms, describe, MAGIC, type AnalyzedNumber } from './numbers';
import { smsUnits } from './smsEncoding';
import { fromMicro, type Message, type SandboxState, type SmsStatus, toMicro } from './state';

export interface NewMessage {
	kind: 'api' | 'validation';
	id?: string;
	validationId?: string | null;
	from: string;
	to: AnalyzedNumber;
	text: string;
	isTransactional?: boolean;
	platform?: string | null;
	notificationCallback?: string | null;
	clientIp?: string | null;
}

const FINAL: ReadonlySet<SmsStatus> = new Set(['delivered', 'failed', 'undelivered', 'rejected']);

/** Price of a text to a number, before it is sent (for the credit check). */
export function quoteMessage(state: SandboxState, text: string): { units: number; encoding: 'GSM-7' | 'UCS-2'; rateMicro: number; costMicro: number } {
	const { units, encoding } = smsUnits(text);
	const rateMicro = toMicro(state.config.prices.sms);
	return { units, encoding, rateMicro, costMicro: units * rateMicro };
}

export function createMessage(state: SandboxState, input: NewMessage): Message {
	const quote = quoteMessage(state, input.text);
	const message: Message = {
		id: input.id ?? `MSG-${randomUUID().toUpperCase()}`,
		kind: input.kind,
		validationId: input.validationId ?? null,
		from: input.from,
		to: input.to,
		text: input.text,
		encoding: quote.encoding,
		units: quote.units,
		rateMicro: quote.rateMicro,
		chargedMicro: quote.costMicro,
		isTransactional: input.isTransactional ?? true,
		platform: input.platform ?? null,
		notificationCallback: input.notificationCallback ?? null,
		requestDate: state.now(),
		status: 'queued',
		history: [{ status: 'queued', at: state.now(), by: 'sandbox' }],
		timer: null,
		clientIp: input.clientIp ?? null,
	};
	state.charge(message.chargedMicro);
	state.remember(state.messages, message.id, message);
	state.addToInbox(input.to.e164, { kind: 'sms', id: message.id, at: message.requestDate });
	if (state.config.smsAutoProgress) scheduleNext(state, message);
	return message;
}

/** The status a message moves to next by itself, or null when it is final. */
function nextStatus(message: Message): SmsStatus | null {
	const magic = message.to.magic;
	if (message.status === 'queued') {
		if (magic === MAGIC.SMS_FAILED) return 'failed';
		if (magic === MAGIC.SMS_REJECTED) return 'rejected';
		return 'sent';
	}
	if (message.status === 'sent') {
		if (magic === MAGIC.SMS_UNDELIVERED || !canReceiveSms(message.to.numberType)) return 'undelivered';
		return 'delivered';
	}
	return null;
}

function scheduleNext(state: SandboxState, message: Message): void {
	const next = nextStatus(message);
	if (next === null) return;
	const delay = message.status === 'queued' ? state.config.smsSentDelayMs : state.config.smsDeliveredDelayMs;
	message.timer = state.scheduler.schedule(delay, `sms ${message.id} → ${next}`, () => {
		message.timer = null;
		setMessageStatus(state, message, next, 'sandbox');
		scheduleNext(state, message);
	});
}

/** Moves a message to `status` (timers or the control API) and notifies the callback. */
export function setMessageStatus(state: SandboxState, message: Message, status: SmsStatus, by: 'sandbox' | 'control'): void {
	if (by === 'control') {
		state.scheduler.cancel(message.timer);
		message.timer = null;
	}
	const wasCharged = message.chargedMicro > 0;
	message.status = status;
	message.history.push({ status, at: state.now(), by });
	// Failed and rejected messages never left: they are not charged.
	if ((status === 'failed' || status === 'rejected') && wasCharged) {
		state.refund(message.chargedMicro);
		message.chargedMicro = 0;
	} else if (status !== 'failed' && status !== 'rejected' && !wasCharged) {
		message.chargedMicro = message.units * message.rateMicro;
		state.charge(message.chargedMicro);
	}
	if (message.notificationCallback) {
		state.callbacks.send(
			'sms',
			message.notificationCallback,
			{
				id: message.id,
				to: message.to.e164,
				description: describe(message.to),
				status,
				charged_amount: fromMicro(message.chargedMicro),
				charged_rate: fromMicro(message.rateMicro),
				units: message.units,
			},
			message.id,
		);
	}
}

export function isFinal(status: SmsStatus): boolean {
	return FINAL.has(status);
}

/** GET /sms/{id}: the Message Detail Record. */
export function mdr(message: Message): Record<string, unknown> {
	return {
		request_date: Math.floor(message.requestDate / 1000),
		to: message.to.e164,
		description: describe(message.to),
		status: message.status,
		charged_amount: fromMicro(message.chargedMicro),
		charged_rate: fromMicro(message.rateMicro),
		units: message.units,
	};
}
