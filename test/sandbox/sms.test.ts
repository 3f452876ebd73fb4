// SMS: status progression with signed callbacks, units by encoding, MDR, magic failures, limits.

import { createHmac } from 'node:crypto';

import { type Receiver, startReceiver, useSandbox } from '../helpers/sandbox';

const sb = useSandbox();
const MOBILE = '+40745123456';
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
beforeEach(() => receiver.clear());
afterAll(() => receiver.close());

type Body = Record<string, unknown>;

async function send(body: Body): Promise<string> {
	const r = await sb.api.post('/sms/send', body);
	expect(r.status).toBe(200);
	return (r.json as Body).id as string;
}

test('queued → sent → delivered on timers, one signed callback per change', async () => {
	await sb.control.setConfig({ smsSentDelayMs: 400, smsDeliveredDelayMs: 50 });
	const r = await sb.api.post('/sms/send', { to: MOBILE, text: 'Hello from n8n', notification_callback: receiver.url, from: 'ACME' });
	expect(r.json).toEqual({
		id: expect.stringMatching(/^MSG-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/),
		number_info: { country_code: '40', country_iso_code: 'RO', carrier: expect.any(String), is_mobile: true, e164_format: MOBILE, formatting: MOBILE },
	});
	const id = (r.json as Body).id as string;
	const queued = (await sb.api.get(`/sms/${id}`)).json as Body;
	expect(queued).toEqual({
		request_date: expect.any(Number),
		to: MOBILE,
		description: expect.stringMatching(/^RO - /),
		status: 'queued',
		charged_amount: 0.05,
		charged_rate: 0.05,
		units: 1,
	});

	const callbacks = await receiver.waitFor(2, 3000);
	expect(callbacks.map((c) => (c.json as Body).status)).toEqual(['sent', 'delivered']);
	for (const c of callbacks) {
		expect(c.json).toEqual({ id, to: MOBILE, description: queued.description, status: expect.any(String), charged_amount: 0.05, charged_rate: 0.05, units: 1 });
		expect(c.headers['x-checkmobi-signature']).toBe(createHmac('sha256', sb.signatureKey).update(c.raw).digest('hex'));
	}
	expect(((await sb.api.get(`/sms/${id}`)).json as Body).status).toBe('delivered');
	expect((await sb.control.inbox(MOBILE)).entries[0]).toMatchObject({ kind: 'sms', id, from: 'ACME', text: 'Hello from n8n', status: 'delivered' });
	const account = (await sb.api.get('/my-account')).json as Body;
	expect(account.sms_api).toBe(1);
	expect(account.credit_balance).toBe(9999.95);
});

test.each([
	['GSM-7, 160 characters', 'a'.repeat(160), 1, 'GSM-7'],
	['GSM-7, 161 characters', 'a'.repeat(161), 2, 'GSM-7'],
	['GSM-7, 306 characters', 'a'.repeat(306), 2, 'GSM-7'],
	['GSM-7, 307 characters', 'a'.repeat(307), 3, 'GSM-7'],
	['GSM-7 extension characters count twice', '€'.repeat(80), 1, 'GSM-7'],
	['GSM-7 extension characters over the limit', '€'.repeat(81), 2, 'GSM-7'],
	['UCS-2, 70 characters', 'ă'.repeat(70), 1, 'UCS-2'],
	['UCS-2, 71 characters', 'ă'.repeat(71), 2, 'UCS-2'],
	['UCS-2, 134 characters', 'ă'.repeat(134), 2, 'UCS-2'],
	['UCS-2, 135 characters', 'ă'.repeat(135), 3, 'UCS-2'],
	['one emoji makes the whole text UCS-2', 'a'.repeat(69) + '😀', 2, 'UCS-2'],
])('units: %s', async (_name, text, units, encoding) => {
	const id = await send({ to: MOBILE, text });
	expect(((await sb.api.get(`/sms/${id}`)).json as Body).units).toBe(units);
	expect(((await sb.api.get(`/sms/${id}`)).json as Body).charged_amount).toBeCloseTo(units * 0.05, 10);
	expect((await sb.control.sms(id)).encoding).toBe(encoding);
});

