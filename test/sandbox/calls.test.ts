// Voice calls: events validation (error 10), ringing → answer → hangup with signed callbacks,
// ring_timeout, DELETE, control of the callee, CDR, call_per_minute.

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
const SPEAK = [{ action: 'speak', text: 'Hello, this is a test call from the sandbox.' }];

async function place(body: Body): Promise<string> {
	const r = await sb.api.post('/call', { to: MOBILE, events: SPEAK, ...body });
	expect(r.status).toBe(200);
	return (r.json as Body).id as string;
}

test('ringing → answer → hangup, each notified and signed; the CDR carries the charges', async () => {
	await sb.control.setConfig({ callSecondMs: 80 });
	const r = await sb.api.post('/call', { from: '+40215551234', to: MOBILE, events: SPEAK, notification_callback: receiver.url, platform: 'web' });
	expect(r.json).toEqual({
		id: expect.stringMatching(/^CAL-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/),
		number_info: { country_code: '40', country_iso_code: 'RO', carrier: expect.any(String), is_mobile: true, e164_format: MOBILE, formatting: MOBILE },
	});
	const id = (r.json as Body).id as string;
	const live = (await sb.api.get(`/call/${id}`)).json as Body;
	expect(live).toEqual({ request_date: expect.any(Number), to: MOBILE, description: expect.stringMatching(/^RO - /) });

	const callbacks = await receiver.waitFor(3, 5000);
	expect(callbacks.map((c) => (c.json as Body).event)).toEqual(['ringing', 'answer', 'hangup']);
	expect(callbacks[0].json).toEqual({ id, from: '+40215551234', to: MOBILE, description: live.description, event: 'ringing' });
	expect(callbacks[2].json).toEqual({
		id,
		from: '+40215551234',
		to: MOBILE,
		description: live.description,
		event: 'hangup',
		charged_amount: 0.02,
		charged_rate: 0.02,
		duration_billed: 60,
	});
	for (const c of callbacks) expect(c.headers['x-checkmobi-signature']).toBe(createHmac('sha256', sb.signatureKey).update(c.raw).digest('hex'));

	expect((await sb.api.get(`/call/${id}`)).json).toEqual({ ...live, duration_billed: 60, charged_amount: 0.02, charged_rate: 0.02 });
	const view = await sb.control.call(id);
	expect(view).toMatchObject({ status: 'ended', endReason: 'completed', durationSeconds: 3, plannedSeconds: 3 });
	const account = (await sb.api.get('/my-account')).json as Body;
	expect(account.voice_api).toBe(1);
	expect(account.credit_balance).toBe(9999.98);
});

test('duration comes from the events: speak × loop, waits, scheduled hangup', async () => {
	const long = await place({ events: [{ action: 'speak', text: 'x'.repeat(150), loop: 3 }, { action: 'wait', length: 40 }] });
	const scheduled = await place({ events: [{ action: 'hangup', schedule: 10 }, { action: 'play', url: 'http://127.0.0.1/a.mp3', loop: 0 }] });
	const hungUp = await place({ events: [{ action: 'wait', length: 5 }, { action: 'hangup', reason: 'busy' }, { action: 'wait', length: 500 }] });
	expect((await sb.control.call(long)).plannedSeconds).toBe(70);
	expect((await sb.control.call(scheduled)).plannedSeconds).toBe(10);
	expect((await sb.control.call(hungUp)).plannedSeconds).toBe(5);
	await sb.control.advance();
	expect((await sb.control.call(long)).durationBilled).toBe(120);
	expect(((await sb.api.get(`/call/${long}`)).json as Body).charged_amount).toBe(0.04);
});

test('loop 0 lasts until hung up: DELETE answers 204 with no body and bills the elapsed time', async () => {
	const id = await place({ events: [{ action: 'speak', text: 'hold music', loop: 0 }], notification_callback: receiver.url });
	await sb.control.advance();
	expect((await sb.control.call(id)).status).toBe('answered');
	const r = await sb.api.delete(`/call/${id}`);
	expect(r.status).toBe(204);
	expect(r.text).toBe('');
	const view = await sb.control.call(id);
	expect(view).toMatchObject({ status: 'ended', endReason: 'api', durationBilled: 60 });
	await receiver.waitFor(3);
	expect((receiver.received[2].json as Body).event).toBe('hangup');
	expect((await sb.api.delete(`/call/${id}`)).status).toBe(204);
});

