// SMS units: a text that fits the GSM 03.38 alphabet travels as 7-bit septets (160 in one SMS,
// 153 per part of a long one; the extension characters take two), anything else as UCS-2 (70 in
// one SMS, 67 per part; a character outside the BMP takes two). Parts never split a character.

const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export interface SmsUnits {
	encoding: 'GSM-7' | 'UCS-2';
	/** Septets (GSM-7) or UTF-16 code units (UCS-2). */
	length: number;
	units: number;
	parts: string[];
}

export function isGsm7(text: string): boolean {
	for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
	return true;
}

function split(chars: string[], sizeOf: (ch: string) => number, single: number, perPart: number): { length: number; parts: string[] } {
	let length = 0;
	for (const ch of chars) length += sizeOf(ch);
	if (length <= single) return { length, parts: [chars.join('')] };
	const parts: string[] = [];
	let current = '';
	let used = 0;
	for (const ch of chars) {
		const size = sizeOf(ch);
		if (used + size > perPart) {
			parts.push(current);
			current = '';
			used = 0;
		}
		current += ch;
		used += size;
	}
	if (current) parts.push(current);
	return { length, parts };
}

export function smsUnits(text: string): SmsUnits {
	const chars = Array.from(text);
	if (isGsm7(text)) {
		const { length, parts } = split(chars, (ch) => (EXTENSION.has(ch) ? 2 : 1), 160, 153);
		return { encoding: 'GSM-7', length, units: parts.length, parts };
	}
	const { length, parts } = split(chars, (ch) => ch.length, 70, 67);
	return { encoding: 'UCS-2', length, units: parts.length, parts };
}
