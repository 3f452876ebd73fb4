import {
	MEMORY_MAX_AGE_MS,
	MEMORY_MAX_ENTRIES,
	acceptOnce,
	deliveryDigest,
	rememberedCount,
} from '../../nodes/CheckMobiTrigger/deliveryMemory';
import { EVENT_TYPE, isSelected, readDelivery, recogniseEvent, toItems } from '../../nodes/CheckMobiTrigger/events';
import type { IDataObject } from 'n8n-workflow';

const ALL = ['validation.completed', 'sms.status', 'call.status', 'lookup.hlr', 'lookup.mnp'];
const selection = (over: Partial<{ events: string[]; smsStatuses: string[]; callEvents: string[] }> = {}) => ({
	events: ALL,
	smsStatuses: [],
	callEvents: [],
	...over,
});
const delivery = (payload: unknown) => readDelivery(Buffer.from(JSON.stringify(payload)));

describe('the event_type values are a stable contract', () => {
	it('keeps its exact strings', () => {
		expect(EVENT_TYPE).toEqual({
			validationCompleted: 'validation.completed',
			smsStatus: 'sms.status',
			callStatus: 'call.status',
			lookupHlr: 'lookup.hlr',
			lookupMnp: 'lookup.mnp',
			lookupVerify: 'lookup.verify',
			unknown: 'unknown',
		});
	});
});

describe('recogniseEvent', () => {
	it.each([
		['a completed validation (key, not id)', 'validation.completed', { key: 'SMS-1', number: '+40745123456', description: 'RO - Orange' }],
		['an SMS status', 'sms.status', { id: 'MSG-1', to: '+40745123456', description: 'RO - Orange', status: 'delivered', units: 1 }],
		['an SMS status without the optional charges', 'sms.status', { id: 'MSG-1', to: '+40745123456', description: 'RO - Orange', status: 'queued' }],
		['a call status', 'call.status', { id: 'CAL-1', from: '+40312345678', to: '+40745123456', description: 'RO - Orange', event: 'answer' }],
		['an HLR batch', 'lookup.hlr', { lookup_method: 'hlr', error: null, results: [] }],
		['an MNP batch', 'lookup.mnp', { lookup_method: 'mnp', error: null, results: [] }],
		['an MNP batch error without results', 'lookup.mnp', { lookup_method: 'MNP', error: { error: 5, description: 'x', affected_numbers: [] } }],
		['a batch of number validations (documented: lookup_method "verify")', 'lookup.verify', { lookup_method: 'verify', error: null, results: [] }],
		['a lookup of another method', 'unknown', { lookup_method: 'imsi', error: null, results: [] }],
		['a key next to an id', 'unknown', { key: 'x', id: 'MSG-1' }],
		['an id alone', 'unknown', { id: 'MSG-1' }],
		['lookup_method without results or error', 'unknown', { lookup_method: 'hlr' }],
		['an array', 'unknown', [{ key: 'SMS-1' }]],
		['a string', 'unknown', 'hello'],
		['null', 'unknown', null],
	])('%s → %s', (_name, expected, payload) => {
		expect(recogniseEvent(payload)).toBe(expected);
	});

	it('reads a body that is not JSON as unknown, keeping its text', () => {
		expect(readDelivery(Buffer.from('status=delivered&id=MSG-1'))).toEqual({
			eventType: 'unknown',
			payload: undefined,
			text: 'status=delivered&id=MSG-1',
		});
	});

	it('reads a body with a UTF-8 byte-order mark', () => {
		const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"key":"SMS-2","number":"+1"}')]);
		expect(readDelivery(body).eventType).toBe('validation.completed');
	});
});

