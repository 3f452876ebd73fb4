// The wire contract of every answer: auth, the error body, and each error code the sandbox gives.

import { useSandbox } from '../helpers/sandbox';

const sb = useSandbox();
const MOBILE = '+40745123456';

function expectError(result: { status: number; json: unknown; text: string }, status: number, code: number): void {
	expect(result.status).toBe(status);
	expect(result.json).toEqual({ code, error: expect.any(String) });
	expect(Object.keys(result.json as object)).toEqual(['code', 'error']);
}

describe('authentication', () => {
	test('a missing or wrong secret key is 401 code 1 with the reference message', async () => {
		const missing = await sb.api.get('/my-account', { headers: { Authorization: '' } });
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ code: 1, error: 'Invalid or expired API secret key.' });
		const wrong = await sb.api.get('/my-account', { headers: { Authorization: 'Bearer ' + sb.secretKey } });
		expectError(wrong, 401, 1);
		const ok = await sb.api.get('/my-account');
		expect(ok.status).toBe(200);
	});

	test('GET /countries answers without a key and with one', async () => {
		const anonymous = await sb.api.get('/countries', { headers: { Authorization: '' } });
		expect(anonymous.status).toBe(200);
		const countries = anonymous.json as Array<Record<string, unknown>>;
		expect(countries.length).toBeGreaterThan(200);
		const ro = countries.find((c) => c.iso2 === 'RO');
		expect(ro).toEqual({ iso2: 'RO', name: 'Romania', prefix: '40', flag_32: expect.stringMatching(/\/flags\/32\/ro\.png$/), flag_128: expect.stringMatching(/\/flags\/128\/ro\.png$/) });
		const keyed = await sb.api.get('/countries');
		expect(keyed.status).toBe(200);
		const flag = await fetch(ro!.flag_32 as string);
		expect(flag.headers.get('content-type')).toBe('image/png');
	});

	test('GET /prefixes needs the key and gives integer prefixes', async () => {
		expectError(await sb.api.get('/prefixes', { headers: { Authorization: '' } }), 401, 1);
		const prefixes = (await sb.api.get('/prefixes')).json as Array<Record<string, unknown>>;
		expect(prefixes.find((p) => p.iso2 === 'AD')).toEqual({ iso2: 'AD', name: 'Andorra', prefix: 376 });
		expect(prefixes.find((p) => p.iso2 === 'US')).toEqual({ iso2: 'US', name: 'United States', prefix: 1 });
	});
});

describe('request payloads (code 7)', () => {
	test('a POST without a JSON content type is refused', async () => {
		const r = await sb.api.post('/sms/send', undefined, { rawBody: JSON.stringify({ to: MOBILE, text: 'hi' }), headers: { 'Content-Type': 'text/plain' } });
		expectError(r, 400, 7);
		expect((await sb.control.stats()).creates.sms).toBe(0);
	});

	test('non-JSON, non-object, missing and wrong-typed fields are code 7', async () => {
		expectError(await sb.api.post('/sms/send', undefined, { rawBody: '{"to": "+40745123456", ' }), 400, 7);
		expectError(await sb.api.post('/sms/send', [MOBILE]), 400, 7);
		expectError(await sb.api.post('/sms/send', { to: MOBILE }), 400, 7);
		expectError(await sb.api.post('/sms/send', { to: 40745123456, text: 'hi' }), 400, 7);
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', is_transactional: 'yes' }), 400, 7);
		expectError(await sb.api.post('/validation/request', { number: MOBILE }), 400, 7);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'sms', platform: 'symbian' }), 400, 7);
		expectError(await sb.api.post('/validation/remote-config', { number: MOBILE }), 400, 7);
		expectError(await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait' }], ring_timeout: 121 }), 400, 7);
		expectError(await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait' }], ring_timeout: 0 }), 400, 7);
		const r = await sb.api.post('/sms/send', { to: MOBILE });
		expect(r.headers['x-sandbox-detail']).toContain('text');
	});
});

