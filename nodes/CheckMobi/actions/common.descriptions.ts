/** Fields and choices that several operations share, defined once. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MAX_CONCURRENCY_OPTION } from '../helpers/limits';

export const platformOptions: INodePropertyOptions[] = [
	{ name: 'Android', value: 'android' },
	{ name: 'Desktop', value: 'desktop' },
	{ name: 'iOS', value: 'ios' },
	{ name: 'Web', value: 'web' },
];

/** The languages CheckMobi's voice can speak (the reference's IVR table). */
export const voiceLanguageOptions: INodePropertyOptions[] = [
	{ name: 'Danish', value: 'da-DK' },
	{ name: 'Dutch', value: 'nl-NL' },
	{ name: 'English (Australia)', value: 'en-AU' },
	{ name: 'English (UK)', value: 'en-GB' },
	{ name: 'English (US)', value: 'en-US' },
	{ name: 'French', value: 'fr-FR' },
	{ name: 'French (Canada)', value: 'fr-CA' },
	{ name: 'German', value: 'de-DE' },
	{ name: 'Italian', value: 'it-IT' },
	{ name: 'Polish', value: 'pl-PL' },
	{ name: 'Portuguese', value: 'pt-PT' },
	{ name: 'Portuguese (Brazil)', value: 'pt-BR' },
	{ name: 'Russian', value: 'ru-RU' },
	{ name: 'Spanish', value: 'es-ES' },
	{ name: 'Spanish (US)', value: 'es-US' },
	{ name: 'Swedish', value: 'sv-SE' },
];

/** Languages that have only one voice; the other voice is not available for them. */
export const SINGLE_VOICE_LANGUAGES: Record<string, 'WOMAN'> = {
	'da-DK': 'WOMAN',
	'fr-CA': 'WOMAN',
	'pt-PT': 'WOMAN',
	'ru-RU': 'WOMAN',
	'sv-SE': 'WOMAN',
};

export const voiceOptions: INodePropertyOptions[] = [
	{ name: 'Woman', value: 'WOMAN' },
	{ name: 'Man', value: 'MAN' },
];

export const platformField: INodeProperties = {
	displayName: 'Platform',
	name: 'platform',
	type: 'options',
	options: platformOptions,
	default: 'web',
	description: 'The platform the request is made for. CheckMobi recommends it for better analytics.',
};

export function notificationCallbackField(description: string, required = false): INodeProperties {
	return {
		displayName: 'Notification Callback',
		name: 'notificationCallback',
		type: 'string',
		default: '',
		required,
		placeholder: 'e.g. https://n8n.example.com/webhook/…/checkmobi',
		description,
	};
}

/**
 * The options below tune a run for a workflow builder; an AI agent's tool (the node's `…Tool`
 * variant, where `@tool` is true) runs one call at a time with their defaults, so they are hidden there.
 */
/** End customer's IP, only for operations that CheckMobi's anti-fraud rules look at. */
export const clientIpOption: INodeProperties = {
	displayName: 'Client IP',
	name: 'clientIp',
	displayOptions: { hide: { '@tool': [true] } },
	type: 'string',
	default: '',
	placeholder: 'e.g. 203.0.113.7',
	description:
		"The IP address of your end customer, sent as X-Client-IP. Needed for CheckMobi's IP-based anti-fraud rules when requests come from your server rather than the customer's device.",
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	displayOptions: { hide: { '@tool': [true] } },
	type: 'number',
	typeOptions: { minValue: 1000 },
	default: 30000,
	description: 'How long to wait for CheckMobi to answer, in milliseconds',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	displayOptions: { hide: { '@tool': [true] } },
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY_OPTION },
	default: 1,
	description:
		'How many requests to have in flight at once. Output order and item pairing stay the same whatever the value.',
};

export const paceOption: INodeProperties = {
	displayName: 'Pace to Account Limits',
	name: 'paceToAccountLimits',
	displayOptions: { hide: { '@tool': [true] } },
	type: 'boolean',
	default: true,
	description:
		'Whether to read your account\'s per-minute limits once per run and wait when needed, so that a big run does not fail with error 12 (limits exceeded)',
};

/** The optional fields of an operation, in n8n's "Add Option" collection (also where the router reads timeout, concurrency and pacing). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** A parameter's name and the name the editor (and every error about it) shows. */
export interface FieldName {
	name: string;
	displayName: string;
}

export const PHONE_NUMBER: FieldName = { name: 'number', displayName: 'Phone Number' };
/** The number an SMS or a call goes to. */
export const TO: FieldName = { name: 'to', displayName: 'To' };

/** A phone number typed the way people write it; the operation reads it with `readPhoneNumber`. */
export function phoneNumberField(description: string, field: FieldName = PHONE_NUMBER): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +40745123456',
		description,
	};
}

/** An ID that CheckMobi gave out (MSG-…, CAL-…, a validation's ID): its field, and what errors about it point to. */
export interface IdParameter extends FieldName {
	/** A well-formed ID, shown as the placeholder and in errors. */
	example: string;
	/** The operation whose output holds such an ID, e.g. "SMS → Send". */
	source: string;
}

export function idField(id: IdParameter, description: string): INodeProperties {
	return {
		displayName: id.displayName,
		name: id.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${id.example}`,
		description,
	};
}
