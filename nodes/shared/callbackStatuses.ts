/**
 * The SMS delivery statuses and call events that CheckMobi's callbacks carry (the reference's
 * `status` of an SMS, `event` of a call), with what each means: one list for the action node's
 * texts and the trigger's filters.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

interface Meaning {
	/** As the editor shows it. */
	name: string;
	description: string;
}

/** In the order an SMS goes through them. */
export const SMS_STATUSES = {
	queued: { name: 'Queued', description: 'CheckMobi accepted the message and is about to send it', final: false },
	sent: { name: 'Sent', description: 'Handed to the carrier, no delivery report yet', final: false },
	delivered: { name: 'Delivered', description: 'The handset received the message', final: true },
	failed: { name: 'Failed', description: 'The message could not be sent; not charged', final: true },
	undelivered: { name: 'Undelivered', description: 'The carrier could not deliver it to the handset', final: true },
	rejected: { name: 'Rejected', description: 'The carrier refused the message; not charged', final: true },
} as const satisfies Record<string, Meaning & { final: boolean }>;

/** In the order a call goes through them. */
export const CALL_EVENTS = {
	ringing: { name: 'Ringing', description: 'The phone is ringing' },
	answer: { name: 'Answer', description: 'The call was answered' },
	hangup: { name: 'Hang-Up', description: 'The call ended; it carries the billed duration and charge' },
} as const satisfies Record<string, Meaning>;

export type SmsStatus = keyof typeof SMS_STATUSES;
export type CallEvent = keyof typeof CALL_EVENTS;

const keys = <T extends object>(list: T) => Object.keys(list) as Array<keyof T & string>;

/** The statuses after which CheckMobi reports nothing more on an SMS. */
export const FINAL_SMS_STATUSES: readonly string[] = keys(SMS_STATUSES).filter((status) => SMS_STATUSES[status].final);

/** The statuses (or events) in their order, as a sentence's list: "queued, sent, delivered, …". */
export const listed = (list: Record<string, Meaning>): string => Object.keys(list).join(', ');

/** Choices for a dropdown, sorted by name as n8n's editor lists them. */
export function asOptions(list: Record<string, Meaning>): INodePropertyOptions[] {
	return Object.entries(list)
		.map(([value, { name, description }]) => ({ name, value, description }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
