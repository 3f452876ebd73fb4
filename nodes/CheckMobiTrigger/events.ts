/**
 * What a CheckMobi callback is about, whether the user asked for it, and the items it becomes.
 *
 * CheckMobi's callbacks carry no type field: the kind is read from the payload's shape.
 */
import type { IDataObject } from 'n8n-workflow';

import { simplifyLookupResult } from '../shared/lookupSummary';

/**
 * The `event_type` of every item, one per callback kind. These strings are a contract: workflows
 * branch on them, so they never change.
 */
export const EVENT_TYPE = {
	validationCompleted: 'validation.completed',
	smsStatus: 'sms.status',
	callStatus: 'call.status',
	lookupHlr: 'lookup.hlr',
	lookupMnp: 'lookup.mnp',
	/** A bulk callback of number validations (lookup_method "verify"), which the reference documents. */
	lookupVerify: 'lookup.verify',
	/** A signed callback whose shape is none of the above (only delivered when asked for). */
	unknown: 'unknown',
} as const;

export type EventType = (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE];

export interface Delivery {
	eventType: EventType;
	/** The parsed JSON body, or undefined when the body is not JSON. */
	payload: unknown;
	/** The body as text, kept only when it is not JSON. */
	text?: string;
}

export interface Selection {
	/** The event types the user picked (the node's Events). */
	events: string[];
	/** SMS statuses to keep; empty keeps all. */
	smsStatuses: string[];
	/** Call events to keep; empty keeps all. */
	callEvents: string[];
}

export type SelectionResult = { selected: true } | { selected: false; reason: string };

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the raw body as UTF-8 JSON (a leading byte-order mark is ignored). */
function parseBody(rawBody: Buffer): { payload: unknown; text?: string } {
	const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
	try {
		return { payload: JSON.parse(text) as unknown };
	} catch {
		return { payload: undefined, text };
	}
}

/** The bulk callback's `lookup_method` values (the reference: hlr, mnp or verify). */
const LOOKUP_EVENTS: Record<string, EventType> = {
	hlr: EVENT_TYPE.lookupHlr,
	mnp: EVENT_TYPE.lookupMnp,
	verify: EVENT_TYPE.lookupVerify,
};

/** Which callback a payload is, from its shape (see the wire notes' callback shapes). */
export function recogniseEvent(payload: unknown): EventType {
	if (!isObject(payload)) return EVENT_TYPE.unknown;
	if (typeof payload.lookup_method === 'string' && ('results' in payload || 'error' in payload)) {
		const method = payload.lookup_method.toLowerCase();
		return LOOKUP_EVENTS[method] ?? EVENT_TYPE.unknown;
	}
	// A completed validation names its validation by `key`, never `id`.
	if (typeof payload.key === 'string' && !('id' in payload)) return EVENT_TYPE.validationCompleted;
	if (typeof payload.id === 'string' && typeof payload.event === 'string') return EVENT_TYPE.callStatus;
	if (typeof payload.id === 'string' && typeof payload.status === 'string') return EVENT_TYPE.smsStatus;
	return EVENT_TYPE.unknown;
}

export function readDelivery(rawBody: Buffer): Delivery {
	const { payload, text } = parseBody(rawBody);
	return { eventType: recogniseEvent(payload), payload, text };
}

/** Whether the user wants this delivery, and if not, why (for the 200 answer). */
export function isSelected(delivery: Delivery, selection: Selection): SelectionResult {
	const { eventType, payload } = delivery;
	if (!selection.events.includes(eventType)) {
		return {
			selected: false,
			reason: eventType === EVENT_TYPE.unknown ? 'unrecognized payload' : `event ${eventType} not selected`,
		};
	}
	if (eventType === EVENT_TYPE.smsStatus && selection.smsStatuses.length > 0 && isObject(payload)) {
		const status = String(payload.status).toLowerCase();
		if (!selection.smsStatuses.includes(status)) return { selected: false, reason: `SMS status ${status} not selected` };
	}
	if (eventType === EVENT_TYPE.callStatus && selection.callEvents.length > 0 && isObject(payload)) {
		const event = String(payload.event).toLowerCase();
		if (!selection.callEvents.includes(event)) return { selected: false, reason: `call event ${event} not selected` };
	}
	return { selected: true };
}

/** `event_type` first, and never overwritten by a field of the payload. */
function tagged(eventType: EventType, fields: IDataObject): IDataObject {
	const rest = { ...fields };
	delete rest.event_type;
	return { event_type: eventType, ...rest };
}

/**
 * The items one accepted delivery becomes. A lookup batch gives one item per result (and one per
 * batch error) unless `splitLookupResults` is off, which keeps one item per delivery.
 */
export function toItems(delivery: Delivery, options: { splitLookupResults: boolean; simplify?: boolean }): IDataObject[] {
	const { eventType, payload } = delivery;
	if (eventType === EVENT_TYPE.unknown || !isObject(payload)) {
		const item: IDataObject = { event_type: EVENT_TYPE.unknown, payload: (payload ?? null) as IDataObject };
		if (delivery.text !== undefined) item.raw_body = delivery.text;
		return [item];
	}
	if (eventType === EVENT_TYPE.validationCompleted) {
		return [tagged(eventType, { validation_id: payload.key, ...payload })];
	}
	if (Object.values(LOOKUP_EVENTS).includes(eventType)) {
		if (!options.splitLookupResults) return [tagged(eventType, payload)];
		const lookupMethod = payload.lookup_method;
		const items: IDataObject[] = [];
		// A failed batch: its error exactly as CheckMobi sent it ({error, description, affected_numbers}).
		if (payload.error !== null && payload.error !== undefined) {
			items.push(tagged(eventType, { lookup_method: lookupMethod, error: payload.error }));
		}
		const results = Array.isArray(payload.results) ? (payload.results as unknown[]) : [];
		for (const result of results) {
			const fields = isObject(result) ? result : { result: result as IDataObject };
			const output = options.simplify && isObject(result) ? simplifyLookupResult(result) : fields;
			items.push(tagged(eventType, { lookup_method: lookupMethod, error: null, ...output }));
		}
		return items;
	}
	return [tagged(eventType, payload)];
}
