import type { NumberOccurrence } from '../../nodes/CheckMobi/helpers/bulk';
import { BULK_MAX_NUMBERS, groupNumbers, listEntries, numberToSend } from '../../nodes/CheckMobi/helpers/bulk';

/** n distinct Romanian mobile numbers, one per item. */
function distinctNumbers(n: number): NumberOccurrence[] {
	return Array.from({ length: n }, (_, i) => ({ number: `+4074${String(i).padStart(7, '0')}`, itemIndex: i }));
}

describe('groupNumbers splits into requests of at most 1000', () => {
	test.each([
		[0, []],
		[1, [1]],
		[999, [999]],
		[1000, [1000]],
		[1001, [1000, 1]],
		[2500, [1000, 1000, 500]],
	])('%i numbers → requests of %j', (count, sizes) => {
		const input = distinctNumbers(count);
		const groups = groupNumbers(input);

		expect(groups.map((g) => g.numbers.length)).toEqual(sizes);
		// Order kept, nothing dropped, nothing repeated: the concatenation is the input.
		expect(groups.flatMap((g) => g.numbers)).toEqual(input.map((o) => o.number));
		// Each request is paired with exactly the items of its numbers.
		for (const group of groups) {
			const expectedItems = input.filter((o) => group.numbers.includes(o.number)).map((o) => o.itemIndex);
			expect(group.items).toEqual(expectedItems);
			expect(group.duplicates).toBe(0);
		}
	});

	test('never more than 1000 per request, whatever is asked', () => {
		const input = distinctNumbers(2001);
		expect(groupNumbers(input, 5000).map((g) => g.numbers.length)).toEqual([1000, 1000, 1]);
		expect(groupNumbers(input, 0).map((g) => g.numbers.length)).toEqual([1000, 1000, 1]);
		expect(groupNumbers(input, Number.NaN).every((g) => g.numbers.length <= BULK_MAX_NUMBERS)).toBe(true);
	});

	test('a smaller request size is honoured, the last request holds the rest', () => {
		const input = distinctNumbers(7);
		const groups = groupNumbers(input, 3);
		expect(groups.map((g) => g.numbers)).toEqual([
			input.slice(0, 3).map((o) => o.number),
			input.slice(3, 6).map((o) => o.number),
			input.slice(6).map((o) => o.number),
		]);
		expect(groups.map((g) => g.items)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
	});

	test('a repeated number is sent once, in the request of its first occurrence, paired with every item holding it', () => {
		const input: NumberOccurrence[] = [
			{ number: '+40745000001', itemIndex: 0 },
			{ number: '+40745000002', itemIndex: 1 },
			{ number: '+40745000003', itemIndex: 2 },
			{ number: '+40745000001', itemIndex: 3 },
			{ number: '+40745000004', itemIndex: 4 },
			{ number: '+40745000001', itemIndex: 5 },
		];
		const groups = groupNumbers(input, 2);
		expect(groups.map((g) => g.numbers)).toEqual([
			['+40745000001', '+40745000002'],
			['+40745000003', '+40745000004'],
		]);
		expect(groups.map((g) => g.items)).toEqual([
			[0, 1, 3, 5],
			[2, 4],
		]);
		expect(groups.map((g) => g.duplicates)).toEqual([2, 0]);
		// Every occurrence is accounted for: sent or counted as a duplicate.
		expect(groups.reduce((sum, g) => sum + g.numbers.length + g.duplicates, 0)).toBe(input.length);
	});

	test('one item holding 2500 numbers gives three requests, each paired with that item once', () => {
		const input = distinctNumbers(2500).map((o) => ({ ...o, itemIndex: 0 }));
		const groups = groupNumbers(input);
		expect(groups.map((g) => g.items)).toEqual([[0], [0], [0]]);
		expect(new Set(groups.flatMap((g) => g.numbers)).size).toBe(2500);
	});
});

describe('listEntries reads list fields', () => {
	test.each([
		[undefined, []],
		[null, []],
		['', []],
		['  \n ', []],
		[40745123456, [40745123456]],
		['+40745123456', ['+40745123456']],
		['+40745123456, +40745123457;+40745123458\n+40745123459\r\n\n', ['+40745123456', ' +40745123457', '+40745123458', '+40745123459']],
		['+40 745 123 456,,', ['+40 745 123 456']],
		[['+40745123456', 40745123457, '', null], ['+40745123456', 40745123457]],
		[[['+40745123456'], ['+40745123457', ['+40745123458']]], ['+40745123456', '+40745123457', '+40745123458']],
		['["+40745123456", "+40745123457"]', ['+40745123456', '+40745123457']],
		['[not json, +40745123457', ['[not json', ' +40745123457']],
	])('%j → %j', (value, entries) => {
		expect(listEntries(value)).toEqual({ ok: true, entries });
	});

	test.each([[{ phone: '+40745123456' }], [true]])('%j is not a list', (value) => {
		const result = listEntries(value);
		expect(result.ok).toBe(false);
	});
});

describe('numberToSend', () => {
	test('readable numbers go in E.164, or trimmed as given', () => {
		expect(numberToSend(' +40 745-123 456 ', 'e164')).toEqual({ ok: true, send: '+40745123456', readable: true });
		expect(numberToSend('0040745123456', 'e164')).toEqual({ ok: true, send: '+40745123456', readable: true });
		expect(numberToSend(40745123456, 'e164')).toEqual({ ok: true, send: '+40745123456', readable: true });
		expect(numberToSend(' +40 745-123 456 ', 'asGiven')).toEqual({ ok: true, send: '+40 745-123 456', readable: true });
	});

	test('unreadable text is sent as typed (trimmed), so CheckMobi can list it as rejected', () => {
		expect(numberToSend(' 0745 123 456 ', 'e164')).toEqual({ ok: true, send: '0745 123 456', readable: false });
		expect(numberToSend('call me', 'e164')).toEqual({ ok: true, send: 'call me', readable: false });
		expect(numberToSend('12', 'asGiven')).toEqual({ ok: true, send: '12', readable: false });
	});

	test('values that are not text or numbers are refused', () => {
		expect(numberToSend({ phone: '+40745123456' }, 'e164')).toEqual({ ok: false, problem: 'it is an object, not a phone number' });
		expect(numberToSend(true, 'e164')).toEqual({ ok: false, problem: 'it is a boolean, not a phone number' });
		expect(numberToSend('   ', 'e164')).toEqual({ ok: false, problem: 'it is empty' });
	});
});
