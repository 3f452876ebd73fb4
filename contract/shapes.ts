/** Shapes the reference repeats across endpoints and callbacks, written once. */
import type { Field, Fields } from './types';

export const str: Field = { type: 'string' };
export const int: Field = { type: 'integer' };
export const float: Field = { type: 'float' };
export const bool: Field = { type: 'boolean' };
export const nullableStr: Field = { type: 'string', nullable: true };

export const PLATFORMS = ['ios', 'android', 'web', 'desktop'] as const;
export const VALIDATION_TYPES = ['sms', 'ivr', 'reverse_cli'] as const;
export const SMS_STATUSES = ['queued', 'sent', 'failed', 'delivered', 'undelivered', 'rejected'] as const;
export const CALL_EVENTS = ['ringing', 'answer', 'hangup'] as const;
/** The IVR table's "Value" column. */
export const VOICE_LANGUAGES = [
	'da-DK', 'nl-NL', 'en-AU', 'en-GB', 'en-US', 'fr-FR', 'fr-CA', 'de-DE',
	'it-IT', 'pl-PL', 'pt-PT', 'pt-BR', 'ru-RU', 'es-ES', 'es-US', 'sv-SE',
] as const;
/** "Number types". */
export const NUMBER_TYPES = [
	'landline', 'mobile', 'mobile_or_landline', 'toll_free', 'premium_rate', 'shared_cost',
	'personal_number', 'voip', 'pager', 'uan', 'voicemail', 'unknown',
] as const;
/** "Reachability State". */
export const REACHABLE = ['connected', 'absent', 'no-teleservice-provisioned', 'inconclusive', 'no-coverage', 'failed', 'invalid'] as const;
/** "Processing Statuses". */
export const PROCESSING_STATUSES = ['completed', 'rejected', 'failed'] as const;

export const platform: Field = { type: 'string', values: PLATFORMS };
export const notificationCallback: Field = { type: 'string' };

/** number_info (SMS, calls), validation_info, and the number part of checknumber and remote-config. */
export const numberInfo: Fields = {
	country_code: str,
	country_iso_code: str,
	carrier: str,
	is_mobile: bool,
	e164_format: str,
	formatting: str,
};

/** `format` of the lookups. */
const format: Field = {
	type: 'object',
	fields: { e164: str, international: str, national: str, rfc3966: str },
};

/** The reference's tables say string; its examples send an integer (40). */
const countryPrefix = (nullable: boolean): Field => ({
	type: 'string',
	nullable,
	choice: { note: 'country_prefix', field: { type: 'integer', nullable } },
});

/** In the reference's examples, not in its tables. */
const countryName = (nullable: boolean): Field => ({ type: 'string', nullable, choice: { note: 'country_name' } });

const nullableInt: Field = { type: 'integer', nullable: true };

/**
 * A lookup's network: the issuing one (original_network) names its country, the current one
 * may be all nulls; `only` keeps some fields (Lookup → Check Format gives fewer).
 */
function network(current: boolean, only?: string[]): Field {
	const fields: Fields = {
		country_iso2: current ? nullableStr : str,
		country_prefix: countryPrefix(current),
		country_name: countryName(current),
		area: nullableStr,
		mccmnc: nullableStr,
		mcc: nullableStr,
		mnc: nullableStr,
		network_name: nullableStr,
	};
	return { type: 'object', fields: only ? Object.fromEntries(only.map((name) => [name, fields[name]])) : fields };
}

const numberType: Field = { type: 'string', values: NUMBER_TYPES };

/** GET /lookup/verify/{NUMBER}. */
export const validationLookup: Fields = {
	id: str,
	cost: float,
	phone_number: str,
	number_type: numberType,
	timezone: str,
	format,
	original_network: network(false, ['country_iso2', 'country_prefix', 'country_name', 'area', 'network_name']),
};

/** GET /lookup/hlr/{NUMBER}. */
export const hlrLookup: Fields = {
	id: str,
	cost: float,
	phone_number: str,
	number_type: numberType,
	timezone: str,
	is_ported: { type: 'boolean', nullable: true },
	reachable: { type: 'string', values: REACHABLE },
	processing_status: { type: 'string', values: PROCESSING_STATUSES },
	imsi: nullableStr,
	format,
	original_network: network(false),
	current_network: network(true),
};

/** GET /lookup/mnp/{NUMBER}. */
export const mnpLookup: Fields = {
	id: str,
	cost: float,
	phone_number: str,
	number_type: numberType,
	timezone: str,
	processing_status: { type: 'string', values: PROCESSING_STATUSES },
	imsi: nullableStr,
	format,
	current_network: network(true),
};

/** A bulk result: the single lookup's fields with `original_msisdn`, the number as sent. */
export function bulkResult(single: Fields): Field {
	return { type: 'object', fields: { original_msisdn: str, ...single } };
}

/** The answer of POST /lookup/hlr and /lookup/mnp. */
export const bulkAccepted: Fields = {
	total_count: int,
	accepted_count: int,
	rejected_count: int,
	rejected: { type: 'array', items: str },
	notification_callback: str,
};

/** verify and status of a validation. */
export const validationStatus: Fields = {
	number: str,
	validated: bool,
	validation_date: nullableInt,
	charged_amount: float,
};

/** "Sent only when is available": the charge, its rate, and what it was counted in (units, seconds). */
export function charges(countedIn: 'units' | 'duration_billed'): Fields {
	const optional = (type: Field['type']): Field => ({ type, optional: true });
	return { charged_amount: optional('float'), charged_rate: optional('float'), [countedIn]: optional('integer') };
}
