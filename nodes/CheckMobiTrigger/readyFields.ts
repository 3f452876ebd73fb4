/**
 * Fields the trigger adds beside CheckMobi's own on every item, so that a workflow needs no Set
 * node to work them out: `query` (the callback URL's query parameters), and for SMS `final` and
 * `delivered`, for calls `answered`. CheckMobi sends none of these names.
 */
import type { IDataObject } from 'n8n-workflow';

import { FINAL_SMS_STATUSES } from '../shared/callbackStatuses';

import { forgetOld } from './deliveryMemory';
import { type Delivery, EVENT_TYPE } from './events';


/** How many answered calls a trigger remembers until their hangup arrives. */
const ANSWERED_CALLS_MAX = 10_000;

/** Calls whose `answer` callback this process accepted, per trigger: call id → when. */
const answeredHere = new Map<string, Map<string, number>>();

function payloadOf(delivery: Delivery): IDataObject {
	const { payload } = delivery;
	return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as IDataObject) : {};
}

function callEvent(payload: IDataObject): string {
	return String(payload.event).toLowerCase();
}

/**
 * Remembers that a call was answered, from its `answer` callback, whether or not that callback
 * starts the workflow: the hangup that follows may not say so itself. `scope` names the trigger.
 */
export function noteAnsweredCall(scope: string, delivery: Delivery, now: number = Date.now()): void {
	const payload = payloadOf(delivery);
	if (delivery.eventType !== EVENT_TYPE.callStatus || callEvent(payload) !== 'answer') return;
	let memory = answeredHere.get(scope);
	if (!memory) {
		memory = new Map();
		answeredHere.set(scope, memory);
	}
	memory.set(String(payload.id), now);
	forgetOld(memory, now, ANSWERED_CALLS_MAX);
}

/**
 * Whether the call was answered: yes at its `answer` event, not yet while ringing. At the hangup,
 * CheckMobi sends `duration_billed` only "when available", so: answered when this trigger took the
 * call's `answer` callback or seconds were billed, not answered when 0 seconds were billed, and
 * null (unknown) when neither is known.
 */
function wasAnswered(scope: string, payload: IDataObject): boolean | null {
	const event = callEvent(payload);
	if (event === 'answer') return true;
	if (event === 'ringing') return false;
	if (event !== 'hangup') return null;
	if (answeredHere.get(scope)?.has(String(payload.id))) return true;
	const billed = payload.duration_billed;
	if (billed === undefined || billed === null || billed === '' || !Number.isFinite(Number(billed))) return null;
	return Number(billed) > 0;
}

/** The fields to add to every item of one accepted delivery. */
export function readyFields(delivery: Delivery, scope: string, query: IDataObject): IDataObject {
	const payload = payloadOf(delivery);
	const fields: IDataObject = {};
	if (delivery.eventType === EVENT_TYPE.smsStatus) {
		const status = String(payload.status).toLowerCase();
		fields.final = FINAL_SMS_STATUSES.includes(status);
		fields.delivered = status === 'delivered';
	}
	if (delivery.eventType === EVENT_TYPE.callStatus) fields.answered = wasAnswered(scope, payload);
	fields.query = { ...query };
	return fields;
}
