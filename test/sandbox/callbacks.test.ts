// Callbacks: HMAC-SHA256 of the exact bytes with the signature key (hex or base64), retried on
// anything but 200 at most 3 times, every attempt recorded; arbitrary callbacks on demand.

import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Receiver, startReceiver, useSandbox } from '../helpers/sandbox';

const sb = useSandbox();
const MOBILE = '+40745123456';
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
beforeEach(() => {
	receiver.clear();
	receiver.respondWith(() => 200);
});
afterAll(() => receiver.close());

type Body = Record<string, unknown>;
const hmac = (key: string, bytes: Buffer | string, encoding: 'hex' | 'base64' = 'hex') => createHmac('sha256', key).update(bytes).digest(encoding);

async function validatedSms(): Promise<string> {
	const r = await sb.api.post('/validation/request', { number: MOBILE, type: 'sms', notification_callback: receiver.url });
	const id = (r.json as Body).id as string;
	await sb.control.verifyAsUser(id);
	return id;
}

test('the signature is hex HMAC-SHA256 of the received bytes, keyed with the signature key (not the secret key)', async () => {
	const id = await validatedSms();
	const [callback] = await receiver.waitFor(1);
	const signature = callback.headers['x-checkmobi-signature'];
	expect(signature).toMatch(/^[0-9a-f]{64}$/);
	expect(signature).toBe(hmac(sb.signatureKey, callback.raw));
	expect(signature).not.toBe(hmac(sb.secretKey, callback.raw));
	const [recorded] = await sb.control.callbacks({ kind: 'validation', objectId: id });
	expect(recorded.body).toBe(callback.text);
	expect(recorded.signature).toBe(signature);
	expect(recorded.attempts).toEqual([{ at: expect.any(Number), status: 200, error: null, durationMs: expect.any(Number), responseBody: '' }]);
	expect(recorded.state).toBe('delivered');
});

test('signatureEncoding base64', async () => {
	await sb.control.setConfig({ signatureEncoding: 'base64' });
	await validatedSms();
	const [callback] = await receiver.waitFor(1);
	expect(callback.headers['x-checkmobi-signature']).toBe(hmac(sb.signatureKey, callback.raw, 'base64'));
});

test('a non-200 answer is retried at most 3 times (4 attempts), then given up', async () => {
	receiver.respondWith(() => 500);
	await validatedSms();
	await sb.control.settle();
	expect(receiver.received).toHaveLength(4);
	expect(new Set(receiver.received.map((r) => r.text)).size).toBe(1);
	expect(new Set(receiver.received.map((r) => r.headers['x-checkmobi-signature'])).size).toBe(1);
	const [recorded] = await sb.control.callbacks({ kind: 'validation' });
	expect(recorded.state).toBe('failed');
	expect(recorded.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500]);
	const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i].at);
	expect(gaps[0]).toBeGreaterThanOrEqual(45);
	expect(gaps[1]).toBeGreaterThanOrEqual(95);
	expect(gaps[2]).toBeGreaterThanOrEqual(195);
	const stats = await sb.control.stats();
	expect(stats.callbacks).toMatchObject({ deliveries: 1, attempts: 4, delivered: 0, failed: 1 });
});

test.each([
	[[201], 4],
	[[302], 4],
	[[404, 200], 2],
	[[503, 503, 200], 3],
	[[500, 500, 500, 200], 4],
])('answers %j → %i attempts', async (statuses, attempts) => {
	receiver.respondWith((_req, i) => statuses[Math.min(i, statuses.length - 1)]);
	await validatedSms();
	await sb.control.settle();
	expect(receiver.received).toHaveLength(attempts);
	const [recorded] = await sb.control.callbacks({ kind: 'validation' });
	expect(recorded.state).toBe(statuses.includes(200) ? 'delivered' : 'failed');
});

test('retry delays and the retry count are settings', async () => {
	await sb.control.setConfig({ callbackRetryDelaysMs: [5], callbackMaxRetries: 1 });
	receiver.respondWith(() => 500);
	await validatedSms();
	await sb.control.settle();
	expect(receiver.received).toHaveLength(2);
});

test('network errors and time-outs are recorded as attempts', async () => {
	await sb.control.setConfig({ callbackRetryDelaysMs: [1], callbackTimeoutMs: 100 });
	const silent = http.createServer(() => undefined);
	await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
	const port = (silent.address() as AddressInfo).port;
	try {
		await sb.api.post('/sms/send', { to: MOBILE, text: 'x', notification_callback: `http://127.0.0.1:${port}/never` });
		await sb.api.post('/sms/send', { to: MOBILE, text: 'x', notification_callback: 'http://127.0.0.1:1/closed' });
		await sb.control.advance({ settle: true });
		const [timeout] = await sb.control.callbacks({ url: `http://127.0.0.1:${port}/never` });
		expect(timeout.attempts).toHaveLength(4);
		expect(timeout.attempts[0]).toMatchObject({ status: null, error: 'timeout' });
		const [refused] = await sb.control.callbacks({ url: 'http://127.0.0.1:1/closed' });
		expect(refused.attempts[0]).toMatchObject({ status: null, error: 'ECONNREFUSED' });
	} finally {
		silent.closeAllConnections();
		silent.close();
	}
});