test.each([
	['+40745999910', ['failed'], 0],
	['+40745999911', ['sent', 'undelivered'], 0.05],
	['+40745999912', ['rejected'], 0],
	['+40745999940', ['sent', 'undelivered'], 0.05],
])('magic number %s goes through %j', async (to, statuses, charged) => {
	const id = await send({ to, text: 'hi', notification_callback: receiver.url });
	await sb.control.advance({ settle: true });
	expect(receiver.received.map((c) => (c.json as Body).status)).toEqual(statuses);
	const mdr = (await sb.api.get(`/sms/${id}`)).json as Body;
	expect(mdr.status).toBe(statuses[statuses.length - 1]);
	expect(mdr.charged_amount).toBe(charged);
	expect(((await sb.api.get('/my-account')).json as Body).credit_balance).toBe(10000 - charged);
});

test('the control API forces a status (and holds messages when auto-progress is off)', async () => {
	await sb.control.setConfig({ smsAutoProgress: false });
	const id = await send({ to: MOBILE, text: 'hi', notification_callback: receiver.url });
	await sb.control.advance();
	expect(((await sb.api.get(`/sms/${id}`)).json as Body).status).toBe('queued');
	await sb.control.setSmsStatus(id, 'sent');
	const view = await sb.control.setSmsStatus(id, 'rejected');
	expect(view.final).toBe(true);
	await receiver.waitFor(2);
	expect(receiver.received.map((c) => (c.json as Body).status)).toEqual(['sent', 'rejected']);
	expect((await sb.control.sms(id)).history.map((h) => [h.status, h.by])).toEqual([
		['queued', 'sandbox'],
		['sent', 'control'],
		['rejected', 'control'],
	]);
});

test('GET /sms/{id} does not serve validation SMS', async () => {
	const r = await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' });
	expect((await sb.api.get(`/sms/${(r.json as Body).id}`)).status).toBe(404);
});

test('a sender is kept as given, whatever its length or characters (the reference sets no rule)', async () => {
	for (const from of ['ABCDEFGHIJK', 'A&B Co. +_-', 'Café', '+40745000000', 'CheckMobi Shop Ltd', '🛒 Shop', '+1234567890123456']) {
		const sent = await sb.api.post('/sms/send', { to: MOBILE, text: 'x', from });
		expect(sent.status).toBe(200);
		expect((await sb.control.sms((sent.json as Body).id as string)).from).toBe(from);
	}
	expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'x', from: 42 })).json).toMatchObject({ code: 7 });
});

describe('sms_per_minute (error 12)', () => {
	test('is enforced on a sliding 60 s window and shown in /my-account', async () => {
		await sb.control.setConfig({ smsPerMinute: 3 });
		expect(((await sb.api.get('/my-account')).json as Body).sms_per_minute).toBe(3);
		for (let i = 0; i < 3; i++) await send({ to: MOBILE, text: `m${i}` });
		await sb.control.advance({ ms: 30_000 });
		const limited = await sb.api.post('/sms/send', { to: MOBILE, text: 'm3' });
		expect(limited.status).toBe(400);
		expect(limited.json).toEqual({ code: 12, error: 'Your account exceeded one or more limitations.' });
		await sb.control.advance({ ms: 25_000 });
		expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'm4' })).status).toBe(400);
		await sb.control.advance({ ms: 5_001 });
		expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'm5' })).status).toBe(200);
		const stats = await sb.control.stats();
		expect(stats.limitErrors).toBe(2);
		expect(stats.creates.sms).toBe(4);
		expect(((await sb.api.get('/my-account')).json as Body).sms_api).toBe(4);
	});
});
