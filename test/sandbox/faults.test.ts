// Faults: each type before the work (nothing created) and after it (created once, answer lost),
// counts, rates, method/path patterns, latency.

import { useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sb = useSandbox();
const MOBILE = '+40745123456';
const SMS = { to: MOBILE, text: 'fault test' };

type Body = Record<string, unknown>;

async function sendSms(timeoutMs = 5000) {
	return sb.api.post('/sms/send', SMS, { timeoutMs });
}

async function createdSms(): Promise<number> {
	return (await sb.control.stats()).creates.sms;
}

async function lastLogged() {
	const { entries } = await sb.control.requests({ path: '/sms/send' });
	return entries[entries.length - 1];
}

describe.each(['before', 'after'] as const)('applied %s the work', (when) => {
	const created = when === 'before' ? 0 : 1;

	test('status 503', async () => {
		await sb.control.addFault({ type: 'status', status: 503, path: '/sms/send', when, count: 1 });
		const r = await sendSms();
		expect(r.status).toBe(503);
		expect(await createdSms()).toBe(created);
		expect(await lastLogged()).toMatchObject({ status: 503, fault: `status:${when}` });
		expect((await sendSms()).status).toBe(200);
		expect(await createdSms()).toBe(created + 1);
	});

	test('status 500 is the default status, with no body (the reference gives error codes only with 400, 401, 403)', async () => {
		await sb.control.addFault({ type: 'status', path: '/sms/send', when, count: 1 });
		const r = await sendSms();
		expect(r.status).toBe(500);
		expect(r.text).toBe('');
	});

	test('time-out: the answer never comes', async () => {
		await sb.control.addFault({ type: 'timeout', path: '/sms/send', when, count: 1 });
		await expect(sendSms(300)).rejects.toThrow(/timed out/);
		expect(await createdSms()).toBe(created);
		expect(await lastLogged()).toMatchObject({ status: null, fault: `timeout:${when}` });
	});

	test('connection reset', async () => {
		await sb.control.addFault({ type: 'reset', path: '/sms/send', when, count: 1 });
		await expect(sendSms()).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(await createdSms()).toBe(created);
		expect(await lastLogged()).toMatchObject({ status: null, fault: `reset:${when}` });
	});

	test('malformed JSON with 200', async () => {
		await sb.control.addFault({ type: 'malformed', path: '/sms/send', when, count: 1 });
		const r = await sendSms();
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('application/json');
		expect(r.text.length).toBeGreaterThan(0);
		expect(() => JSON.parse(r.text)).toThrow();
		expect(await createdSms()).toBe(created);
	});

	test('HTML error page (502)', async () => {
		await sb.control.addFault({ type: 'html', path: '/sms/send', when, count: 1 });
		const r = await sendSms();
		expect(r.status).toBe(502);
		expect(r.headers['content-type']).toMatch(/^text\/html/);
		expect(r.text).toContain('<html>');
		expect(await createdSms()).toBe(created);
	});

	test('empty 200 body', async () => {
		await sb.control.addFault({ type: 'empty', path: '/sms/send', when, count: 1 });
		const r = await sendSms();
		expect(r.status).toBe(200);
		expect(r.text).toBe('');
		expect(await createdSms()).toBe(created);
	});
});

test('after the work: the create is in the request log exactly once and its SMS exists', async () => {
	await sb.control.addFault({ type: 'reset', method: 'POST', path: '/sms/send', when: 'after', count: 1 });
	await expect(sendSms()).rejects.toThrow();
	const { entries } = await sb.control.requests({ method: 'POST', path: '/sms/send' });
	expect(entries).toHaveLength(1);
	expect(entries[0]).toMatchObject({ method: 'POST', path: '/v1/sms/send', json: SMS, rawBody: JSON.stringify(SMS), status: null });
	expect(entries[0].headers.authorization).toBe(LOGGED_SECRET_KEY);
	const messages = await sb.control.smsTo(MOBILE);
	expect(messages).toHaveLength(1);
	expect((await sb.control.stats()).byEndpoint['POST /v1/sms/send']).toEqual({ count: 1, statuses: { none: 1 } });
});

test('latency: per fault, and standing for every request', async () => {
	await sb.control.addFault({ type: 'latency', latencyMs: 150, path: '/my-account', count: 1 });
	let t = Date.now();
	expect((await sb.api.get('/my-account')).status).toBe(200);
	expect(Date.now() - t).toBeGreaterThanOrEqual(145);
	await sb.api.get('/my-account');
	expect((await sb.control.faults())[0]).toMatchObject({ applied: 1, active: false });
	await sb.control.setConfig({ latencyMs: 60 });
	t = Date.now();
	await sb.api.get('/countries');
	expect(Date.now() - t).toBeGreaterThanOrEqual(55);
});

test('a count retires the fault; the list shows how often it hit', async () => {
	const fault = await sb.control.addFault({ type: 'status', status: 500, path: '/my-account', count: 2 });
	expect(fault).toMatchObject({ id: 1, count: 2, active: true, when: 'before', method: '*' });
	const statuses: number[] = [];
	for (let i = 0; i < 4; i++) statuses.push((await sb.api.get('/my-account')).status);
	expect(statuses).toEqual([500, 500, 200, 200]);
	expect((await sb.control.faults())[0]).toMatchObject({ applied: 2, active: false, count: 0 });
});

test('a rate applies with a seeded, repeatable probability', async () => {
	const run = async () => {
		await sb.control.reset();
		await sb.control.addFault({ type: 'status', status: 503, path: '/my-account', rate: 0.5, seed: 42 });
		const out: number[] = [];
		for (let i = 0; i < 30; i++) out.push((await sb.api.get('/my-account')).status);
		return out;
	};
	const first = await run();
	expect(first.filter((s) => s === 503).length).toBeGreaterThan(5);
	expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
	expect(await run()).toEqual(first);
});

test('method and path patterns: {id}, *, ** and without /v1', async () => {
	await sb.control.addFaults([
		{ type: 'status', status: 503, method: 'GET', path: '/sms/{id}' },
		{ type: 'status', status: 500, path: '/v1/lookup/*/*' },
	]);
	const id = ((await sendSms()).json as Body).id as string;
	expect((await sb.api.get(`/sms/${id}`)).status).toBe(503);
	expect((await sb.api.get(`/lookup/hlr/${MOBILE}`)).status).toBe(500);
	expect((await sb.api.get('/my-account')).status).toBe(200);
	await sb.control.clearFaults();
	expect((await sb.api.get(`/sms/${id}`)).status).toBe(200);
	const all = await sb.control.addFault({ type: 'status', status: 503, path: '**' });
	expect((await sb.api.get('/my-account')).status).toBe(503);
	expect((await sb.control.health()).ok).toBe(true);
	await sb.control.removeFault(all.id);
	expect((await sb.api.get('/my-account')).status).toBe(200);
});

test('custom body and headers of a status fault', async () => {
	await sb.control.addFault({ type: 'status', status: 503, path: '/my-account', body: 'busy', headers: { 'Retry-After': '2' }, count: 1 });
	const r = await sb.api.get('/my-account');
	expect(r.text).toBe('busy');
	expect(r.headers['retry-after']).toBe('2');
});

test('invalid fault specs are refused', async () => {
	await expect(sb.control.addFault({ type: 'explode' as never })).rejects.toThrow(/400/);
	await expect(sb.control.addFault({ type: 'latency' })).rejects.toThrow(/latencyMs/);
	await expect(sb.control.addFault({ type: 'status', rate: 2 })).rejects.toThrow(/rate/);
});
