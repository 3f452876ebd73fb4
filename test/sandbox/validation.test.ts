// The three validation flows end to end, as a phone and an app would live them.

import { createHash, createHmac } from 'node:crypto';

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

async function request(body: Body): Promise<Body> {
	const r = await sb.api.post('/validation/request', body);
	expect(r.status).toBe(200);
	return r.json as Body;
}

async function verify(id: string, pin: string, extra: Body = {}) {
	return sb.api.post('/validation/verify', { id, pin, ...extra });
}

describe('sms validation', () => {
	test('request → PIN in the inbox → verify → status, with the completed callback signed', async () => {
		const before = Math.floor(Date.now() / 1000);
		const response = await request({ number: MOBILE, type: 'sms', notification_callback: receiver.url, platform: 'web', language: 'en' });
		expect(response).toEqual({
			id: expect.stringMatching(/^SMS-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/),
			type: 'sms',
			validation_info: {
				country_code: '40',
				country_iso_code: 'RO',
				carrier: expect.any(String),
				is_mobile: true,
				e164_format: MOBILE,
				formatting: MOBILE,
			},
		});
		expect(response).not.toHaveProperty('pin_hash');
		const id = response.id as string;

		const inbox = await sb.control.inbox(MOBILE);
		expect(inbox.entries).toHaveLength(1);
		const sms = inbox.entries[0];
		expect(sms.kind).toBe('sms');
		expect(sms.pin).toMatch(/^\d{4}$/);
		expect(sms.text).toBe(`Your validation code is ${sms.pin}`);
		expect(inbox.lastPin).toBe(sms.pin);

		const pending = await sb.api.get(`/validation/status/${id}`);
		expect(pending.json).toEqual({ number: MOBILE, validated: false, validation_date: null, charged_amount: 0.05 });

		const wrong = await verify(id, sms.pin === '0000' ? '1111' : '0000');
		expect(wrong.status).toBe(200);
		expect((wrong.json as Body).validated).toBe(false);

		const ok = await verify(id, sms.pin!);
		expect(ok.status).toBe(200);
		const verified = ok.json as Body;
		expect(verified).toEqual({ number: MOBILE, validated: true, validation_date: expect.any(Number), charged_amount: 0.05 });
		expect(verified.validation_date as number).toBeGreaterThanOrEqual(before);
		expect((await sb.api.get(`/validation/status/${id}`)).json).toEqual(verified);

		const [callback] = await receiver.waitFor(1);
		expect(callback.json).toEqual({ key: id, number: MOBILE, description: `RO - ${(response.validation_info as Body).carrier}` });
		expect(callback.headers['content-type']).toBe('application/json');
		expect(callback.headers['x-checkmobi-signature']).toBe(createHmac('sha256', sb.signatureKey).update(callback.raw).digest('hex'));

		const account = (await sb.api.get('/my-account')).json as Body;
		expect(account.sms_validations).toBe(1);
		expect(account.credit_balance).toBe(10000 - 0.05);
	});

	test('android_app_hash adds the SMS Retriever line; pinLength and per-language templates apply', async () => {
		await sb.control.setConfig({ pinLength: 6, smsTemplates: { it: 'Il tuo codice è %code%' } });
		await request({ number: MOBILE, type: 'sms', android_app_hash: 'FA+9qCX9VSu', language: 'it' });
		const [sms] = (await sb.control.inbox(MOBILE)).entries;
		expect(sms.pin).toMatch(/^\d{6}$/);
		expect(sms.text).toBe(`<#> Il tuo codice è ${sms.pin}\nFA+9qCX9VSu`);
	});

	test('no callback is sent for a wrong PIN', async () => {
		const { id } = await request({ number: MOBILE, type: 'sms', notification_callback: receiver.url });
		await verify(id as string, 'nope');
		await sb.control.settle();
		expect(receiver.received).toHaveLength(0);
	});
});