test('ring_timeout shorter than the answer delay: hangup without answer, not charged', async () => {
	const id = await place({ ring_timeout: 2, notification_callback: receiver.url });
	await receiver.waitFor(2, 3000);
	expect(receiver.received.map((c) => (c.json as Body).event)).toEqual(['ringing', 'hangup']);
	expect(receiver.received[1].json).toMatchObject({ charged_amount: 0, duration_billed: 0 });
	expect(await sb.control.call(id)).toMatchObject({ endReason: 'no_answer', answeredAt: null });
});

test('magic numbers: never answered (rings until ring_timeout), busy', async () => {
	const never = await place({ to: '+40745999920', ring_timeout: 120 });
	const busy = await place({ to: '+40745999921' });
	await sb.control.advance();
	expect(await sb.control.call(never)).toMatchObject({ endReason: 'no_answer', answeredAt: null, notified: ['ringing', 'hangup'] });
	const view = await sb.control.call(never);
	expect(view.endedAt! - view.ringingAt!).toBe(120 * 20);
	expect(await sb.control.call(busy)).toMatchObject({ endReason: 'busy', answeredAt: null });
});

test('the never-answered number really rings for ring_timeout call seconds (real time, no advance)', async () => {
	await sb.control.setConfig({ callSecondMs: 40 });
	const started = Date.now();
	const id = await place({ to: '+40745999920', ring_timeout: 5 });
	let view = await sb.control.call(id);
	for (let i = 0; i < 400 && view.status !== 'ended'; i++) {
		await new Promise((r) => setTimeout(r, 10));
		view = await sb.control.call(id);
	}
	expect(view).toMatchObject({ status: 'ended', endReason: 'no_answer', answeredAt: null, notified: ['ringing', 'hangup'] });
	expect(view.endedAt! - view.ringingAt!).toBeGreaterThanOrEqual(5 * 40);
	expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 40);
});

test('the control API answers, rejects and hangs up for the callee', async () => {
	await sb.control.setConfig({ callAutoAnswer: false });
	const a = await place({});
	const b = await place({});
	const c = await place({ events: [{ action: 'speak', text: 'x', loop: 0 }] });
	expect((await sb.control.answerCall(a)).status).toBe('answered');
	expect(await sb.control.rejectCall(b, 'busy')).toMatchObject({ status: 'ended', endReason: 'busy' });
	await sb.control.answerCall(c);
	expect(await sb.control.hangupCall(c)).toMatchObject({ status: 'ended', endReason: 'user', durationBilled: 60 });
	await expect(sb.control.rejectCall(a)).rejects.toThrow(/409/);
});

