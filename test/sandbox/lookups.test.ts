// Lookups: deterministic answers per magic number, every field of the reference, bulk batches.

import { createHmac } from 'node:crypto';

import { type Receiver, startReceiver, useSandbox } from '../helpers/sandbox';

const sb = useSandbox();
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
beforeEach(() => receiver.clear());
afterAll(() => receiver.close());

type Body = Record<string, unknown>;
const withoutId = ({ id: _id, ...rest }: Body) => rest;

async function lookup(method: string, number: string): Promise<Body> {
	const r = await sb.api.get(`/lookup/${method}/${number}`);
	expect(r.status).toBe(200);
	return r.json as Body;
}

test('verify: the reference fields, free', async () => {
	const body = await lookup('verify', '+40745123456');
	expect(body).toEqual({
		id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
		cost: 0,
		phone_number: '+40745123456',
		number_type: 'mobile',
		timezone: 'Europe/Bucharest',
		format: { e164: '+40745123456', international: '+40 745 123 456', national: '0745 123 456', rfc3966: 'tel:+40-745-123-456' },
		original_network: { country_iso2: 'RO', country_prefix: 40, country_name: 'Romania', area: 'RO', network_name: expect.any(String) },
	});
	expect(((await sb.api.get('/my-account')).json as Body).credit_balance).toBe(10000);
});

test('the number may come as +NNN, NNN or %2BNNN, and answers are deterministic', async () => {
	const a = await lookup('hlr', '+40745123456');
	const b = await lookup('hlr', '40745123456');
	const c = await lookup('hlr', '%2B40745123456');
	expect(withoutId(b)).toEqual(withoutId(a));
	expect(withoutId(c)).toEqual(withoutId(a));
	expect(b.id).not.toBe(a.id);
});

test('hlr of a normal mobile: connected, not ported, charged', async () => {
	const body = await lookup('hlr', '+40745123456');
	const network = {
		country_iso2: 'RO',
		country_prefix: 40,
		country_name: 'Romania',
		area: 'RO',
		mccmnc: expect.stringMatching(/^226\d{2}$/),
		mcc: '226',
		mnc: expect.stringMatching(/^\d{2}$/),
		network_name: expect.any(String),
	};
	expect(body).toEqual({
		id: expect.any(String),
		cost: 0.01,
		phone_number: '+40745123456',
		number_type: 'mobile',
		timezone: 'Europe/Bucharest',
		format: expect.any(Object),
		is_ported: false,
		reachable: 'connected',
		processing_status: 'completed',
		imsi: expect.stringMatching(/^226\d{12}$/),
		current_network: network,
		original_network: network,
	});
	expect(body.current_network).toEqual(body.original_network);
	expect(((await sb.api.get('/my-account')).json as Body).credit_balance).toBe(9999.99);
});

test.each([
	['+40745999901', { reachable: 'absent', processing_status: 'completed', cost: 0.01 }],
	['+40745999902', { reachable: 'no-teleservice-provisioned', processing_status: 'completed' }],
	['+40745999903', { reachable: 'inconclusive', processing_status: 'completed', is_ported: null, imsi: null }],
	['+40745999904', { reachable: 'failed', processing_status: 'failed', cost: 0 }],
	['+40745999905', { reachable: 'invalid', processing_status: 'rejected', cost: 0, imsi: null }],
	['+40745999907', { reachable: 'no-coverage', processing_status: 'failed', cost: 0 }],
	['+40215551234', { number_type: 'landline', reachable: 'inconclusive', processing_status: 'rejected', cost: 0, is_ported: null }],
	['+40745999941', { number_type: 'toll_free', processing_status: 'rejected', cost: 0 }],
])('hlr of %s', async (number, expected) => {
	expect(await lookup('hlr', number)).toMatchObject(expected);
});

test('a ported number: is_ported, current network ≠ original network, MNP shows the current one', async () => {
	const hlr = await lookup('hlr', '+40745999906');
	expect(hlr.is_ported).toBe(true);
	expect((hlr.current_network as Body).network_name).not.toBe((hlr.original_network as Body).network_name);
	expect((hlr.current_network as Body).mccmnc).not.toBe((hlr.original_network as Body).mccmnc);
	const mnp = await lookup('mnp', '+40745999906');
	expect(mnp.current_network).toEqual(hlr.current_network);
	const check = (await sb.api.post('/checknumber', { number: '+40745999906' })).json as Body;
	expect(check.carrier).toBe((hlr.current_network as Body).network_name);
});

test('mnp: the reference fields', async () => {
	const body = await lookup('mnp', '+447700900123');
	expect(body).toEqual({
		id: expect.any(String),
		cost: 0.005,
		phone_number: '+447700900123',
		number_type: 'mobile',
		timezone: 'Europe/London',
		processing_status: 'completed',
		imsi: expect.stringMatching(/^234\d{12}$/),
		format: { e164: '+447700900123', international: '+44 770 090 0123', national: '0770 090 0123', rfc3966: 'tel:+44-770-090-0123' },
		current_network: expect.objectContaining({ country_iso2: 'GB', country_prefix: 44, mcc: '234' }),
	});
});

