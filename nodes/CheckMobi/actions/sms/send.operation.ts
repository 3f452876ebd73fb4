import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listed, SMS_STATUSES } from '../../../shared/callbackStatuses';
import { hintOnce } from '../../helpers/hints';
import { smsSegments } from '../../helpers/smsSegments';
import type { CheckMobiResponse } from '../../transport';
import {
	optionsCollection,
	phoneNumberField,
	TO,
} from '../common.descriptions';
import { invalidValue, isLeftOut, readClientIp, readPhoneNumber } from '../inputs';
import { asObject } from '../records';
import { readCallbackAndPlatform, sendingOptionFields } from '../sendingOptions';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

/** The most characters of an alphanumeric sender a GSM handset is shown. */
const MAX_ALPHANUMERIC_SENDER = 11;
/** The most digits of a numeric sender (an E.164 number has at most 15). */
const MAX_NUMERIC_SENDER = 15;

export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: 'sms_per_minute', options: { concurrency: true, timeout: true, paceToAccountLimits: true, defaultCountry: true } };

/** Send's fields; SMS → Send and Wait for Delivery shows them too. */
export const sendFields: INodeProperties[] = withSharedOptions(declaration, [
	phoneNumberField(
		'The phone number to send the SMS to, in international form with its country code (E.164). Spaces, dashes and brackets are fine.',
		TO,
	),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		description:
			'The message. Up to 160 characters of the GSM alphabet (Latin letters, digits, common punctuation) go as one SMS, longer texts in parts of 153; ^ { } [ ] ~ | € and \\ count twice. Any other character (accents outside GSM, Cyrillic, Chinese, emoji) makes it Unicode: 70 characters in one SMS, parts of 67. CheckMobi charges each part.',
		hint: 'Sent as transactional (codes, alerts) unless you turn off the Transactional option: CheckMobi prohibits marketing content as transactional',
	},
	optionsCollection([
		{
			displayName: 'Add Estimated SMS Parts to Output',
			// The name saved workflows use; only the label and the output fields changed.
			name: 'addSmsParts',
			type: 'boolean',
			default: true,
			description:
				'Whether to add this node\'s own estimate of the text\'s encoding (estimated_encoding: GSM-7 or UCS-2) and of the number of SMS parts it goes out as (estimated_units). CheckMobi\'s billed "units" come with SMS → Get and the delivery reports.',
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			default: '',
			placeholder: 'e.g. CHKMOB',
			description:
				'The sender the recipient sees, instead of the one in your application settings: a name (alphanumeric, e.g. CHKMOB) or a phone number. It is sent as given. Where a sender does not meet a country\'s or network\'s rules (handsets show at most 11 characters of a name; some countries allow no names, or only registered ones), CheckMobi or the carrier may put another one in its place.',
		},
		{
			displayName: 'Transactional',
			name: 'isTransactional',
			type: 'boolean',
			default: true,
			hint: 'Turn it off for marketing and promotional messages',
			description:
				'Whether the message is transactional (one-time codes, alerts, order updates) rather than promotional. Promotional and marketing content must never be sent as transactional; promotional routes may also be cheaper in some countries.',
		},
		...sendingOptionFields({
			clientIp:
				"The IP address of the end customer this SMS is for, sent as X-Client-IP. CheckMobi's anti-fraud rules need it when requests come from your server (as they do from n8n) rather than from the customer's device.",
			notificationCallback:
				`Where CheckMobi posts the delivery reports of this SMS (${listed(SMS_STATUSES)}). To react to them in n8n, add a CheckMobi Trigger node and paste its Production URL here.`,
			platform: 'The platform of the app the SMS is sent for. CheckMobi recommends it for better analytics.',
		}),
	]),
]);

export const description = updateDisplayOptions({ show: { resource: ['sms'], operation: ['send'] } }, sendFields);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedRequest> {
	const to = readPhoneNumber.call(this, itemIndex, TO);
	const text = readText.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = {};
	const from = readSender.call(this, options.from, itemIndex);
	if (from) body.from = from;
	body.to = to;
	body.text = text;
	if (options.isTransactional !== undefined) {
		body.is_transactional = readBoolean.call(this, options.isTransactional, 'Transactional', itemIndex);
	}
	Object.assign(body, await readCallbackAndPlatform.call(this, options, itemIndex));
	const clientIp = readClientIp.call(this, options.clientIp, itemIndex);

	const toOutput = options.addSmsParts === true
		? (response: CheckMobiResponse): IDataObject => {
				const { encoding, parts } = smsSegments(text);
				return { ...asObject(response), estimated_encoding: encoding, estimated_units: parts };
			}
		: undefined;

	return { request: { method: 'POST', path: '/sms/send', body, clientIp }, toOutput };
}

function readText(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('text', itemIndex);
	const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
	if (text !== undefined && text.trim() !== '') return text;
	throw invalidValue(
		this,
		itemIndex,
		'Text',
		value,
		text === undefined
			? 'The text must be text, not an object or list. Pick the field that holds the message, for example {{ $json.message }}.'
			: 'The text is empty: write the message to send.',
	);
}

/**
 * The sender as given (trimmed): CheckMobi documents no rule for it and picks a compliant one
 * itself where needed. A sender that networks are likely to replace gets a hint, not an error.
 */
function readSender(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const sender = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (sender === undefined) {
		throw invalidValue(this, itemIndex, 'From', value, 'It must be text: a sender name such as CHKMOB or a phone number.');
	}
	const risk = replacementRisk(sender);
	if (risk) {
		hintOnce(this, 'sender', `The sender "${sender}" of item ${itemIndex} ${risk}, so networks may show another one in its place. It is sent as given.`);
	}
	return sender;
}

/** Why networks are likely to replace a sender, or undefined. */
function replacementRisk(sender: string): string | undefined {
	if (/^\+?[\d\s\-().]+$/.test(sender)) {
		const digits = sender.replace(/\D/g, '').length;
		return digits > MAX_NUMERIC_SENDER ? `has ${digits} digits, more than a phone number (${MAX_NUMERIC_SENDER})` : undefined;
	}
	const length = Array.from(sender).length;
	if (length > MAX_ALPHANUMERIC_SENDER) return `has ${length} characters, more than the ${MAX_ALPHANUMERIC_SENDER} a handset shows of a name`;
	if (!/^[A-Za-z0-9 +\-_&.]+$/.test(sender)) return 'holds characters (accents, emoji, symbols) that many networks cannot show in a sender';
	return undefined;
}

function readBoolean(this: IExecuteFunctions, value: unknown, field: string, itemIndex: number): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw invalidValue(this, itemIndex, field, value, 'It must be true or false.');
}