describe('isSelected', () => {
	const sms = delivery({ id: 'MSG-1', to: '+40745123456', status: 'sent' });
	const call = delivery({ id: 'CAL-1', to: '+40745123456', event: 'ringing' });

	it('keeps what was picked and says why it drops the rest', () => {
		expect(isSelected(sms, selection())).toEqual({ selected: true });
		expect(isSelected(sms, selection({ events: ['call.status'] }))).toEqual({ selected: false, reason: 'event sms.status not selected' });
		expect(isSelected(delivery({ foo: 1 }), selection())).toEqual({ selected: false, reason: 'unrecognized payload' });
		expect(isSelected(delivery({ foo: 1 }), selection({ events: ['unknown'] }))).toEqual({ selected: true });
	});

	it('filters SMS statuses, an empty list keeping all', () => {
		expect(isSelected(sms, selection({ smsStatuses: ['delivered', 'failed'] }))).toEqual({
			selected: false,
			reason: 'SMS status sent not selected',
		});
		expect(isSelected(sms, selection({ smsStatuses: ['sent'] }))).toEqual({ selected: true });
		expect(isSelected(delivery({ id: 'MSG-1', status: 'DELIVERED' }), selection({ smsStatuses: ['delivered'] }))).toEqual({
			selected: true,
		});
	});

	it('filters call events, an empty list keeping all', () => {
		expect(isSelected(call, selection({ callEvents: ['hangup'] }))).toEqual({ selected: false, reason: 'call event ringing not selected' });
		expect(isSelected(call, selection({ callEvents: ['ringing', 'hangup'] }))).toEqual({ selected: true });
		expect(isSelected(call, selection({ smsStatuses: ['delivered'] }))).toEqual({ selected: true });
	});
});

describe('toItems', () => {
	const results = [
		{ id: 'L-1', original_msisdn: '40745000001', phone_number: '+40745000001', reachable: 'connected' },
		{ id: 'L-2', original_msisdn: '40745000002', phone_number: '+40745000002', reachable: 'absent' },
	];

	it('names the validation by validation_id as well as CheckMobi\'s key', () => {
		expect(toItems(delivery({ key: 'SMS-9', number: '+40745123456', description: 'RO - Orange' }), { splitLookupResults: true })).toEqual([
			{ event_type: 'validation.completed', validation_id: 'SMS-9', key: 'SMS-9', number: '+40745123456', description: 'RO - Orange' },
		]);
	});

	it('keeps SMS and call payloads whole, with event_type first', () => {
		const [item] = toItems(delivery({ id: 'CAL-1', event: 'hangup', duration_billed: 60 }), { splitLookupResults: true });
		expect(item).toEqual({ event_type: 'call.status', id: 'CAL-1', event: 'hangup', duration_billed: 60 });
		expect(Object.keys(item)[0]).toBe('event_type');
	});

	it('never lets a payload field overwrite event_type', () => {
		expect(toItems(delivery({ id: 'MSG-1', status: 'sent', event_type: 'forged' }), { splitLookupResults: true })[0].event_type).toBe(
			'sms.status',
		);
	});

	it('splits a lookup batch into one item per result, each with the batch\'s lookup_method', () => {
		const items = toItems(delivery({ lookup_method: 'hlr', error: null, results }), { splitLookupResults: true });
		expect(items).toEqual([
			{ event_type: 'lookup.hlr', lookup_method: 'hlr', error: null, ...results[0] },
			{ event_type: 'lookup.hlr', lookup_method: 'hlr', error: null, ...results[1] },
		]);
	});

	it('turns a batch error into one item with the error exactly as CheckMobi sent it', () => {
		const error = { error: 5, description: 'Insufficient funds.', affected_numbers: ['+40745000003', '+40745000004'] };
		const payload = { lookup_method: 'mnp', error, results: null };
		expect(toItems(delivery(payload), { splitLookupResults: true })).toEqual([{ event_type: 'lookup.mnp', lookup_method: 'mnp', error }]);
	});

	it('splits a batch of number validations (lookup_method "verify") like any lookup batch', () => {
		const validation = { id: 'v-1', original_msisdn: '40745000001', cost: 0, phone_number: '+40745000001', number_type: 'mobile' };
		expect(toItems(delivery({ lookup_method: 'verify', error: null, results: [validation] }), { splitLookupResults: true })).toEqual([
			{ event_type: 'lookup.verify', lookup_method: 'verify', error: null, ...validation },
		]);
	});

	it('gives an empty batch no items', () => {
		expect(toItems(delivery({ lookup_method: 'hlr', error: null, results: [] }), { splitLookupResults: true })).toEqual([]);
	});

	it('keeps one item per delivery when splitting is off', () => {
		expect(toItems(delivery({ lookup_method: 'hlr', error: null, results }), { splitLookupResults: false })).toEqual([
			{ event_type: 'lookup.hlr', lookup_method: 'hlr', error: null, results },
		]);
		const failed = { lookup_method: 'hlr', error: { error: 12, description: 'limits', affected_numbers: ['+1'] }, results: null };
		expect(toItems(delivery(failed), { splitLookupResults: false })).toEqual([{ event_type: 'lookup.hlr', ...failed }]);
	});

	it('wraps an unrecognised payload instead of spreading it', () => {
		expect(toItems(delivery({ foo: 'bar' }), { splitLookupResults: true })).toEqual([{ event_type: 'unknown', payload: { foo: 'bar' } }]);
		expect(toItems(readDelivery(Buffer.from('plain text')), { splitLookupResults: true })).toEqual([
			{ event_type: 'unknown', payload: null, raw_body: 'plain text' },
		]);
	});
});