test('North America: verify says mobile_or_landline, an HLR lookup resolves it', async () => {
	expect((await lookup('verify', '+14155550123')).number_type).toBe('mobile_or_landline');
	expect((await lookup('hlr', '+14155550123')).number_type).toBe('mobile');
	const ca = await lookup('verify', '+16045550123');
	expect((ca.original_network as Body).country_iso2).toBe('CA');
	expect((ca.format as Body).national).toBe('(604) 555-0123');
});

describe('bulk', () => {
	test('accepts up to 1000 numbers, rejects invalid ones exactly as sent, results come in batches', async () => {
		const numbers = Array.from({ length: 250 }, (_, i) => `+4074510${String(i).padStart(4, '0')}`);
		numbers[3] = '40745100003';
		const invalid = ['12ab', '+40 745', '+4074510'];
		const r = await sb.api.post('/lookup/hlr', { numbers: [...numbers, ...invalid], notification_callback: receiver.url });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ total_count: 253, accepted_count: 250, rejected_count: 3, rejected: invalid, notification_callback: receiver.url });

		const batches = await receiver.waitFor(3, 5000);
		expect(batches.map((b) => ((b.json as Body).results as unknown[]).length)).toEqual([100, 100, 50]);
		const results = batches.flatMap((b) => (b.json as { results: Body[] }).results);
		expect(results.map((x) => x.original_msisdn)).toEqual(numbers);
		expect(results[3]).toMatchObject({ original_msisdn: '40745100003', phone_number: '+40745100003', reachable: 'connected', cost: 0.01 });
		for (const b of batches) {
			expect(b.json).toMatchObject({ lookup_method: 'hlr', error: null });
			expect(b.headers['x-checkmobi-signature']).toBe(createHmac('sha256', sb.signatureKey).update(b.raw).digest('hex'));
		}
		const stats = await sb.control.stats();
		expect(stats.creates).toMatchObject({ bulkRequests: 1, bulkNumbers: 253, bulkAccepted: 250, lookups: 250 });
		expect(stats.account.creditBalance).toBe(10000 - 2.5);
	});

	test('more than 1000 numbers, an empty list or no callback is code 7', async () => {
		const many = Array.from({ length: 1001 }, (_, i) => `+40745${String(i).padStart(6, '0')}`);
		expect((await sb.api.post('/lookup/mnp', { numbers: many, notification_callback: receiver.url })).json).toMatchObject({ code: 7 });
		expect((await sb.api.post('/lookup/mnp', { numbers: many.slice(0, 1000), notification_callback: receiver.url })).status).toBe(200);
		expect((await sb.api.post('/lookup/mnp', { numbers: [], notification_callback: receiver.url })).json).toMatchObject({ code: 7 });
		expect((await sb.api.post('/lookup/mnp', { numbers: ['+40745123456'] })).json).toMatchObject({ code: 7 });
		expect((await sb.api.post('/lookup/mnp', { numbers: [40745123456], notification_callback: receiver.url })).json).toMatchObject({ code: 7 });
	});

	test('magic numbers and routeless countries inside a bulk request', async () => {
		await sb.api.post('/lookup/hlr', { numbers: ['+40745999901', '+5351234567', '+40215551234'], notification_callback: receiver.url });
		const [batch] = await receiver.waitFor(1);
		const results = (batch.json as { results: Body[] }).results;
		expect(results[0]).toMatchObject({ reachable: 'absent', processing_status: 'completed' });
		expect(results[1]).toMatchObject({ reachable: 'no-coverage', processing_status: 'failed', cost: 0 });
		expect(results[2]).toMatchObject({ number_type: 'landline', processing_status: 'rejected', cost: 0 });
	});

	test('credit running out mid-way: the batch and the later ones come back as errors', async () => {
		await sb.control.setConfig({ bulkBatchSize: 2, creditBalance: 0.025 });
		const numbers = ['+40745100001', '+40745100002', '40745100003', '+40745100004', '+40745100005'];
		const r = await sb.api.post('/lookup/hlr', { numbers, notification_callback: receiver.url });
		expect((r.json as Body).accepted_count).toBe(5);
		const batches = await receiver.waitFor(3);
		expect(batches[0].json).toMatchObject({ lookup_method: 'hlr', error: null });
		expect(batches[1].json).toEqual({
			lookup_method: 'hlr',
			error: { error: 5, description: 'Insufficient funds.', affected_numbers: ['40745100003', '+40745100004'] },
			results: null,
		});
		expect(batches[2].json).toMatchObject({ error: { affected_numbers: ['+40745100005'] }, results: null });
		expect((await sb.control.stats()).account.creditBalance).toBe(0.005);
		expect((await sb.control.bulks())[0]).toMatchObject({ batches: 3, batchesDone: 3, error: { error: 5 } });
	});

	test('bulk requests need some credit up front (error 5)', async () => {
		await sb.control.setConfig({ creditBalance: 0 });
		expect((await sb.api.post('/lookup/hlr', { numbers: ['+40745123456'], notification_callback: receiver.url })).json).toMatchObject({ code: 5 });
	});
});
