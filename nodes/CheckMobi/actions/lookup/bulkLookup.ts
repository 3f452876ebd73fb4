/**
 * What Bulk HLR and Bulk MNP share: the numbers of all input items pooled, each distinct number
 * sent once, in requests of at most 1000; one output item per request, paired with the items
 * whose numbers it carried. The results themselves arrive later at the notification callback.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { BulkNumberFormat, NumberOccurrence } from '../../helpers/bulk';
import { BULK_MAX_NUMBERS, groupNumbers, listEntries, numberToSend } from '../../helpers/bulk';
import { asNodeError } from '../../helpers/nodeError';
import { toE164 } from '../../helpers/phoneNumber';
import type { CheckMobiResponse } from '../../transport';
import { notificationCallbackField, optionsCollection, phoneNumberField } from '../common.descriptions';
import { callbackUrlProblem, checkCallbackReach, MAX_CALLBACK_URL_LENGTH } from '../inputs';
import { asObject } from '../records';
import type { BatchPlan } from '../types';

export type BulkLookupMethod = 'hlr' | 'mnp';

export const NOTHING_TO_SEND = 'No phone numbers in the input: nothing was sent to CheckMobi';

export function bulkLookupDescription(operation: 'hlrBulk' | 'mnpBulk'): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Numbers From',
			name: 'numbersFrom',
			type: 'options',
			options: [
				{
					name: 'Each Input Item',
					value: 'eachItem',
					description:
						'One number per input item, mapped from a field of the item; the numbers of all items are looked up together. For tens of thousands of items, an Aggregate node and A List are much faster: n8n then evaluates the field once, not once per item.',
				},
				{
					name: 'A List',
					value: 'list',
					description:
						'A list of numbers per item: an array field, or text with one number per line or separated by commas; the lists of all items are looked up together',
				},
			],
			default: 'eachItem',
			description: 'Where the numbers to look up come from',
			hint: 'Outputs one item per request of up to 1000 numbers; the results arrive later at the Notification Callback. For long lists set On Error to Continue, so requests already accepted (and charged) stay in the output if a later one fails.',
		},
		{
			...phoneNumberField(
				'The number of this item, in international format. Items without a number are skipped. Each distinct number is looked up once, however many items hold it.',
			),
			// Usually mapped from the item rather than typed.
			placeholder: 'e.g. {{ $json.phone }}',
			displayOptions: { show: { numbersFrom: ['eachItem'] } },
		},
		{
			displayName: 'Phone Numbers',
			name: 'numbers',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.phones }}',
			description:
				'The numbers to look up, in international format: an array, or text with one number per line or separated by commas or semicolons. Empty entries are skipped. Each distinct number is looked up once.',
			displayOptions: { show: { numbersFrom: ['list'] } },
		},
		{
			...notificationCallbackField(
				'Where CheckMobi posts the results: paste the production URL of a CheckMobi Trigger node here. The results arrive in several batches (one call per batch of numbers), and the trigger turns each result into one item. Each result\'s "original_msisdn" is the number exactly as this node sent it.',
				true,
			),
			hint: 'Use the trigger\'s Production URL: a Test URL listens for only one call, and the results come in several',
		},
		optionsCollection([
			{
				displayName: 'Invalid Numbers',
				name: 'invalidNumbers',
				type: 'options',
				options: [
					{
						name: 'Send as Typed',
						value: 'send',
						description:
							'Send numbers the node cannot read as typed: CheckMobi lists them in "rejected" (not charged), so every number is accounted for',
					},
					{
						name: 'Fail the Item',
						value: 'fail',
						description:
							'An item holding a number that cannot be read, or no number at all, fails before anything is sent (an error item with Continue On Fail)',
					},
				],
				default: 'send',
				description: 'What to do with entries that are not readable phone numbers',
			},
			{
				displayName: 'Number Format',
				name: 'numberFormat',
				type: 'options',
				options: [
					{
						name: 'E.164',
						value: 'e164',
						description: 'Send readable numbers as +CCNNN…, so "+40 745-123 456" and "0040745123456" are one number',
					},
					{
						name: 'As Given',
						value: 'asGiven',
						description:
							'Send each number exactly as in the input (trimmed), so "original_msisdn" in the results matches your data verbatim',
					},
				],
				default: 'e164',
				description: 'How numbers are written in the request; CheckMobi reports each result with the number as sent',
			},
			{
				displayName: 'Numbers per Request',
				name: 'numbersPerRequest',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: BULK_MAX_NUMBERS },
				default: BULK_MAX_NUMBERS,
				description: 'How many numbers to send in one request; 1000 is the most CheckMobi accepts',
			},
		]),
	];
	return updateDisplayOptions({ show: { resource: ['lookup'], operation: [operation] } }, properties);
}

export async function prepareBulkLookup(this: IExecuteFunctions, itemCount: number, method: BulkLookupMethod): Promise<BatchPlan> {
	const plan: BatchPlan = { requests: [], failures: [], notes: [] };
	if (itemCount === 0) return plan;

	const notificationCallback = await readCallback.call(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const reading: NumberReading = {
		format: options.numberFormat === 'asGiven' ? 'asGiven' : 'e164',
		failOnInvalid: options.invalidNumbers === 'fail',
		defaultCountry: typeof options.defaultCountry === 'string' && options.defaultCountry !== '' ? options.defaultCountry : undefined,
	};
	const perRequest = Number(options.numbersPerRequest) || BULK_MAX_NUMBERS;
	const fromList = this.getNodeParameter('numbersFrom', 0, 'eachItem') === 'list';

	const occurrences: NumberOccurrence[] = [];
	const goodItems: number[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const numbers = fromList ? readList.call(this, itemIndex, reading) : readOne.call(this, itemIndex, reading);
			for (const number of numbers) occurrences.push({ number, itemIndex });
			goodItems.push(itemIndex);
		} catch (error) {
			plan.failures.push({ itemIndex, error: asNodeError.call(this, error, itemIndex) });
		}
	}

	const groups = groupNumbers(occurrences, perRequest);
	groups.forEach((group, index) => {
		plan.requests.push({
			request: {
				method: 'POST',
				path: `/lookup/${method}`,
				body: { numbers: group.numbers, notification_callback: notificationCallback },
			},
			items: group.items,
			toOutput: (response: CheckMobiResponse) => ({
				...asObject(response),
				lookup_method: method,
				batch: index + 1,
				batch_count: groups.length,
				numbers_sent: group.numbers.length,
				duplicates_skipped: group.duplicates,
			}),
		});
	});

	if (groups.length === 0 && goodItems.length > 0) {
		plan.notes?.push({
			items: goodItems,
			json: {
				total_count: 0,
				accepted_count: 0,
				rejected_count: 0,
				rejected: [],
				notification_callback: notificationCallback,
				lookup_method: method,
				batch: 0,
				batch_count: 0,
				numbers_sent: 0,
				duplicates_skipped: 0,
				message: NOTHING_TO_SEND,
			},
		});
	}
	return plan;
}

/** How the entries of the whole run are read (the options of the first item serve every item). */
interface NumberReading {
	format: BulkNumberFormat;
	failOnInvalid: boolean;
	defaultCountry?: string;
}