test('hold: a held call rings until ring_timeout; a held missed call until its timeout; answering a missed call costs a minute', async () => {
	await sb.control.setConfig({ callRingingDelayMs: 10_000 });
	const id = await place({ ring_timeout: 30 });
	expect((await sb.control.holdCall(id)).driven).toBe(true);
	await sb.control.advance();
	const held = await sb.control.call(id);
	expect(held).toMatchObject({ endReason: 'no_answer', answeredAt: null });
	expect(held.endedAt! - held.ringingAt!).toBe(30 * 20);

	const missed = (await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' })).json as Body;
	await sb.control.holdCall(missed.id as string);
	await sb.control.advance();
	expect(await sb.control.call(missed.id as string)).toMatchObject({ endReason: 'timeout', chargedAmount: 0 });

	const picked = (await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' })).json as Body;
	await sb.control.answerCall(picked.id as string);
	await sb.control.advance();
	expect(await sb.control.call(picked.id as string)).toMatchObject({ status: 'ended', durationBilled: 60, chargedAmount: 0.02 });
});

test('events as a JSON string (very old SDKs) are accepted', async () => {
	const r = await sb.api.post('/call', { to: MOBILE, events: JSON.stringify([{ action: 'send_dtmf', digits: '12w3#' }]) });
	expect(r.status).toBe(200);
});

test.each([
	['missing events', undefined, 7],
	['an empty array', [], 10],
	['not an array', { action: 'speak', text: 'x' }, 10],
	['a string that is not JSON', '[{"action":', 10],
	['an unknown action', [{ action: 'record' }], 10],
	['no action', [{ text: 'x' }], 10],
	['speak without text', [{ action: 'speak' }], 10],
	['a negative loop', [{ action: 'speak', text: 'x', loop: -1 }], 10],
	['a fractional loop', [{ action: 'speak', text: 'x', loop: 1.5 }], 10],
	['a string loop', [{ action: 'speak', text: 'x', loop: '2' }], 10],
	['voice CHILD', [{ action: 'speak', text: 'x', voice: 'CHILD' }], 10],
	['an unsupported language', [{ action: 'speak', text: 'x', language: 'xx-XX' }], 10],
	['play without url', [{ action: 'play' }], 10],
	['play of a non-URL', [{ action: 'play', url: 'not a url' }], 10],
	['dtmf with letters', [{ action: 'send_dtmf', digits: '12a' }], 10],
	['dtmf async not boolean', [{ action: 'send_dtmf', digits: '1', async: 'yes' }], 10],
	['wait length 0', [{ action: 'wait', length: 0 }], 10],
	['hangup reason other than rejected/busy', [{ action: 'hangup', reason: 'timeout' }], 10],
	['hangup schedule 0', [{ action: 'hangup', schedule: 0 }], 10],
])('bad events: %s', async (_name, events, code) => {
	const r = await sb.api.post('/call', { to: MOBILE, events });
	expect(r.status).toBe(400);
	expect((r.json as Body).code).toBe(code);
	expect((await sb.control.stats()).creates.calls).toBe(0);
});

test('valid events of every kind are accepted', async () => {
	const r = await sb.api.post('/call', {
		to: MOBILE,
		events: [
			{ action: 'speak', text: 'Bonjour', voice: 'MAN', language: 'fr-FR', loop: 2 },
			{ action: 'play', url: 'https://files.test.invalid/x.wav', loop: 1 },
			{ action: 'send_dtmf', digits: '0123456789*#wW', async: false },
			{ action: 'wait', length: 3 },
			{ action: 'hangup', reason: 'rejected', schedule: 30 },
		],
	});
	expect(r.status).toBe(200);
});

test('a MAN voice in a language that has none is spoken with the woman\'s voice: the language takes priority', async () => {
	const id = await place({
		events: [
			{ action: 'speak', text: 'Hej', voice: 'MAN', language: 'da-DK' },
			{ action: 'speak', text: 'Hallo', voice: 'MAN', language: 'de-DE' },
		],
	});
	expect((await sb.control.call(id)).events).toMatchObject([{ voice: 'WOMAN', language: 'da-DK' }, { voice: 'MAN', language: 'de-DE' }]);
});

test('a scheduled hang-up as the last action is accepted and ends the call at once, as the reference says', async () => {
	const id = await place({ events: [{ action: 'speak', text: 'x'.repeat(60) }, { action: 'hangup', schedule: 30 }] });
	// Speaking 60 characters takes 4 s; nothing follows the hang-up, so the call ends there.
	expect((await sb.control.call(id)).plannedSeconds).toBe(4);
});

test('call_per_minute (error 12) and max_concurrent_calls', async () => {
	await sb.control.setConfig({ callPerMinute: 2 });
	await place({});
	await place({});
	expect((await sb.api.post('/call', { to: MOBILE, events: SPEAK })).json).toMatchObject({ code: 12 });
	await sb.control.advance({ ms: 60_001 });
	await place({});
	expect(((await sb.api.get('/my-account')).json as Body).call_per_minute).toBe(2);

	await sb.reset({ maxConcurrentCalls: 1, callAutoAnswer: false });
	const first = await place({});
	expect((await sb.api.post('/call', { to: MOBILE, events: SPEAK })).json).toMatchObject({ code: 12 });
	await sb.api.delete(`/call/${first}`);
	await place({});
});
