// The control API: reset, config, request log and counters, clock, inboxes.

import { startSandbox } from '../../sandbox';
import { SandboxApi } from '../../sandbox/client';
import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox({ config: { pinLength: 5 } });
const MOBILE = '+40745123456';
type Body = Record<string, unknown>;

test('health names the keys', async () => {
	expect(await sb.control.health()).toMatchObject({ ok: true, secretKey: sb.secretKey, signatureKey: sb.signatureKey });
});

test('reset returns state, logs, faults, counters, credit and config to the start (start options kept)', async () => {
	await sb.control.setConfig({ smsPerMinute: 1, creditBalance: 5 });
	await sb.api.post('/sms/send', { to: MOBILE, text: 'x' });
	await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' });
	await sb.control.addFault({ type: 'status', path: '/countries' });
	await sb.control.reset();
	const config = await sb.control.config();
	expect(config).toMatchObject({ smsPerMinute: 0, creditBalance: 10000, pinLength: 5 });
	expect(await sb.control.faults()).toEqual([]);
	expect((await sb.control.requests()).entries).toEqual([]);
	expect((await sb.control.inbox(MOBILE)).entries).toEqual([]);
	const stats = await sb.control.stats();
	expect(stats.requests).toBe(0);
	expect(stats.creates.sms).toBe(0);
	expect(stats.objects).toEqual({ validations: 0, messages: 0, calls: 0, bulkLookups: 0 });
	expect((await sb.api.get('/my-account')).json).toMatchObject({ sms_api: 0, sms_validations: 0, credit_balance: 10000 });
	expect((await sb.api.get('/countries')).status).toBe(200);
	await sb.control.reset({ smsPerMinute: 7 });
	expect((await sb.control.config()).smsPerMinute).toBe(7);
});

test('config: unknown keys and wrong types are refused; nested objects merge', async () => {
	await expect(sb.control.setConfig({ nope: 1 } as never)).rejects.toThrow(/unknown config key: nope/);
	await expect(sb.control.setConfig({ smsPerMinute: 'ten' } as never)).rejects.toThrow(/smsPerMinute/);
	await expect(sb.control.setConfig({ signatureEncoding: 'base32' } as never)).rejects.toThrow(/signatureEncoding/);
	const config = await sb.control.setConfig({ prices: { hlr: 0.5 } as never });
	expect(config.prices).toEqual({ sms: 0.05, callMinute: 0.02, hlr: 0.5, mnp: 0.005 });
	expect((await sb.api.get(`/lookup/hlr/${MOBILE}`)).json).toMatchObject({ cost: 0.5 });
});