/** The callback URL, read once for the whole run (it serves every request). */
async function readCallback(this: IExecuteFunctions): Promise<string> {
	const value = String(this.getNodeParameter('notificationCallback', 0, '') ?? '').trim();
	const fail = (problem: string) =>
		new NodeOperationError(this.getNode(), `Invalid Notification Callback: ${problem}`, {
			description:
				'Paste the production URL of a CheckMobi Trigger node (it starts with https://), where CheckMobi posts the lookup results.',
		});
	// Checked by the same rule as every other callback, but worded for the whole run: it is read once.
	if (value === '') throw fail('it is empty');
	const problem = callbackUrlProblem(value);
	if (problem === 'notWebAddress') throw fail(`${JSON.stringify(value)} is not an http(s) URL`);
	if (problem === 'tooLong') {
		throw fail(`it has ${value.length} characters, more than the ${MAX_CALLBACK_URL_LENGTH} CheckMobi accepts`);
	}
	await checkCallbackReach.call(this, value, (description) =>
		new NodeOperationError(this.getNode(), `Invalid Notification Callback: CheckMobi cannot reach ${JSON.stringify(value)}`, { description }),
	);
	return value;
}

function readOne(this: IExecuteFunctions, itemIndex: number, reading: NumberReading): string[] {
	const value = this.getNodeParameter('number', itemIndex, '') as unknown;
	const field = 'Phone Number';
	if (Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `"${field}" holds a list, not one number`, {
			itemIndex,
			description: 'To look up a list of numbers per item, set "Numbers From" to "A List".',
		});
	}
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		if (reading.failOnInvalid) toE164(value ?? '', { node: this.getNode(), field, itemIndex });
		return [];
	}
	return [toSend.call(this, value, reading, field, itemIndex)];
}

function readList(this: IExecuteFunctions, itemIndex: number, reading: NumberReading): string[] {
	const value = this.getNodeParameter('numbers', itemIndex, '') as unknown;
	const field = 'Phone Numbers';
	const list = listEntries(value);
	if (!list.ok) {
		throw new NodeOperationError(this.getNode(), `"${field}" cannot be read as a list of numbers`, {
			itemIndex,
			description: `${capitalize(list.problem)}. Give an array of numbers, or text with one number per line or separated by commas.`,
		});
	}
	return list.entries.map((entry, position) =>
		toSend.call(this, entry, reading, field, itemIndex, position),
	);
}

function toSend(
	this: IExecuteFunctions,
	entry: unknown,
	reading: NumberReading,
	field: string,
	itemIndex: number,
	position?: number,
): string {
	const where = position === undefined ? `"${field}"` : `entry ${position + 1} of "${field}"`;
	const result = numberToSend(entry, reading.format, reading.defaultCountry);
	if (!result.ok) {
		throw new NodeOperationError(this.getNode(), `Invalid phone number in ${where}`, {
			itemIndex,
			description: `${capitalize(result.problem)}. Map the field to a phone number as text, for example +40745123456.`,
		});
	}
	// toE164 throws the error that names the item, the field and the value.
	if (!result.readable && reading.failOnInvalid) {
		toE164(entry, { node: this.getNode(), field, itemIndex, defaultCountry: reading.defaultCountry });
	}
	return result.send;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
