import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { defaultCountryOptions, NUMBERING_PLANS } from '../../nodes/CheckMobi/helpers/countries';
import { checkPhoneNumber, toE164 } from '../../nodes/CheckMobi/helpers/phoneNumber';
import { labelItems } from '../../nodes/CheckMobi/transport/wording';

const node: INode = {
	id: '1',
	name: 'CheckMobi',
	type: 'n8n-nodes-checkmobi.checkMobi',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('checkPhoneNumber reads what people type', () => {
	test.each([
		['+40 745-123 456', '+40745123456'],
		['(0040) 745.123.456', '+40745123456'],
		['40745123456', '+40745123456'],
		['+40745123456', '+40745123456'],
		['0040745123456', '+40745123456'],
		['  +1 (415) 555-2671 ', '+14155552671'],
		['+44 (0)20 7946 0958', '+442079460958'],
		['tel:+33-1-23-45-67-89', '+33123456789'],
		['+49\u00a030\u00a0123456', '+4930123456'],
		['+81 3/1234/5678', '+81312345678'],
		['+683 4002', '+6834002'],
		['+86 138 0013 8000', '+8613800138000'],
		[40745123456, '+40745123456'],
	])('%j → %s', (input, expected) => {
		expect(checkPhoneNumber(input)).toEqual({ ok: true, e164: expected });
	});

	test.each([
		['', /empty/],
		['   ', /empty/],
		['0745 123 456', /national number without its country code/],
		['+40 745 123 45a', /only digits/],
		['+40745123456 ext 12', /only digits/],
		['++40745123456', /only digits/],
		['+0745123456', /never starts with 0/],
		['+1234567890123456', /16 digits, more than the 15/],
		['+12345', /only 5 digits/],
		[null, /not text/],
		[undefined, /not text/],
		[{ number: '+40745123456' }, /not text/],
		[-40745123456, /not text/],
		[4.5, /not text/],
	])('%j is refused: %s', (input, problem) => {
		const result = checkPhoneNumber(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});
});

describe('toE164', () => {
	test('gives the E.164 form', () => {
		expect(toE164('+40 745-123 456', { node, field: 'To', itemIndex: 0 })).toBe('+40745123456');
	});

	test('names the item, the field and the value when the number cannot be E.164', () => {
		let thrown: unknown;
		try {
			toE164('0745 123 456', { node, field: 'To', itemIndex: 3 });
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		const error = thrown as NodeOperationError;
		// The item is the router's to name (labelItems), once, not this helper's.
		expect(error.message).toBe('Invalid phone number in "To": "0745 123 456"');
		expect(error.description).toMatch(/country code/);
		expect(error.context.itemIndex).toBe(3);
		expect(labelItems(error, [3]).message).toBe('Invalid phone number in "To": "0745 123 456" [item 3]');
		expect(labelItems(error, [4]).message).toBe('Invalid phone number in "To": "0745 123 456" [item 3]');
	});
});

describe('Default Country: a number without an international prefix is a national number of that country', () => {
	test.each([
		// Trunk prefix 0 (most of Europe, the UK, Australia…), dropped; also accepted without it.
		['RO', '0745 123 456', '+40745123456'],
		['RO', '745123456', '+40745123456'],
		['GB', '020 7946 0958', '+442079460958'],
		['GB', '07700 900123', '+447700900123'],
		['DE', '030 123456', '+4930123456'],
		['FR', '01 23 45 67 89', '+33123456789'],
		['AU', '0412 345 678', '+61412345678'],
		// No trunk prefix in use: the digits are the national number.
		['ES', '612 34 56 78', '+34612345678'],
		['PL', '512 345 678', '+48512345678'],
		// Italy (and San Marino, the Vatican, Côte d'Ivoire) keep the leading 0 after the calling code.
		['IT', '06 1234 5678', '+390612345678'],
		['IT', '347 123 4567', '+393471234567'],
		['SM', '0549 123456', '+3780549123456'],
		['CI', '07 07 12 34 56', '+2250707123456'],
		// North America: trunk 1 before the 10-digit number.
		['US', '(415) 555-2671', '+14155552671'],
		['US', '1 415 555 2671', '+14155552671'],
		['CA', '1-416-555-0123', '+14165550123'],
		// Russia and Kazakhstan: trunk 8, dropped only before a full 10-digit number (800 is a national prefix).
		['RU', '8 912 345-67-89', '+79123456789'],
		['RU', '912 345 67 89', '+79123456789'],
		['RU', '8 800 555 35 35', '+78005553535'],
		['RU', '800 555 35 35', '+78005553535'],
		['KZ', '8 701 234 5678', '+77012345678'],
		// Hungary: trunk 06.
		['HU', '06 30 123 4567', '+36301234567'],
		// The ISO code is read in any case.
		['ro', '0745123456', '+40745123456'],
	])('%s: %j → %s', (country, input, expected) => {
		expect(checkPhoneNumber(input, country)).toEqual({ ok: true, e164: expected });
	});

	test.each([
		['+40 745 123 456', 'GB', '+40745123456'],
		['0040 745 123 456', 'US', '+40745123456'],
		['tel:+44 (0)20 7946 0958', 'RO', '+442079460958'],
	])('an international number %j stays international with Default Country %s', (input, country, expected) => {
		expect(checkPhoneNumber(input, country)).toEqual({ ok: true, e164: expected });
	});

	test('a national number is still checked: letters and too many digits are refused', () => {
		expect(checkPhoneNumber('0745 123 45a', 'RO')).toMatchObject({ ok: false, problem: expect.stringMatching(/only digits/) });
		expect(checkPhoneNumber('0745 123 456 789 012 345', 'RO')).toMatchObject({ ok: false, problem: expect.stringMatching(/more than the 15/) });
	});

	test('an unknown country code is refused, not guessed', () => {
		expect(checkPhoneNumber('0745123456', 'XX')).toMatchObject({ ok: false, problem: expect.stringMatching(/"XX" is not a known/) });
	});

	test('without the option a national number is refused, and the error names the option', () => {
		expect(() => toE164('0745 123 456', { node, field: 'To', itemIndex: 0 })).toThrow(NodeOperationError);
		try {
			toE164('0745 123 456', { node, field: 'To', itemIndex: 0 });
		} catch (error) {
			expect((error as NodeOperationError).description).toMatch(/Default Country option/);
		}
	});

	test('with the option the error says which country it tried', () => {
		let thrown: NodeOperationError | undefined;
		try {
			toE164('07a', { node, field: 'To', itemIndex: 2, defaultCountry: 'RO' });
		} catch (error) {
			thrown = error as NodeOperationError;
		}
		// The item is named by the router's labelItems, as for every item error.
		expect(thrown?.context.itemIndex).toBe(2);
		expect(labelItems(thrown!, [2]).message).toBe('Invalid phone number in "To": "07a" [item 2]');
		expect(thrown?.description).toMatch(/national number of RO \(the Default Country option\)/);
	});
});

describe('the Default Country dropdown', () => {
	test('lists every country of the bundled table once, by name, with its calling code', () => {
		expect(defaultCountryOptions.length).toBe(NUMBERING_PLANS.size);
		expect(new Set(defaultCountryOptions.map((option) => option.value)).size).toBe(NUMBERING_PLANS.size);
		expect(defaultCountryOptions).toContainEqual({ name: 'Romania (+40)', value: 'RO' });
		expect(defaultCountryOptions).toContainEqual({ name: 'United States (+1)', value: 'US' });
		const names = defaultCountryOptions.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
	});
});