describe('ivr validation', () => {
	test('the PIN is spoken in a call that the phone answers; verify works', async () => {
		await sb.control.setConfig({ callSecondMs: 200 });
		const { id } = (await request({ number: MOBILE, type: 'ivr', language: 'de' })) as { id: string };
		expect(id).toMatch(/^IVR-/);
		const ringing = await sb.control.inbox(MOBILE);
		expect(ringing.entries[0]).toMatchObject({ kind: 'ivr_call', from: '+12025550123', answered: false, pin: null });

		await sb.control.advance();
		const inbox = await sb.control.inbox(MOBILE);
		const call = inbox.entries[0];
		expect(call).toMatchObject({ kind: 'ivr_call', answered: true, status: 'ended', endReason: 'completed' });
		expect(call.pin).toMatch(/^\d{4}$/);
		expect(call.spokenText).toContain(call.pin!.split('').join(' '));
		const view = await sb.control.validation(id);
		expect(view.call?.events[0]).toMatchObject({ action: 'speak', language: 'de-DE' });

		expect(((await verify(id, call.pin!)).json as Body).validated).toBe(true);
		const status = (await sb.api.get(`/validation/status/${id}`)).json as Body;
		expect(status.charged_amount).toBe(0.02);
		expect(((await sb.api.get('/my-account')).json as Body).ivr_validations).toBe(1);
	});

	test('a phone that never answers never hears the PIN', async () => {
		await request({ number: '+40745999920', type: 'ivr' });
		await sb.control.advance();
		const [call] = (await sb.control.inbox('+40745999920')).entries;
		expect(call).toMatchObject({ kind: 'ivr_call', answered: false, status: 'ended', endReason: 'no_answer', pin: null });
	});

	test('DELETE /call/{validation id} hangs up the IVR call', async () => {
		const { id } = (await request({ number: MOBILE, type: 'ivr' })) as { id: string };
		const r = await sb.api.delete(`/call/${id}`);
		expect(r.status).toBe(204);
		expect(r.text).toBe('');
		expect((await sb.control.validation(id)).call).toMatchObject({ status: 'ended', endReason: 'api' });
	});
});

describe('reverse_cli (missed call) validation', () => {
	test('pin_hash is sha1 of the caller number’s last 3 digits; the PIN is its last 4', async () => {
		const response = await request({ number: MOBILE, type: 'reverse_cli', notification_callback: receiver.url });
		const id = response.id as string;
		expect(id).toMatch(/^RCL-[0-9A-F-]{36}$/);
		const [missed] = (await sb.control.inbox(MOBILE)).entries;
		expect(missed).toMatchObject({ kind: 'missed_call', status: expect.stringMatching(/^(initiated|ringing)$/), answered: false });
		const caller = missed.from.slice(1);
		expect(missed.from).toMatch(/^\+40\d{9}$/);
		expect(response.pin_hash).toBe(createHash('sha1').update(caller.slice(-3)).digest('hex'));
		expect(response.pin_hash).toMatch(/^[0-9a-f]{40}$/);
		expect(response.cli_prefix).toBe(caller.slice(0, 5));
		expect(missed.pin).toBe(caller.slice(-4));

		const verified = (await verify(id, caller.slice(-4))).json as Body;
		expect(verified).toMatchObject({ number: MOBILE, validated: true, charged_amount: 0 });
		const [callback] = await receiver.waitFor(1);
		expect((callback.json as Body).key).toBe(id);
		expect(((await sb.api.get('/my-account')).json as Body).cli_validations).toBe(1);
	});

	test('HANGUP with use_server_hangup ends the unanswered call; the validation stays open', async () => {
		const { id } = (await request({ number: MOBILE, type: 'reverse_cli' })) as { id: string };
		const r = await verify(id, 'HANGUP', { use_server_hangup: true });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ number: MOBILE, validated: false, validation_date: null, charged_amount: 0 });
		const view = await sb.control.validation(id);
		expect(view.serverHangup).toBe(true);
		expect(view.call).toMatchObject({ status: 'ended', endReason: 'server_hangup', answeredAt: null });
		expect(view.verifications).toEqual([expect.objectContaining({ pin: 'HANGUP', useServerHangup: true, result: 'hangup' })]);
		expect(view.attempts).toBe(0);
		expect(((await verify(id, view.pin)).json as Body).validated).toBe(true);
	});

	test('an unanswered missed call ends by itself; a user who answers costs one minute', async () => {
		const { id } = (await request({ number: MOBILE, type: 'reverse_cli' })) as { id: string };
		await sb.control.advance();
		expect((await sb.control.validation(id)).call).toMatchObject({ status: 'ended', endReason: 'timeout', chargedAmount: 0 });

		const answered = (await request({ number: '+40745999922', type: 'reverse_cli' })) as { id: string };
		await sb.control.advance();
		const view = await sb.control.validation(answered.id);
		expect(view.call).toMatchObject({ status: 'ended', durationBilled: 60, chargedAmount: 0.02 });
		expect(((await sb.api.get(`/validation/status/${answered.id}`)).json as Body).charged_amount).toBe(0.02);
	});

	test('DELETE /call/{RCL id} ends the missed call', async () => {
		const { id } = (await request({ number: MOBILE, type: 'reverse_cli' })) as { id: string };
		expect((await sb.api.delete(`/call/${id}`)).status).toBe(204);
		expect((await sb.control.validation(id)).call?.endReason).toBe('api');
	});
});