test('the request log records each /v1 request and filters by method, path and since', async () => {
	await sb.api.get('/my-account', { headers: { 'X-Test': 'one' } });
	await sb.api.post('/sms/send', { to: MOBILE, text: 'logged' });
	await sb.api.get(`/lookup/hlr/%2B40745123456?foo=bar`);
	await sb.control.health();
	const all = await sb.control.requests();
	expect(all.entries.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /v1/my-account', 'POST /v1/sms/send', 'GET /v1/lookup/hlr/%2B40745123456']);
	expect(all.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
	expect(all.entries[0]).toMatchObject({ status: 200, endpoint: 'GET /v1/my-account', rawBody: '', json: null, errorCode: null, fault: null });
	expect(all.entries[0].headers['x-test']).toBe('one');
	expect(all.entries[0].time).toBeGreaterThan(Date.now() - 10_000);
	expect(all.entries[1]).toMatchObject({ endpoint: 'POST /v1/sms/send', json: { to: MOBILE, text: 'logged' } });
	expect(all.entries[2]).toMatchObject({ endpoint: 'GET /v1/lookup/{method}/{number}', query: { foo: 'bar' } });
	expect((await sb.control.requests({ method: 'post' })).entries).toHaveLength(1);
	expect((await sb.control.requests({ path: '/lookup/**' })).entries).toHaveLength(1);
	expect((await sb.control.requests({ path: '/v1/lookup/hlr/+40745123456' })).entries).toHaveLength(1);
	expect((await sb.control.requests({ since: 2 })).entries.map((e) => e.seq)).toEqual([3]);
	expect((await sb.control.requests({ limit: 1 })).entries.map((e) => e.seq)).toEqual([3]);
	expect((await sb.control.requests({ endpoint: 'POST /v1/sms/send' })).entries).toHaveLength(1);
});

test('the request log is a ring buffer; counters keep counting', async () => {
	await sb.control.setConfig({ requestLogSize: 3 });
	for (let i = 0; i < 5; i++) await sb.api.get('/my-account');
	const page = await sb.control.requests();
	expect(page.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
	expect(page).toMatchObject({ total: 5, dropped: 2 });
	expect((await sb.control.stats()).byEndpoint['GET /v1/my-account'].count).toBe(5);
});

test('maxStoredObjects bounds memory: the oldest objects are forgotten, counters keep counting', async () => {
	await sb.control.setConfig({ maxStoredObjects: 10 });
	const ids: string[] = [];
	for (let i = 0; i < 12; i++) ids.push(((await sb.api.post('/sms/send', { to: `+407451000${String(i).padStart(2, '0')}`, text: 'x' })).json as Body).id as string);
	expect((await sb.api.get(`/sms/${ids[0]}`)).status).toBe(404);
	expect((await sb.api.get(`/sms/${ids[11]}`)).status).toBe(200);
	const stats = await sb.control.stats();
	expect(stats.objects.messages).toBeLessThanOrEqual(10);
	expect(stats.creates.sms).toBe(12);
});

test('create counters count the work by kind', async () => {
	await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' });
	await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' });
	await sb.api.post('/sms/send', { to: MOBILE, text: 'x' });
	await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait' }] });
	await sb.api.post('/lookup/mnp', { numbers: [MOBILE, 'bad'], notification_callback: 'http://127.0.0.1:1/x' });
	await sb.control.advance();
	expect((await sb.control.stats()).creates).toEqual({
		validations: 2,
		validationsByType: { sms: 1, ivr: 0, reverse_cli: 1 },
		sms: 1,
		calls: 1,
		bulkRequests: 1,
		bulkNumbers: 2,
		bulkAccepted: 1,
		lookups: 1,
	});
});

test('advance: moves the clock, runs what is due; without ms runs everything pending', async () => {
	await sb.control.setConfig({ smsSentDelayMs: 60_000, smsDeliveredDelayMs: 60_000 });
	const before = (await sb.control.clock()).now;
	const id = ((await sb.api.post('/sms/send', { to: MOBILE, text: 'x' })).json as Body).id as string;
	expect((await sb.control.clock()).pending.map((p) => p.label)).toEqual([`sms ${id} → sent`]);
	expect((await sb.control.advance({ ms: 1000 })).ran).toBe(0);
	const step = await sb.control.advance({ ms: 60_000 });
	expect(step.ran).toBe(1);
	expect(step.now - before).toBeGreaterThanOrEqual(61_000);
	expect((await sb.control.sms(id)).status).toBe('sent');
	const rest = await sb.control.advance();
	expect(rest).toMatchObject({ ran: 1, pending: 0 });
	expect((await sb.control.sms(id)).status).toBe('delivered');
});

test('inbox: PINs of all three methods, newest last; lastPin', async () => {
	await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' });
	await sb.api.post('/validation/request', { number: MOBILE, type: 'ivr' });
	await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' });
	await sb.api.post('/call', { to: MOBILE, events: [{ action: 'speak', text: 'Your parcel arrives today' }] });
	await sb.control.advance();
	const inbox = await sb.control.inbox('40745123456');
	expect(inbox.number).toBe(MOBILE);
	expect(inbox.entries.map((e) => e.kind)).toEqual(['sms', 'ivr_call', 'missed_call', 'call']);
	expect(inbox.entries[0].pin).toMatch(/^\d{5}$/);
	expect(inbox.entries[1].pin).toMatch(/^\d{5}$/);
	expect(inbox.entries[2].pin).toMatch(/^\d{4}$/);
	expect(inbox.entries[3]).toMatchObject({ spokenText: 'Your parcel arrives today', pin: null, answered: true });
	expect(inbox.lastPin).toBe(inbox.entries[2].pin);
	const validations = await sb.control.validations(MOBILE);
	expect(validations.map((v) => v.pin)).toEqual(inbox.entries.slice(0, 3).map((e) => e.pin));
});

test('unknown control endpoints and objects are 404', async () => {
	await expect(sb.control.validation('SMS-00000000-0000-0000-0000-000000000000')).rejects.toThrow(/404/);
	await expect(sb.control.sms('nope')).rejects.toThrow(/404/);
	expect((await sb.control.raw('GET', '/nothing')).status).toBe(404);
});

test('startSandbox with its own keys and config; close() frees the port', async () => {
	const own = await startSandbox({ secretKey: 'K-1', signatureKey: 'S-1', config: { smsPerMinute: 9 } });
	const api = new SandboxApi(own.url, 'K-1');
	try {
		expect(own.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect((await api.get('/my-account')).json).toMatchObject({ sms_per_minute: 9 });
		expect((await api.get('/my-account', { headers: { Authorization: sb.secretKey } })).status).toBe(401);
	} finally {
		api.close();
		await own.close();
	}
	await expect(fetch(`${own.url}/v1/countries`)).rejects.toThrow();
});

describe('who may use the control API', () => {
	const token = () => sb.controlToken;

	test('without the token, or with a wrong one: 401, and nothing is done', async () => {
		await sb.api.post('/sms/send', { to: MOBILE, text: 'kept' });
		for (const header of ['', 'not-the-token', `${token()}x`]) {
			const reset = await sb.control.raw('POST', '/reset', {}, { headers: { 'X-Sandbox-Token': header } });
			expect(reset.status).toBe(401);
			expect(reset.json).toEqual({ error: expect.stringMatching(/needs the header X-Sandbox-Token/) });
			const health = await sb.control.raw('GET', '/health', undefined, { headers: { 'X-Sandbox-Token': header } });
			expect(health.status).toBe(401);
			expect(health.text).not.toContain(sb.secretKey);
		}
		expect(await sb.control.smsTo(MOBILE)).toHaveLength(1);
	});

	test('a foreign Host (a DNS-rebinding page) is refused even with the token', async () => {
		const port = new URL(sb.url).port;
		for (const host of [`attacker.example:${port}`, `192.0.2.10:${port}`, `127.0.0.1.attacker.example:${port}`]) {
			const health = await sb.control.raw('GET', '/health', undefined, { headers: { Host: host } });
			expect(health.status).toBe(403);
			expect(health.text).not.toContain(sb.secretKey);
		}
		for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
			expect((await sb.control.raw('GET', '/health', undefined, { headers: { Host: host } })).status).toBe(200);
		}
	});

	test('a text/plain body (what a page can post without asking) is refused even with the token', async () => {
		const receiver = JSON.stringify({ url: 'http://127.0.0.1:9/never', json: { key: 'SMS-1' } });
		const sent = await sb.control.raw('POST', '/callbacks/send', undefined, { rawBody: receiver, headers: { 'Content-Type': 'text/plain' } });
		expect(sent.status).toBe(415);
		expect(await sb.control.callbacks()).toEqual([]);
		const form = await sb.control.raw('PATCH', '/config', undefined, { rawBody: 'smsPerMinute=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(form.status).toBe(415);
		expect((await sb.control.config()).smsPerMinute).toBe(0);
	});
});

describe('the request log keeps no key and bounds what strangers leave', () => {
	test('Authorization is logged as what it was, never as its value', async () => {
		await sb.api.get('/my-account');
		await sb.api.get('/my-account', { headers: { Authorization: 'WRONG-KEY-123' } });
		await sb.api.get('/countries', { headers: { Authorization: '' } });
		const { entries } = await sb.control.requests();
		expect(entries.map((entry) => entry.headers.authorization)).toEqual(['[secret key]', '[not the secret key: 13 characters]', undefined]);
		const page = JSON.stringify(await sb.control.requests());
		expect(page).not.toContain(sb.secretKey);
		expect(page).not.toContain('WRONG-KEY-123');
	});

	test('a request without the secret key keeps no body, no query and few, short headers', async () => {
		const big = { to: MOBILE, text: 'x'.repeat(1024 * 1024) };
		await sb.api.post(`/sms/send?${'q'.repeat(500)}=1`, big, { headers: { Authorization: 'WRONG', 'X-Padding': 'p'.repeat(4000) } });
		const [entry] = (await sb.control.requests()).entries;
		expect(entry).toMatchObject({ rawBody: '', json: null, query: {}, status: 401, bodyBytes: JSON.stringify(big).length });
		expect(Object.keys(entry.headers).sort()).toEqual(['authorization', 'content-length', 'content-type']);
		expect(JSON.stringify(entry).length).toBeLessThan(1000);
	});
});
