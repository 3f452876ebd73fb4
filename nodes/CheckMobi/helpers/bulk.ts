/**
 * Bulk HLR/MNP lookups: reading numbers out of list fields and splitting them into requests of
 * at most 1000. Pure functions, so the splitting can be proved without n8n.
 */
import { checkPhoneNumber } from './phoneNumber';

/** The most numbers CheckMobi accepts in one bulk lookup request. */
export const BULK_MAX_NUMBERS = 1000;

/** How numbers are written in the request (CheckMobi echoes each as `original_msisdn`). */
export type BulkNumberFormat = 'e164' | 'asGiven';

/** One number found in the input, and the input item it came from. */
export interface NumberOccurrence {
	number: string;
	itemIndex: number;
}

/** The numbers of one request and the input items it answers for. */
export interface NumberGroup {
	/** Distinct numbers, in the order they were first seen. */
	numbers: string[];
	/** Every input item that holds one of these numbers (duplicates included), ascending. */
	items: number[];
	/** Further occurrences of these numbers in the input that were merged instead of sent again. */
	duplicates: number;
}

export type ListEntries = { ok: true; entries: unknown[] } | { ok: false; problem: string };

/**
 * The entries of a list field: an array (nested arrays flattened), or text split at commas,
 * semicolons and line breaks (a JSON array written as text is read as one). Empty entries are
 * dropped; what is left is for `numberToSend` to judge.
 */
export function listEntries(value: unknown): ListEntries {
	if (value === undefined || value === null) return { ok: true, entries: [] };
	if (typeof value === 'number') return { ok: true, entries: [value] };
	if (Array.isArray(value)) return { ok: true, entries: dropEmpty(value.flat(Infinity)) };
	if (typeof value !== 'string') {
		return { ok: false, problem: `it is ${describeType(value)}, not a list of numbers or text` };
	}
	const text = value.trim();
	if (text.startsWith('[')) {
		const parsed = parseJsonArray(text);
		if (parsed) return { ok: true, entries: dropEmpty(parsed.flat(Infinity)) };
	}
	return { ok: true, entries: dropEmpty(text.split(/[,;\r\n]+/)) };
}

export type NumberToSend = { ok: true; send: string; readable: boolean } | { ok: false; problem: string };

/**
 * What to send for one entry. Readable numbers go in E.164 (or trimmed as given); text that is
 * not a readable number is sent as typed, so that CheckMobi lists it in `rejected` and every
 * number of the input is accounted for in its answer.
 */
export function numberToSend(entry: unknown, format: BulkNumberFormat, defaultCountry?: string): NumberToSend {
	if (typeof entry !== 'string' && typeof entry !== 'number') {
		return { ok: false, problem: `it is ${describeType(entry)}, not a phone number` };
	}
	const typed = String(entry).trim();
	if (typed === '') return { ok: false, problem: 'it is empty' };
	const check = checkPhoneNumber(entry, defaultCountry);
	if (!check.ok) return { ok: true, send: typed, readable: false };
	// As Given sends the typed text only where CheckMobi reads it as the same number: a national
	// number read through the Default Country goes in E.164.
	const asTyped = checkPhoneNumber(entry);
	const sameNumber = asTyped.ok && asTyped.e164 === check.e164;
	return { ok: true, send: format === 'asGiven' && sameNumber ? typed : check.e164, readable: true };
}

/**
 * Splits the numbers into requests of at most `maxPerRequest` (never more than 1000), in input
 * order. Each distinct number is sent once: a repeat is merged into the request that carries its
 * first occurrence, and that request is paired with the repeat's item too.
 */
export function groupNumbers(occurrences: NumberOccurrence[], maxPerRequest = BULK_MAX_NUMBERS): NumberGroup[] {
	const size = Math.min(Math.max(Math.floor(maxPerRequest) || BULK_MAX_NUMBERS, 1), BULK_MAX_NUMBERS);
	const seen = new Map<string, { items: number[]; count: number }>();
	for (const { number, itemIndex } of occurrences) {
		const known = seen.get(number);
		if (known) {
			known.count++;
			known.items.push(itemIndex);
		} else {
			seen.set(number, { items: [itemIndex], count: 1 });
		}
	}

	const distinct = [...seen.entries()];
	const groups: NumberGroup[] = [];
	for (let start = 0; start < distinct.length; start += size) {
		const chunk = distinct.slice(start, start + size);
		const items = new Set<number>();
		let duplicates = 0;
		for (const [, occurrence] of chunk) {
			for (const item of occurrence.items) items.add(item);
			duplicates += occurrence.count - 1;
		}
		groups.push({
			numbers: chunk.map(([number]) => number),
			items: [...items].sort((a, b) => a - b),
			duplicates,
		});
	}
	return groups;
}

function dropEmpty(entries: unknown[]): unknown[] {
	return entries.filter(
		(entry) => entry !== undefined && entry !== null && !(typeof entry === 'string' && entry.trim() === ''),
	);
}

function parseJsonArray(text: string): unknown[] | undefined {
	try {
		const parsed = JSON.parse(text) as unknown;
		return Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