test('callbacks about one object arrive in order; every callback kind is listed', async () => {
	const sms = await sb.api.post('/sms/send', { to: MOBILE, text: 'x', notification_callback: receiver.url });
	const call = await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait', length: 2 }], notification_callback: receiver.url });
	await sb.control.advance({ settle: true });
	const smsId = (sms.json as Body).id;
	const callId = (call.json as Body).id;
	const forSms = receiver.received.filter((r) => (r.json as Body).id === smsId).map((r) => (r.json as Body).status);
	const forCall = receiver.received.filter((r) => (r.json as Body).id === callId).map((r) => (r.json as Body).event);
	expect(forSms).toEqual(['sent', 'delivered']);
	expect(forCall).toEqual(['ringing', 'answer', 'hangup']);
	expect((await sb.control.callbacks({ kind: 'call' })).map((c) => (c.json as Body).event)).toEqual(['ringing', 'answer', 'hangup']);
});

test('a callback URL is called as given: its query string arrives intact, for every kind of callback', async () => {
	const query = '?order=A-1001&note=caf%C3%A9%20au%20lait&tag=a&tag=b&empty=';
	const url = `${receiver.url}${query}`;
	const validation = await sb.api.post('/validation/request', { number: MOBILE, type: 'sms', notification_callback: url });
	await sb.control.verifyAsUser((validation.json as Body).id as string);
	await sb.api.post('/sms/send', { to: MOBILE, text: 'x', notification_callback: url });
	await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait', length: 1 }], notification_callback: url });
	await sb.api.post('/lookup/hlr', { numbers: [MOBILE], notification_callback: url });
	await sb.control.advance({ settle: true });
	const kinds = (await sb.control.callbacks()).map((c) => [c.kind, c.url]);
	expect(new Set(kinds.map(([kind]) => kind))).toEqual(new Set(['validation', 'sms', 'call', 'lookup']));
	expect(kinds.every(([, calledUrl]) => calledUrl === url)).toBe(true);
	expect(receiver.received.length).toBe(kinds.length);
	expect(new Set(receiver.received.map((r) => r.path))).toEqual(new Set([`/callback${query}`]));
});

describe('arbitrary callbacks (forged, replayed) for the trigger tests', () => {
	const body = '{"id":"MSG-1",  "status":"delivered","text":"Grüße €"}';

	test.each([
		['signatureKey', 'hex'],
		['signatureKey', 'base64'],
		['secretKey', 'hex'],
	] as const)('signed with the %s, %s, over the exact raw bytes', async (sign, encoding) => {
		const sent = await sb.control.sendCallback({ url: receiver.url, body, sign, encoding });
		const [got] = await receiver.waitFor(1);
		expect(got.text).toBe(body);
		const key = sign === 'signatureKey' ? sb.signatureKey : sb.secretKey;
		expect(got.headers['x-checkmobi-signature']).toBe(hmac(key, Buffer.from(body, 'utf8'), encoding));
		expect(sent.attempts).toEqual([expect.objectContaining({ status: 200 })]);
		expect(sent.kind).toBe('manual');
	});

	test('a given key, no signature, an explicit header value, JSON values', async () => {
		await sb.control.sendCallback({ url: receiver.url, body, sign: 'key', key: 'attacker' });
		await sb.control.sendCallback({ url: receiver.url, body, sign: 'none' });
		await sb.control.sendCallback({ url: receiver.url, body, signature: 'deadbeef' });
		await sb.control.sendCallback({ url: receiver.url, json: { a: 1 } });
		const got = await receiver.waitFor(4);
		expect(got[0].headers['x-checkmobi-signature']).toBe(hmac('attacker', body));
		expect(got[1].headers).not.toHaveProperty('x-checkmobi-signature');
		expect(got[2].headers['x-checkmobi-signature']).toBe('deadbeef');
		expect(got[3].text).toBe('{"a":1}');
		expect(got[3].headers['x-checkmobi-signature']).toBe(hmac(sb.signatureKey, '{"a":1}'));
	});

	test('one attempt unless retry is asked; the answer status is returned', async () => {
		receiver.respondWith(() => 401);
		const once = await sb.control.sendCallback({ url: receiver.url, body });
		expect(once.attempts.map((a) => a.status)).toEqual([401]);
		const retried = await sb.control.sendCallback({ url: receiver.url, body, retry: true });
		expect(retried.attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]);
	});

	test('a recorded callback is replayed byte for byte', async () => {
		await validatedSms();
		const [original] = await receiver.waitFor(1);
		const [recorded] = await sb.control.callbacks({ kind: 'validation' });
		const replay = await sb.control.resendCallback(recorded.seq);
		const got = await receiver.waitFor(2);
		expect(got[1].raw.equals(original.raw)).toBe(true);
		expect(got[1].headers['x-checkmobi-signature']).toBe(original.headers['x-checkmobi-signature']);
		expect(replay.kind).toBe('manual');
	});
});