describe('error codes', () => {
	test('2: numbers that are not E.164 of a known country', async () => {
		for (const number of ['0745123456', '+40 745 123 456', '+4074512', 'abc', '+999123456', '+40745123456789']) {
			expectError(await sb.api.post('/checknumber', { number }), 400, 2);
		}
		expectError(await sb.api.get('/lookup/verify/12ab'), 400, 2);
		expectError(await sb.api.post('/sms/send', { to: '+4074', text: 'x' }), 400, 2);
		expectError(await sb.api.post('/call', { from: '123', to: MOBILE, events: [{ action: 'wait' }] }), 400, 2);
	});

	test('3: a malformed id is 400, a well-formed unknown id is 404', async () => {
		expectError(await sb.api.get('/sms/not-an-id'), 400, 3);
		expectError(await sb.api.get('/validation/status/SMS-123'), 400, 3);
		expectError(await sb.api.post('/validation/verify', { id: 'nope', pin: '1234' }), 400, 3);
		expectError(await sb.api.delete('/call/CAL-xyz'), 400, 3);
		const unknown = 'MSG-8A1C3E5F-0B2D-4F6A-9C8E-1D3F5A7B9C0E';
		expectError(await sb.api.get(`/sms/${unknown}`), 404, 3);
		expectError(await sb.api.get(`/call/${unknown.replace('MSG', 'CAL')}`), 404, 3);
		expectError(await sb.api.delete(`/call/${unknown.replace('MSG', 'CAL')}`), 404, 3);
		expectError(await sb.api.get(`/validation/status/${unknown.replace('MSG', 'SMS')}`), 404, 3);
		expectError(await sb.api.post('/validation/verify', { id: unknown.replace('MSG', 'RCL'), pin: '1234' }), 404, 3);
	});

	test('an unknown endpoint or method is the reference\'s 404, with no invented error code in a body', async () => {
		for (const r of [await sb.api.get('/no/such/endpoint'), await sb.api.get('/validation/request'), await sb.api.delete('/sms/send')]) {
			expect(r.status).toBe(404);
			expect(r.text).toBe('');
			expect(r.headers['x-sandbox-detail']).toEqual(expect.any(String));
		}
	});

	test('403: an operation the secret key may not run (config forbiddenOperations) is 403 with code 11', async () => {
		await sb.control.setConfig({ forbiddenOperations: ['sms.send', 'lookup.hlr', 'validation.request.ivr'] });
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi' }), 403, 11);
		expectError(await sb.api.get(`/lookup/hlr/${MOBILE}`), 403, 11);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'ivr' }), 403, 11);
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' })).status).toBe(200);
		expect((await sb.api.get(`/lookup/mnp/${MOBILE}`)).status).toBe(200);
		expect((await sb.control.stats()).creates.sms).toBe(0);
		// What the key may not run is not offered for the number either.
		const check = (await sb.api.post('/checknumber', { number: MOBILE })).json as { validation_methods: Record<string, { available: boolean }> };
		expect(check.validation_methods.ivr.available).toBe(false);
	});

	test('4: a validation type other than sms, ivr, reverse_cli', async () => {
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'cli' }), 400, 4);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'SMS' }), 400, 4);
	});

	test('5: insufficient funds, for SMS, calls, validations and lookups', async () => {
		await sb.control.setConfig({ creditBalance: 0.04 });
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi' }), 400, 5);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' }), 400, 5);
		await sb.control.setConfig({ creditBalance: 0.005 });
		expectError(await sb.api.post('/call', { to: MOBILE, events: [{ action: 'wait' }] }), 400, 5);
		expectError(await sb.api.get(`/lookup/hlr/${MOBILE}`), 400, 5);
		expect((await sb.api.get(`/lookup/verify/${MOBILE}`)).status).toBe(200);
		const account = (await sb.api.get('/my-account')).json as Record<string, unknown>;
		expect(account.credit_balance).toBe(0.005);
	});

	test('6: missed-call validations beyond the subscription limit', async () => {
		await sb.control.setConfig({ subscription: { id: 0, name: 'Trial Account', limit: 1 } });
		const first = (await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' })).json as { id: string };
		expect((await sb.control.verifyAsUser(first.id)).body.validated).toBe(true);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'reverse_cli' }), 400, 6);
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' })).status).toBe(200);
		const account = (await sb.api.get('/my-account')).json as Record<string, unknown>;
		expect(account.subscription).toEqual({ id: 0, name: 'Trial Account', limit: 1 });
		expect(account.cli_validations).toBe(1);
	});

	test('8: a method the destination does not support', async () => {
		expectError(await sb.api.post('/validation/request', { number: '+40215551234', type: 'sms' }), 400, 8);
		expectError(await sb.api.post('/validation/request', { number: '+40215551234', type: 'reverse_cli' }), 400, 8);
		expect((await sb.api.post('/validation/request', { number: '+40215551234', type: 'ivr' })).status).toBe(200);
		expectError(await sb.api.post('/validation/request', { number: '+40745999931', type: 'reverse_cli' }), 400, 8);
		expectError(await sb.api.post('/validation/request', { number: '+40745999932', type: 'sms' }), 400, 8);
	});

	test('9: callback URLs the real service refuses (too long; loopback when not allowed)', async () => {
		const long = `http://127.0.0.1/${'x'.repeat(250)}`;
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', notification_callback: long }), 400, 9);
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', notification_callback: 'ftp://127.0.0.1/x' }), 400, 9);
		expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', notification_callback: 'http://127.0.0.1:9/cb' })).status).toBe(200);
		await sb.control.setConfig({ allowLoopbackCallbacks: false });
		for (const url of ['http://127.0.0.1:9/cb', 'http://localhost/cb', 'http://10.1.2.3/cb', 'http://192.168.0.2/cb', 'http://[::1]/cb'])
			expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', notification_callback: url }), 400, 9);
		expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'hi', notification_callback: 'https://hooks.test.invalid/cb' })).status).toBe(200);
	});

	test('11: disabled operations', async () => {
		await sb.control.setConfig({ disabledOperations: ['sms.send', 'lookup.hlr', 'validation.request.ivr'] });
		expectError(await sb.api.post('/sms/send', { to: MOBILE, text: 'hi' }), 400, 11);
		expectError(await sb.api.get(`/lookup/hlr/${MOBILE}`), 400, 11);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'ivr' }), 400, 11);
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' })).status).toBe(200);
		expect((await sb.api.get(`/lookup/mnp/${MOBILE}`)).status).toBe(200);
		const check = (await sb.api.post('/checknumber', { number: MOBILE })).json as { validation_methods: Record<string, { available: boolean }> };
		expect(check.validation_methods.ivr.available).toBe(false);
	});

	test('13: blocked destinations (magic 999930 and blockedPrefixes)', async () => {
		expectError(await sb.api.post('/sms/send', { to: '+40745999930', text: 'hi' }), 400, 13);
		expectError(await sb.api.post('/call', { to: '+40745999930', events: [{ action: 'wait' }] }), 400, 13);
		expectError(await sb.api.post('/validation/request', { number: '+40745999930', type: 'sms' }), 400, 13);
		await sb.control.setConfig({ blockedPrefixes: ['+44'] });
		expectError(await sb.api.post('/sms/send', { to: '+447700900123', text: 'hi' }), 400, 13);
		expect((await sb.api.post('/sms/send', { to: MOBILE, text: 'hi' })).status).toBe(200);
	});

	test('14: too many validation requests to one number', async () => {
		expectError(await sb.api.post('/validation/request', { number: '+40745999933', type: 'sms' }), 400, 14);
		await sb.control.setConfig({ validationRequestsPerNumber: 2, validationRequestWindowSeconds: 600 });
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' })).status).toBe(200);
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'ivr' })).status).toBe(200);
		expectError(await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' }), 400, 14);
		expect((await sb.api.post('/validation/request', { number: '+40745123457', type: 'sms' })).status).toBe(200);
		await sb.control.advance({ ms: 601_000 });
		expect((await sb.api.post('/validation/request', { number: MOBILE, type: 'sms' })).status).toBe(200);
	});

	test('17 and 18: unknown lookup method; "No HLR lookup route" on HLR only, MNP and Validate still answer', async () => {
		expectError(await sb.api.get(`/lookup/imsi/${MOBILE}`), 400, 17);
		expectError(await sb.api.post('/lookup/verify', { numbers: [MOBILE], notification_callback: 'http://127.0.0.1:9/' }), 400, 17);
		const noRoute = await sb.api.get('/lookup/hlr/+5351234567');
		expectError(noRoute, 400, 18);
		expect(noRoute.json).toEqual({ code: 18, error: 'No HLR lookup route available for this destination.' });
		expect((await sb.api.get('/lookup/mnp/+5361234567')).json).toMatchObject({ phone_number: '+5361234567', processing_status: 'completed' });
		expect((await sb.api.get('/lookup/verify/+5351234567')).status).toBe(200);
	});

	test('error answers are counted per code in the stats', async () => {
		await sb.api.get('/my-account', { headers: { Authorization: 'x' } });
		await sb.api.post('/checknumber', { number: 'x' });
		await sb.api.post('/checknumber', { number: 'y' });
		const stats = await sb.control.stats();
		expect(stats.errorCodes).toEqual({ '1': 1, '2': 2 });
		expect(stats.byEndpoint['POST /v1/checknumber'].statuses).toEqual({ '400': 2 });
	});
});
