/**
 * What the validation operations share: the Validation ID, and the readers of the fields only
 * validations have (type, SMS and voice languages, Android app hash).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { IdParameter } from '../common.descriptions';
import { idField, voiceLanguageOptions } from '../common.descriptions';
import { asText, invalidValue, isLeftOut } from '../inputs';

export const VALIDATION_TYPES = ['sms', 'ivr', 'reverse_cli'] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];

const VOICE_LANGUAGES = voiceLanguageOptions.map((option) => String(option.value));

export const validationId: IdParameter = {
	name: 'id',
	displayName: 'Validation ID',
	example: 'SMS-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D',
	source: 'Validation → Request',
};

export const validationIdField: INodeProperties = idField(
	validationId,
	'The ID of the validation, exactly as Validation → Request returned it',
);

export function readValidationType(this: IExecuteFunctions, itemIndex: number): ValidationType {
	const value = this.getNodeParameter('type', itemIndex);
	const type = asText(value)?.toLowerCase();
	if (type && (VALIDATION_TYPES as readonly string[]).includes(type)) return type as ValidationType;
	throw invalidValue(this, itemIndex, 'Type', value, 'Use sms (SMS), ivr (IVR call) or reverse_cli (Missed Call).');
}

/** A two-letter ISO 639-1 code, which picks one of the custom SMS texts of the application. */
export function readSmsLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const language = asText(value);
	if (language && /^[a-z]{2}$/i.test(language)) return language.toLowerCase();
	throw invalidValue(
		this,
		itemIndex,
		'Language',
		value,
		'An SMS language is a two-letter ISO 639-1 code such as en, it or fr (not a regional code such as en-US): the code under which the custom SMS text is saved in your CheckMobi application settings.',
	);
}

/** One of the languages CheckMobi's voice speaks, written as CheckMobi writes it (en-US). */
export function readVoiceLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const language = asText(value);
	const wanted = language?.replace('_', '-').toLowerCase();
	const match = VOICE_LANGUAGES.find((code) => code.toLowerCase() === wanted);
	if (match) return match;
	throw invalidValue(this, itemIndex, 'Language', value, `An IVR call speaks one of: ${VOICE_LANGUAGES.join(', ')}.`);
}

/** Remote config covers SMS and voice: either kind of language code. */
export function readAnyLanguage(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const language = asText(value);
	const match = language?.match(/^([a-z]{2})(?:[-_]([a-z]{2}))?$/i);
	if (match) return match[2] ? `${match[1].toLowerCase()}-${match[2].toUpperCase()}` : match[1].toLowerCase();
	throw invalidValue(
		this,
		itemIndex,
		'Language',
		value,
		'Use a two-letter ISO 639-1 code such as en (custom SMS texts) or a voice language such as en-US.',
	);
}

/** The 11-character hash Google's SMS Retriever API uses to route an SMS to an Android app. */
export function readAndroidAppHash(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const hash = asText(value);
	if (hash && /^[A-Za-z0-9+/]{11}$/.test(hash)) return hash;
	throw invalidValue(
		this,
		itemIndex,
		'Android App Hash',
		value,
		'It is the 11-character hash of your Android app (letters, digits, + and /), for example FA+9qCX9VSu. Get it from Get Remote Config with platform Android, or compute it from the app\'s package name and signing certificate as Google\'s SMS Retriever guide explains.',
	);
}
