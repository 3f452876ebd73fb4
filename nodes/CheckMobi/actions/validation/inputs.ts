/** Reading and checking the validation operations' inputs, so bad values stop before any request. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { platformOptions, voiceLanguageOptions } from '../common.descriptions';

export const VALIDATION_TYPES = ['sms', 'ivr', 'reverse_cli'] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];

const PLATFORMS = platformOptions.map((option) => String(option.value));
const VOICE_LANGUAGES = voiceLanguageOptions.map((option) => String(option.value));
/** CheckMobi refuses longer callback URLs. */
const MAX_CALLBACK_URL_LENGTH = 255;

function fail(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	description: string,
): never {
	throw new NodeOperationError(
		context.getNode(),
		`Invalid value in "${field}": ${JSON.stringify(value ?? null)} [item ${itemIndex}]`,
		{ itemIndex, description },
	);
}

/** Text of a parameter that may arrive as a number from an expression; objects are refused by the caller. */
function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

export function readValidationType(this: IExecuteFunctions, itemIndex: number): ValidationType {
	const value = this.getNodeParameter('type', itemIndex);
	const type = asText(value)?.toLowerCase();
	if (type && (VALIDATION_TYPES as readonly string[]).includes(type)) return type as ValidationType;
	return fail(this, itemIndex, 'Type', value, 'Use sms (SMS), ivr (IVR call) or reverse_cli (Missed Call).');
}

/**
 * A validation ID as CheckMobi gave it. Only obvious mistakes are caught here (empty, an object,
 * spaces, a pasted URL); CheckMobi itself answers error 3 for an ID it does not know the shape of.
 */
export function readValidationId(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('id', itemIndex);
	const id = asText(value);
	const fix =
		'Use the "id" field of the Validation → Request output unchanged, for example SMS-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D.';
	if (id === undefined) return fail(this, itemIndex, 'Validation ID', value, `It must be text. ${fix}`);
	if (id === '') return fail(this, itemIndex, 'Validation ID', value, `It is empty. ${fix}`);
	if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) {
		return fail(
			this,
			itemIndex,
			'Validation ID',
			value,
			`It holds characters that never occur in a CheckMobi ID (spaces, slashes, brackets…). ${fix}`,
		);
	}
	return id;
}

export function readPlatform(this: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const platform = asText(value)?.toLowerCase();
	if (platform && PLATFORMS.includes(platform)) return platform;
	return fail(this, itemIndex, 'Platform', value, `Use one of: ${PLATFORMS.join(', ')}.`);
}

/** A two-letter ISO 639-1 code, which picks one of the custom SMS texts of the application. */
export function readSmsLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const language = asText(value);
	if (language === '') return undefined;
	if (language && /^[a-z]{2}$/i.test(language)) return language.toLowerCase();
	return fail(
		this,
		itemIndex,
		'Language',
		value,
		'An SMS language is a two-letter ISO 639-1 code such as en, it or fr (not a regional code such as en-US): the code under which the custom SMS text is saved in your CheckMobi application settings.',
	);
}

/** One of the languages CheckMobi's voice speaks, written as CheckMobi writes it (en-US). */
export function readVoiceLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const language = asText(value);
	if (language === '') return undefined;
	const wanted = language?.replace('_', '-').toLowerCase();
	const match = VOICE_LANGUAGES.find((code) => code.toLowerCase() === wanted);
	if (match) return match;
	return fail(this, itemIndex, 'Language', value, `An IVR call speaks one of: ${VOICE_LANGUAGES.join(', ')}.`);
}

/** Remote config covers SMS and voice: either kind of language code. */
export function readAnyLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const language = asText(value);
	if (language === '') return undefined;
	const match = language?.match(/^([a-z]{2})(?:[-_]([a-z]{2}))?$/i);
	if (match) return match[2] ? `${match[1].toLowerCase()}-${match[2].toUpperCase()}` : match[1].toLowerCase();
	return fail(
		this,
		itemIndex,
		'Language',
		value,
		'Use a two-letter ISO 639-1 code such as en (custom SMS texts) or a voice language such as en-US.',
	);
}

/** The 11-character hash Google's SMS Retriever API uses to route an SMS to an Android app. */
export function readAndroidAppHash(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const hash = asText(value);
	if (hash === '') return undefined;
	if (hash && /^[A-Za-z0-9+/]{11}$/.test(hash)) return hash;
	return fail(
		this,
		itemIndex,
		'Android App Hash',
		value,
		'It is the 11-character hash of your Android app (letters, digits, + and /), for example FA+9qCX9VSu. Get it from Get Remote Config with platform Android, or compute it from the app\'s package name and signing certificate as Google\'s SMS Retriever guide explains.',
	);
}

export function readNotificationCallback(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const url = asText(value);
	if (url === '') return undefined;
	const fix =
		'Paste the Production URL of a CheckMobi Trigger node (a full http:// or https:// address that CheckMobi can reach), or leave the option out.';
	if (url === undefined || !isWebAddress(url)) {
		return fail(this, itemIndex, 'Notification Callback', value, `It is not a web address. ${fix}`);
	}
	if (url.length > MAX_CALLBACK_URL_LENGTH) {
		return fail(
			this,
			itemIndex,
			'Notification Callback',
			value,
			`It has ${url.length} characters; CheckMobi accepts at most ${MAX_CALLBACK_URL_LENGTH}. Use a shorter webhook path.`,
		);
	}
	return url;
}

function isWebAddress(text: string): boolean {
	try {
		const { protocol, hostname } = new URL(text);
		return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
	} catch {
		return false;
	}
}

/** The end customer's IP for X-Client-IP: one IPv4 or IPv6 address. */
export function readClientIp(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const ip = asText(value);
	if (ip === '') return undefined;
	if (ip && (isIPv4(ip) || isIPv6(ip))) return ip;
	const list = ip?.includes(',')
		? ' It looks like a list (as in an X-Forwarded-For header): pass only the first address, for example with {{ $json.headers["x-forwarded-for"].split(",")[0].trim() }}.'
		: '';
	return fail(this, itemIndex, 'Client IP', value, `It must be a single IPv4 or IPv6 address, for example 203.0.113.7.${list}`);
}

function isIPv4(text: string): boolean {
	const parts = text.split('.');
	return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function isIPv6(text: string): boolean {
	if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return false;
	const doubleColons = text.split('::').length - 1;
	if (doubleColons > 1) return false;
	const groups = text.split(':').filter((group) => group !== '');
	// An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
	const last = groups[groups.length - 1] ?? '';
	const tailIsIPv4 = last.includes('.');
	if (tailIsIPv4 && !isIPv4(last)) return false;
	const hexGroups = tailIsIPv4 ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
	const count = hexGroups.length + (tailIsIPv4 ? 2 : 0);
	return doubleColons === 1 ? count < 8 : count === 8;
}
