/** Fields and choices that the SMS operations (and the CheckMobi Trigger) share. */
import type { INodePropertyOptions } from 'n8n-workflow';

import type { IdParameter } from '../common.descriptions';

/** The delivery statuses of an SMS (MDR, delivery reports), for status filters and dropdowns. */
export const smsStatusOptions: INodePropertyOptions[] = [
	{ name: 'Delivered', value: 'delivered', description: 'The handset received the message' },
	{ name: 'Failed', value: 'failed', description: 'The message could not be sent; not charged' },
	{ name: 'Queued', value: 'queued', description: 'CheckMobi accepted the message and is about to send it' },
	{ name: 'Rejected', value: 'rejected', description: 'The carrier refused the message; not charged' },
	{ name: 'Sent', value: 'sent', description: 'Handed to the carrier, no delivery report yet' },
	{ name: 'Undelivered', value: 'undelivered', description: 'The carrier could not deliver it to the handset' },
];

export const smsId: IdParameter = {
	name: 'id',
	displayName: 'SMS ID',
	example: 'MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D',
	source: 'SMS → Send',
};
