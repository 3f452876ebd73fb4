/**
 * How many SMS parts (CheckMobi's "units", each charged) a text is sent in.
 *
 * A text made only of GSM 03.38 characters travels as 7-bit GSM-7: 160 characters fit one SMS,
 * a longer text goes in parts of 153 (the rest of each part carries the header that joins them).
 * The extension characters (^ { } \ [ ~ ] | € and form feed) take two places each. Any other
 * character makes the whole text UCS-2: 70 UTF-16 code units in one SMS, 67 per part, where a
 * character outside the Basic Multilingual Plane (most emoji) takes two. A part never ends in the
 * middle of a character, so a two-place character at a boundary moves to the next part.
 */

const GSM7_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(Array.from(GSM7_BASIC));
const EXTENSION = new Set(Array.from(GSM7_EXTENSION));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
	encoding: SmsEncoding;
	/** Places the text takes: septets for GSM-7, UTF-16 code units for UCS-2. */
	length: number;
	/** How many SMS the text is sent as (0 for an empty text). */
	parts: number;
	/** Places one SMS holds for this text: 160/70 when it fits in one, else 153/67 per part. */
	perPart: number;
}

const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
	'GSM-7': { single: 160, multi: 153 },
	'UCS-2': { single: 70, multi: 67 },
};

/** Whether every character of the text is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
	for (const character of text) if (!BASIC.has(character) && !EXTENSION.has(character)) return false;
	return true;
}

/** The encoding, length and number of parts of a text, as the network will send it. */
export function smsSegments(text: string): SmsSegments {
	const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
	// Iterating a string yields whole code points, so a surrogate pair is one character of size 2.
	const sizeOf =
		encoding === 'GSM-7'
			? (character: string) => (EXTENSION.has(character) ? 2 : 1)
			: (character: string) => character.length;
	const { single, multi } = LIMITS[encoding];

	let length = 0;
	for (const character of text) length += sizeOf(character);
	if (length === 0) return { encoding, length, parts: 0, perPart: single };
	if (length <= single) return { encoding, length, parts: 1, perPart: single };

	let parts = 1;
	let used = 0;
	for (const character of text) {
		const size = sizeOf(character);
		if (used + size > multi) {
			parts++;
			used = 0;
		}
		used += size;
	}
	return { encoding, length, parts, perPart: multi };
}
