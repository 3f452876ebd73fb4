import { describeItems } from '../../nodes/CheckMobi/transport/wording';

describe('errors name the items a request carried', () => {
	test.each([
		[[], ''],
		[[3], ' [item 3]'],
		[[1, 0], ' [items 0–1]'],
		[[0, 2, 5, 6, 7, 8, 9], ' [items 0, 2, 5–9]'],
		[Array.from({ length: 1000 }, (_, i) => i), ' [items 0–999]'],
		[[0, 2, 4, 6, 8, 10], ' [items 0, 2, 4, 6, … (6 in all)]'],
		[[7, 7, 7], ' [item 7]'],
	])('%j → %j', (items, label) => {
		expect(describeItems(items)).toBe(label);
	});
});