describe('delivery memory', () => {
	const T0 = 1_700_000_000_000;

	it('tells apart bodies that differ in one byte and recognises identical ones', () => {
		const a = deliveryDigest(Buffer.from('{"id":"MSG-1","status":"sent"}'));
		expect(deliveryDigest(Buffer.from('{"id":"MSG-1","status":"sent"}'))).toBe(a);
		expect(deliveryDigest(Buffer.from('{"id":"MSG-1","status":"sent"} '))).not.toBe(a);
		expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
	});

	// acceptOnce keeps a per-process memory per scope: each test uses scopes of its own.
	let scopeCount = 0;
	const newScope = (): string => `test-scope-${++scopeCount}`;

	it('accepts a delivery once until it is older than the age limit', () => {
		const data: IDataObject = {};
		const scope = newScope();
		expect(acceptOnce(data, scope, 'd1', T0)).toBe(true);
		expect(acceptOnce(data, scope, 'd1', T0 + 1)).toBe(false);
		expect(acceptOnce(data, scope, 'd2', T0 + 1)).toBe(true);
		expect(acceptOnce(data, scope, 'd1', T0 + MEMORY_MAX_AGE_MS - 1)).toBe(false);
		expect(acceptOnce(data, scope, 'd1', T0 + MEMORY_MAX_AGE_MS)).toBe(true);
	});

	it('ignores a delivery that another process accepted, from static data alone', () => {
		const data: IDataObject = {};
		expect(acceptOnce(data, newScope(), 'd1', T0)).toBe(true);
		expect(acceptOnce(data, newScope(), 'd1', T0 + 1)).toBe(false);
		expect(acceptOnce({}, newScope(), 'd1', T0 + 1)).toBe(true);
	});

	it('puts back into static data what a concurrent save wiped', () => {
		const scope = newScope();
		const first: IDataObject = {};
		const second: IDataObject = {};
		acceptOnce(first, scope, 'd1', T0);
		acceptOnce(second, scope, 'd2', T0 + 1);
		expect(second.acceptedDeliveries).toEqual([
			['d1', T0],
			['d2', T0 + 1],
		]);
	});

	it('keeps at most the newest MEMORY_MAX_ENTRIES deliveries', () => {
		const data: IDataObject = {};
		const scope = newScope();
		for (let i = 0; i < MEMORY_MAX_ENTRIES + 5; i++) acceptOnce(data, scope, `d${i}`, T0 + i);
		const now = T0 + MEMORY_MAX_ENTRIES + 5;
		expect(rememberedCount(data, now)).toBe(MEMORY_MAX_ENTRIES);
		expect(acceptOnce(data, scope, 'd5', now)).toBe(false);
		expect(acceptOnce(data, scope, `d${MEMORY_MAX_ENTRIES + 4}`, now)).toBe(false);
		expect(acceptOnce(data, scope, 'd4', now)).toBe(true);
	});

	it('drops expired entries when it writes', () => {
		const data: IDataObject = {};
		const scope = newScope();
		acceptOnce(data, scope, 'old', T0);
		acceptOnce(data, scope, 'new', T0 + MEMORY_MAX_AGE_MS + 1);
		expect(data.acceptedDeliveries).toEqual([['new', T0 + MEMORY_MAX_AGE_MS + 1]]);
	});

	it('replaces the stored list instead of changing it in place (n8n only sees assignments)', () => {
		const data: IDataObject = {};
		const scope = newScope();
		acceptOnce(data, scope, 'd1', T0);
		const first = data.acceptedDeliveries;
		acceptOnce(data, scope, 'd2', T0 + 1);
		expect(data.acceptedDeliveries).not.toBe(first);
		expect(first).toEqual([['d1', T0]]);
	});

	it('ignores stored data of another shape', () => {
		const data: IDataObject = { acceptedDeliveries: 'garbage' };
		expect(acceptOnce(data, newScope(), 'd1', T0)).toBe(true);
		expect(data.acceptedDeliveries).toEqual([['d1', T0]]);
	});
});
