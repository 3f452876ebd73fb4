// The sandbox's pure modules: number rules, SMS units, call durations, the scheduler.

import { plannedDuration, parseEvents } from '../../sandbox/callEvents';
import { COUNTRIES, COUNTRY_BY_CALLING_CODE } from '../../sandbox/countries';
import { analyzeNumber, callerNumberFor, formatNumber, magicCode } from '../../sandbox/numbers';
import { Scheduler } from '../../sandbox/scheduler';
import { smsUnits } from '../../sandbox/smsEncoding';

describe('numbers', () => {
	test('calling codes are prefix-free and ISO codes unique', () => {
		const codes = [...COUNTRY_BY_CALLING_CODE.keys()];
		for (const a of codes) for (const b of codes) if (a !== b) expect(b.startsWith(a)).toBe(false);
		expect(new Set(COUNTRIES.map((c) => c.iso2)).size).toBe(COUNTRIES.length);
	});

	test.each([
		['+40745123456', 'RO', 'mobile'],
		['+40215551234', 'RO', 'landline'],
		['+40800123456', 'RO', 'toll_free'],
		['+447700900123', 'GB', 'mobile'],
		['+442071234567', 'GB', 'landline'],
		['+447624123456', 'IM', 'mobile'],
		['+4915112345678', 'DE', 'mobile'],
		['+33612345678', 'FR', 'mobile'],
		['+12125550123', 'US', 'mobile_or_landline'],
		['+18005550123', 'US', 'toll_free'],
		['+16045550123', 'CA', 'mobile_or_landline'],
		['+18765550123', 'JM', 'mobile_or_landline'],
		['+79161234567', 'RU', 'mobile'],
		['+77012345678', 'KZ', 'mobile'],
		['+5511987654321', 'BR', 'mobile'],
		['+3581812345', 'AX', 'landline'],
		['+2250712345678', 'CI', 'unknown'],
		['+40745999940', 'RO', 'landline'],
		['+40745999946', 'RO', 'pager'],
	])('%s is %s %s', (number, iso2, type) => {
		const n = analyzeNumber(number);
		expect(n?.country.iso2).toBe(iso2);
		expect(n?.numberType).toBe(type);
	});

	test.each(['', '+', '0745123456', '+0745', '+40 745123456', '+4074512345', '+1212555012', '+999123456', '+1234567890123456'])('%j is not valid', (number) => {
		expect(analyzeNumber(number)).toBeNull();
	});

	test('magic codes: the last six digits 9999NN', () => {
		expect(magicCode('40745999901')).toBe(1);
		expect(magicCode('40745999999')).toBe(99);
		expect(magicCode('40745199901')).toBeNull();
		expect(magicCode('40745123456')).toBeNull();
	});

	test('formats follow the reference example', () => {
		expect(formatNumber(analyzeNumber('+40745123456')!)).toEqual({
			e164: '+40745123456',
			international: '+40 745 123 456',
			national: '0745 123 456',
			rfc3966: 'tel:+40-745-123-456',
		});
		expect(formatNumber(analyzeNumber('+393471234567')!).national).toBe('347 123 4567');
	});

	test('the missed-call caller is a normal number of the same country', () => {
		const n = analyzeNumber('+14155550123')!;
		for (let i = 0; i < 20; i++) {
			const caller = analyzeNumber(callerNumberFor(n, Math.random))!;
			expect(caller.country.callingCode).toBe('1');
			expect(caller.magic).toBeNull();
		}
	});
});

describe('sms units', () => {
	test('an extension character is never split between two parts', () => {
		const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
		const units = smsUnits(text);
		expect(units.encoding).toBe('GSM-7');
		expect(units.length).toBe(164);
		expect(units.parts[0]).toBe('a'.repeat(152));
		expect(units.parts[1].startsWith('€')).toBe(true);
		expect(units.units).toBe(2);
	});

	test('a surrogate pair is never split between two parts', () => {
		const text = 'ă'.repeat(66) + '😀' + 'ă'.repeat(10);
		const units = smsUnits(text);
		expect(units.encoding).toBe('UCS-2');
		expect(units.parts[0]).toBe('ă'.repeat(66));
		expect(units.units).toBe(2);
	});

	test('the whole GSM basic table and extension table stay GSM-7', () => {
		expect(smsUnits('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~]|€').encoding).toBe('GSM-7');
		expect(smsUnits('ç').encoding).toBe('UCS-2');
	});
});

describe('call events', () => {
	test('durations', () => {
		const events = (raw: unknown) => {
			const parsed = parseEvents(raw);
			if (!parsed.ok) throw new Error(parsed.reason);
			return parsed.events;
		};
		expect(plannedDuration(events([{ action: 'speak', text: 'x'.repeat(30), loop: 2 }]), 10)).toBe(4);
		expect(plannedDuration(events([{ action: 'play', url: 'http://127.0.0.1/a.mp3', loop: 3 }]), 10)).toBe(30);
		expect(plannedDuration(events([{ action: 'send_dtmf', digits: '1W2w', async: false }]), 10)).toBe(2);
		expect(plannedDuration(events([{ action: 'speak', text: 'x', loop: 0 }]), 10)).toBeNull();
		expect(plannedDuration(events([{ action: 'hangup', schedule: 7 }, { action: 'speak', text: 'x', loop: 0 }]), 10)).toBe(7);
		expect(plannedDuration(events([{ action: 'wait', length: 4 }, { action: 'hangup' }, { action: 'wait', length: 50 }]), 10)).toBe(4);
	});
});

describe('scheduler', () => {
	test('runs in due order, moves the clock to each task, includes tasks scheduled on the way', () => {
		const s = new Scheduler((label, error) => {
			throw new Error(`${label}: ${String(error)}`);
		});
		const start = s.now();
		const seen: Array<[string, number]> = [];
		s.schedule(300, 'c', () => seen.push(['c', s.now() - start]));
		s.schedule(100, 'a', () => {
			seen.push(['a', s.now() - start]);
			s.schedule(50, 'b', () => seen.push(['b', s.now() - start]));
		});
		const cancelled = s.schedule(200, 'x', () => seen.push(['x', 0]));
		s.cancel(cancelled);
		expect(s.runAll()).toBe(3);
		expect(seen.map(([l]) => l)).toEqual(['a', 'b', 'c']);
		expect(seen[0][1]).toBeGreaterThanOrEqual(100);
		expect(seen[1][1]).toBeGreaterThanOrEqual(150);
		expect(seen[2][1]).toBeGreaterThanOrEqual(300);
		s.clear();
	});

	test('advanceBy runs only what is due', () => {
		const s = new Scheduler(() => undefined);
		const seen: string[] = [];
		s.schedule(1000, 'late', () => seen.push('late'));
		s.schedule(10, 'soon', () => seen.push('soon'));
		expect(s.advanceBy(500)).toBe(1);
		expect(seen).toEqual(['soon']);
		expect(s.pending).toBe(1);
		s.clear();
	});
});
