/** Fields, readers and choices that the SMS operations (and the CheckMobi Trigger) share. */
import type { IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The delivery statuses of an SMS (MDR, delivery reports), for status filters and dropdowns. */
export const smsStatusOptions: INodePropertyOptions[] = [
	{ name: 'Delivered', value: 'delivered', description: 'The handset received the message' },
	{ name: 'Failed', value: 'failed', description: 'The message could not be sent; not charged' },
	{ name: 'Queued', value: 'queued', description: 'CheckMobi accepted the message and is about to send it' },
	{ name: 'Rejected', value: 'rejected', description: 'The carrier refused the message; not charged' },
	{ name: 'Sent', value: 'sent', description: 'Handed to the carrier, no delivery report yet' },
	{ name: 'Undelivered', value: 'undelivered', description: 'The carrier could not deliver it to the handset' },
];

/** An id as CheckMobi gave it (MSG-…, CAL-…, or a validation id for hang-up); only obvious mistakes are caught. */
export function readId(
	this: IExecuteFunctions,
	itemIndex: number,
	field: { name: string; displayName: string; example: string; source: string },
): string {
	const value = this.getNodeParameter(field.name, itemIndex);
	const id = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
	const fix = `Use the "id" field of the ${field.source} output unchanged, for example ${field.example}.`;
	let problem: string | undefined;
	if (id === undefined) problem = `It must be text. ${fix}`;
	else if (id === '') problem = `It is empty. ${fix}`;
	else if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) {
		problem = `It holds characters that never occur in a CheckMobi ID (spaces, slashes, brackets…). ${fix}`;
	}
	if (problem === undefined) return id as string;
	throw new NodeOperationError(
		this.getNode(),
		`Invalid value in "${field.displayName}": ${JSON.stringify(value ?? null)} [item ${itemIndex}]`,
		{ itemIndex, description: problem },
	);
}