describe('limits of a validation', () => {
	test('after 3 verify attempts the 4th is error 15, even with the right PIN', async () => {
		const { id } = (await request({ number: MOBILE, type: 'sms' })) as { id: string };
		const pin = (await sb.control.validation(id)).pin;
		for (let i = 0; i < 3; i++) expect(((await verify(id, 'x')).json as Body).validated).toBe(false);
		const fourth = await verify(id, pin);
		expect(fourth.status).toBe(400);
		expect(fourth.json).toEqual({ code: 15, error: 'Too many attempts to verify the pin.' });
	});

	test('maxVerifyAttempts is a setting', async () => {
		await sb.control.setConfig({ maxVerifyAttempts: 1 });
		const { id } = (await request({ number: MOBILE, type: 'sms' })) as { id: string };
		await verify(id, 'x');
		expect((await verify(id, 'y')).json).toMatchObject({ code: 15 });
	});

	test('after the TTL verify is error 16; status still answers', async () => {
		const { id } = (await request({ number: MOBILE, type: 'sms' })) as { id: string };
		const pin = (await sb.control.validation(id)).pin;
		await sb.control.advance({ ms: 3600 * 1000 + 1 });
		const late = await verify(id, pin);
		expect(late.status).toBe(400);
		expect(late.json).toEqual({ code: 16, error: 'Validation request expired.' });
		expect((await sb.api.get(`/validation/status/${id}`)).json).toMatchObject({ validated: false });
		expect((await sb.control.validation(id)).expired).toBe(true);
	});

	test('a short TTL from the config', async () => {
		await sb.control.setConfig({ validationTtlSeconds: 5 });
		const { id } = (await request({ number: MOBILE, type: 'sms' })) as { id: string };
		await sb.control.advance({ ms: 4000 });
		expect(((await verify(id, 'x')).json as Body).validated).toBe(false);
		await sb.control.advance({ ms: 1001 });
		expect((await verify(id, 'x')).json).toMatchObject({ code: 16 });
	});

	test('verifying an already validated request answers validated again without using attempts', async () => {
		const { id } = (await request({ number: MOBILE, type: 'sms' })) as { id: string };
		await sb.control.verifyAsUser(id);
		for (let i = 0; i < 4; i++) expect(((await verify(id, 'whatever')).json as Body).validated).toBe(true);
	});
});

describe('remote config and checknumber', () => {
	test('remote-config lists the available methods, with the sms template and the android hash', async () => {
		await sb.control.setConfig({ androidAppHash: 'AbCdEfGhIjK' });
		const android = (await sb.api.post('/validation/remote-config', { number: MOBILE, platform: 'android' })).json as Body;
		expect(android).toEqual({
			settings: [
				{ type: 'reverse_cli', max_attempts: 1, delay: 20 },
				{ type: 'sms', max_attempts: 2, delay: 60, sms_template: 'Your validation code is %code%', android_app_hash: 'AbCdEfGhIjK' },
				{ type: 'ivr', max_attempts: 1, delay: 60 },
			],
			country_code: '40',
			country_iso_code: 'RO',
			carrier: expect.any(String),
			is_mobile: true,
			e164_format: MOBILE,
			formatting: MOBILE,
		});
		const ios = (await sb.api.post('/validation/remote-config', { number: MOBILE, platform: 'ios' })).json as { settings: Body[] };
		expect(ios.settings[1]).not.toHaveProperty('android_app_hash');
		const landline = (await sb.api.post('/validation/remote-config', { number: '+40215551234', platform: 'web' })).json as { settings: Body[] };
		expect(landline.settings.map((s) => s.type)).toEqual(['ivr']);
	});

	test('checknumber shows the methods of a mobile and of a landline', async () => {
		const mobile = (await sb.api.post('/checknumber', { number: '40745123456' })).json as Body;
		expect(mobile).toEqual({
			country_code: '40',
			country_iso_code: 'RO',
			carrier: expect.any(String),
			is_mobile: true,
			e164_format: MOBILE,
			formatting: MOBILE,
			validation_methods: {
				sms: { available: true, min_rate: 0.05, max_rate: 0.05 },
				ivr: { available: true, min_rate: 0.02, max_rate: 0.02, estimation_cost: 0.02 },
				reverse_cli: { available: true, min_rate: 0.02, max_rate: 0.02, estimation_cost: 0.02 },
				cli: { available: false, local_number: false },
			},
		});
		const landline = (await sb.api.post('/checknumber', { number: '+40215551234' })).json as { is_mobile: boolean; validation_methods: Record<string, { available: boolean }> };
		expect(landline.is_mobile).toBe(false);
		expect(landline.validation_methods.sms.available).toBe(false);
		expect(landline.validation_methods.reverse_cli.available).toBe(false);
		expect(landline.validation_methods.ivr.available).toBe(true);
	});
});

test('X-Client-IP is recorded with the validation', async () => {
	const r = await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' }, { headers: { 'X-Client-IP': '203.0.113.7' } });
	expect((await sb.control.validation((r.json as Body).id as string)).clientIp).toBe('203.0.113.7');
});
