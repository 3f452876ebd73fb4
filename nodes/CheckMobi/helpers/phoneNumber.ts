import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { NUMBERING_PLANS } from './countries';

/** Where a phone number came from, so an error can name it. */
export interface PhoneNumberSource {
	node: INode;
	/** The parameter's display name, for example "To". */
	field: string;
	itemIndex?: number;
	/** ISO2 code of the Default Country option: numbers without an international prefix are national numbers of it. */
	defaultCountry?: string;
}

export type PhoneNumberCheck = { ok: true; e164: string } | { ok: false; problem: string };

// Separators people type between digit groups: spaces (incl. no-break), dashes, dots, slashes, brackets.
const SEPARATORS = /[\s\u00a0\u2000-\u200b\u2010-\u2015\-./()[\]]/g;

/**
 * Reads a phone number the way people type it (`+40 745-123 456`, `(0040) 745.123.456`,
 * `40745123456`, `tel:+40745123456`) and gives its E.164 form with `+`, or says what is wrong.
 */
export function checkPhoneNumber(value: unknown, defaultCountry?: string): PhoneNumberCheck {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
		return checkPhoneNumber(String(value), defaultCountry);
	}
	if (typeof value !== 'string') {
		return { ok: false, problem: 'it is not text' };
	}
	let text = value.trim().replace(/^tel:/i, '');
	if (text === '') return { ok: false, problem: 'it is empty' };

	// "+44 (0)20 …": the bracketed national trunk 0 is not dialled from abroad.
	if (/^(\+|00)/.test(text)) text = text.replace(/\(\s*0\s*\)/g, '');
	text = text.replace(SEPARATORS, '');
	// A leading "+" or the international prefix "00" both introduce the country code.
	if (text.startsWith('+')) text = text.slice(1);
	else if (text.startsWith('00')) text = text.slice(2);
	else if (defaultCountry) {
		const national = nationalToInternational(text, defaultCountry);
		if (!national.ok) return national;
		text = national.digits;
	} else if (text.startsWith('0')) {
		return {
			ok: false,
			problem:
				'it starts with a single 0, so it is a national number without its country code; write it with the country code or set the Default Country option',
		};
	}

	if (!/^\d+$/.test(text)) {
		return { ok: false, problem: 'it may hold only digits, spaces, dashes, dots, brackets and a leading +' };
	}
	if (text.startsWith('0')) return { ok: false, problem: 'a country code never starts with 0' };
	// E.164 allows at most 15 digits; no country's full international number has fewer than 7.
	if (text.length > 15) return { ok: false, problem: `it has ${text.length} digits, more than the 15 E.164 allows` };
	if (text.length < 7) return { ok: false, problem: `it has only ${text.length} digits, too few for a full international number` };
	return { ok: true, e164: `+${text}` };
}

/** A national number (separators removed) as calling code + national digits, the trunk prefix dropped. */
function nationalToInternational(text: string, iso2: string): { ok: true; digits: string } | { ok: false; problem: string } {
	const plan = NUMBERING_PLANS.get(iso2.toUpperCase());
	if (!plan) return { ok: false, problem: `the Default Country ${JSON.stringify(iso2)} is not a known ISO country code` };
	let national = text;
	const trunk = plan.trunkPrefix;
	if (
		trunk &&
		national.startsWith(trunk) &&
		(plan.nationalDigits === undefined || national.length === trunk.length + plan.nationalDigits)
	) {
		national = national.slice(trunk.length);
	}
	return { ok: true, digits: plan.callingCode + national };
}

/** The E.164 form of a phone number, or a NodeOperationError naming the item, field and value. */
export function toE164(value: unknown, source: PhoneNumberSource): string {
	const result = checkPhoneNumber(value, source.defaultCountry);
	if (result.ok) return result.e164;
	throw new NodeOperationError(
		source.node,
		`Invalid phone number in "${source.field}": ${JSON.stringify(value ?? null)}`,
		{
			itemIndex: source.itemIndex,
			description: source.defaultCountry
				? `It cannot be read as a national number of ${source.defaultCountry} (the Default Country option) or an international one: ${result.problem}.`
				: `It cannot be read as an international (E.164) number: ${result.problem}. Example: +40745123456.`,
		},
	);
}
