import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
