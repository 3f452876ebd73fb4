/**
 * Validation → Request, run by n8n's own engine against the CheckMobi sandbox: what the sandbox
 * received (method, path, headers, exact body) and what the node output. Verify, Get Status, Get
 * Remote Config and what the editor shows are in validation.test.ts; the full 2FA flows per
 * validation type in flows-validation.test.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useResource } from '../helpers/checkMobi';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const { sandbox, run, received } = useResource<'request'>('validation');

const ID_PATTERN = (prefix: string) => new RegExp(`^${prefix}-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`);

describe('Validation → Request', () => {
	test('SMS: sends every option in the API\'s fields, X-Client-IP as a header, and outputs CheckMobi\'s answer', async () => {
		const { items, error } = await run('request', {
			type: 'sms',
			number: '+40 (745) 123-456',
			options: {
				androidAppHash: 'FA+9qCX9VSu',
				clientIp: '203.0.113.7',
				language: 'IT',
				notificationCallback: 'http://127.0.0.1:9/validated',
				platform: 'android',
				timeout: 5000,
			},
		});
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/validation/request');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers['x-client-ip']).toBe('203.0.113.7');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({
			number: '+40745123456',
			type: 'sms',
			language: 'it',
			notification_callback: 'http://127.0.0.1:9/validated',
			platform: 'android',
			android_app_hash: 'FA+9qCX9VSu',
		});

		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toEqual({
			id: expect.stringMatching(ID_PATTERN('SMS')),
			type: 'sms',
			validation_info: expect.objectContaining({ e164_format: '+40745123456', country_iso_code: 'RO', is_mobile: true }),
		});

		const validation = await sandbox.control.validation(items[0].json.id as string);
		expect(validation).toMatchObject({ clientIp: '203.0.113.7', language: 'it', platform: 'android', androidAppHash: 'FA+9qCX9VSu' });
		// The SMS Retriever format: "<#> message" then the app hash on its own line.
		expect(validation.message?.text).toMatch(/^<#> .*\d{4}.*\nFA\+9qCX9VSu$/s);
	});

	test('SMS with only the required fields: the body holds number and type, and no X-Client-IP is sent', async () => {
		const { items, error } = await run('request', { type: 'sms', number: '+40745123456' });
		expect(error).toBeUndefined();
		const [request] = await received('/validation/request');
		expect(request.rawBody).toBe('{"number":"+40745123456","type":"sms"}');
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(Object.keys(items[0].json).sort()).toEqual(['id', 'type', 'validation_info']);
	});

	test('IVR: the language is one of the voice languages, written as CheckMobi writes it', async () => {
		const { items, error } = await run('request', {
			type: 'ivr',
			number: '+447700900123',
			options: { language: 'fr_fr', platform: 'ios' },
		});
		expect(error).toBeUndefined();
		const [request] = await received('/validation/request');
		expect(request.json).toEqual({ number: '+447700900123', type: 'ivr', language: 'fr-FR', platform: 'ios' });
		expect(items[0].json).toMatchObject({ id: expect.stringMatching(ID_PATTERN('IVR')), type: 'ivr' });
		const validation = await sandbox.control.validation(items[0].json.id as string);
		expect(validation.call?.events[0]).toMatchObject({ action: 'speak', language: 'fr-FR' });
	});

	test('Missed Call: outputs pin_hash and cli_prefix as CheckMobi sends them; options hidden for this type are not sent', async () => {
		const { items, error } = await run('request', {
			type: 'reverse_cli',
			number: '+40745123456',
			// Left over from an earlier choice of SMS: hidden in the editor, so they must not be sent.
			options: { language: 'it', androidAppHash: 'FA+9qCX9VSu' },
		});
		expect(error).toBeUndefined();
		const [request] = await received('/validation/request');
		expect(request.json).toEqual({ number: '+40745123456', type: 'reverse_cli' });

		expect(Object.keys(items[0].json).sort()).toEqual(['cli_prefix', 'id', 'pin_hash', 'type', 'validation_info']);
		const validation = await sandbox.control.validation(items[0].json.id as string);
		expect(items[0].json).toMatchObject({
			id: expect.stringMatching(ID_PATTERN('RCL')),
			type: 'reverse_cli',
			pin_hash: validation.pinHash,
			cli_prefix: validation.cliPrefix,
		});
	});

	test('expressions per item: each item requests its own validation, output in input order and paired', async () => {
		const input = [
			{ phone: '+40745000001', method: 'sms', ip: '198.51.100.1' },
			{ phone: '0040 745 000 002', method: 'ivr', ip: '2001:db8::2' },
			{ phone: '+14155550123', method: 'reverse_cli', ip: '198.51.100.3' },
		];
		const { items, error } = await run(
			'request',
			{ type: '={{ $json.method }}', number: '={{ $json.phone }}', options: { clientIp: '={{ $json.ip }}' } },
			input,
		);
		expect(error).toBeUndefined();

		const requests = await received('/validation/request');
		expect(requests.map((request) => [request.json, request.headers['x-client-ip']])).toEqual([
			[{ number: '+40745000001', type: 'sms' }, '198.51.100.1'],
			[{ number: '+40745000002', type: 'ivr' }, '2001:db8::2'],
			[{ number: '+14155550123', type: 'reverse_cli' }, '198.51.100.3'],
		]);
		expect(items.map((item) => [item.json.type, item.pairedItem])).toEqual([
			['sms', { item: 0 }],
			['ivr', { item: 1 }],
			['reverse_cli', { item: 2 }],
		]);
		const validations = await Promise.all(items.map((item) => sandbox.control.validation(item.json.id as string)));
		expect(validations.map((validation) => [validation.number, validation.clientIp])).toEqual([
			['+40745000001', '198.51.100.1'],
			['+40745000002', '2001:db8::2'],
			['+14155550123', '198.51.100.3'],
		]);
	});

	describe('bad input stops the run before any request', () => {
		test.each<[string, INodeParameters, RegExp, RegExp]>([
			['a national number', { type: 'sms', number: '0745 123 456' }, /Phone Number/, /country code/],
			['a number that resolves to nothing', { type: 'sms', number: '={{ $json.missing }}' }, /Phone Number/, /not text/],
			['a number that resolves to blank', { type: 'sms', number: '={{ "  " }}' }, /Phone Number/, /empty/],
			['an unknown type', { type: '={{ "email" }}', number: '+40745123456' }, /Type/, /reverse_cli/],
			['a regional code as SMS language', { type: 'sms', number: '+40745123456', options: { language: 'en-US' } }, /Language/, /ISO 639-1/],
			['an SMS language as IVR language', { type: 'ivr', number: '+40745123456', options: { language: 'fr' } }, /Language/, /fr-FR/],
			['a callback that is no web address', { type: 'sms', number: '+40745123456', options: { notificationCallback: 'checkmobi-trigger' } }, /Notification Callback/, /Production URL/],
			['a callback of more than 255 characters', { type: 'sms', number: '+40745123456', options: { notificationCallback: `https://n8n.example.com/webhook/${'a'.repeat(240)}` } }, /Notification Callback/, /at most 255/],
			['a list of IPs', { type: 'sms', number: '+40745123456', options: { clientIp: '203.0.113.7, 10.0.0.1' } }, /Client IP/, /first address/],
			['a host name as IP', { type: 'sms', number: '+40745123456', options: { clientIp: 'localhost' } }, /Client IP/, /IPv4 or IPv6/],
			['a pasted SMS as app hash', { type: 'sms', number: '+40745123456', options: { androidAppHash: '<#> code 1234 FA+9qCX9VSu' } }, /Android App Hash/, /11-character/],
			['an unknown platform', { type: 'sms', number: '+40745123456', options: { platform: '={{ "windows phone" }}' } }, /Platform/, /android, desktop, ios, web/],
		])('%s', async (_name, parameters, field, fix) => {
			const { items, error } = await run('request', parameters);
			expect(error?.message).toMatch(field);
			expect(error?.message).toMatch(/\[item 0\]/);
			expect(error?.description).toMatch(fix);
			expect(items).toEqual([]);
			expect(await received()).toEqual([]);
		});

		test('one bad item among good ones: nothing at all is sent', async () => {
			const { error } = await run('request', { type: 'sms', number: '={{ $json.phone }}' }, [
				{ phone: '+40745000001' },
				{ phone: '+40745000002' },
				{ phone: '0745 000 003' },
			]);
			expect(error?.message).toMatch(/Invalid phone number in "Phone Number": "0745 000 003" \[item 2\]/);
			expect(await received()).toEqual([]);
			expect((await sandbox.control.stats()).creates.validations).toBe(0);
		});
	});

	test('Continue On Fail: bad input and CheckMobi errors become error items with message, code and HTTP status; the others go on', async () => {
		const { items, error } = await run(
			'request',
			{ type: '={{ $json.type }}', number: '={{ $json.phone }}' },
			[
				{ phone: '+40745000001', type: 'sms' },
				{ phone: '0745 000 002', type: 'sms' },
				{ phone: '+40745999930', type: 'sms' },
				{ phone: '+40745999931', type: 'reverse_cli' },
				{ phone: '+40745000005', type: 'ivr' },
			],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }, { item: 4 }]);
		expect(items[0].json).toMatchObject({ type: 'sms', id: expect.stringMatching(ID_PATTERN('SMS')) });
		expect(items[1].json).toEqual({
			error: expect.stringMatching(/Invalid phone number in "Phone Number".*\[item 1\]/),
			description: expect.stringMatching(/country code/),
			code: null,
			httpStatus: null, failedAt: 'input',
		});
		expect(items[2].json).toEqual({
			error: expect.stringMatching(/^CheckMobi error 13: .*\[item 2\]$/),
			description: expect.stringMatching(/application settings/),
			code: 13,
			httpStatus: 400, failedAt: 'request',
		});
		expect(items[3].json).toEqual({
			error: expect.stringMatching(/^CheckMobi error 8: .*\[item 3\]$/),
			description: expect.stringMatching(/Field: Type\. .*Number → Get Validation Methods/),
			code: 8,
			httpStatus: 400, failedAt: 'request',
		});
		expect(items[4].json).toMatchObject({ type: 'ivr', id: expect.stringMatching(ID_PATTERN('IVR')) });
		// The bad item was never sent; the four others were, once each.
		expect((await received('/validation/request')).map((request) => (request.json as IDataObject).number)).toEqual([
			'+40745000001',
			'+40745999930',
			'+40745999931',
			'+40745000005',
		]);
	});

	test.each<[number, string, INodeParameters, RegExp]>([
		[8, 'a missed call to a number that cannot get one', { type: 'reverse_cli', number: '+40745999931' }, /Number → Get Validation Methods/],
		[14, 'a number blocked after too many attempts', { type: 'sms', number: '+40745999933' }, /wait before trying it again/],
	])('CheckMobi error %i (%s) stops the run with its code and the fix', async (code, _name, parameters, fix) => {
		const { items, error } = await run('request', parameters);
		expect(items).toEqual([]);
		expect(error?.message).toMatch(new RegExp(`^CheckMobi error ${code}: .*\\[item 0\\]$`));
		expect(error?.description).toMatch(fix);
		expect(error?.context?.checkMobiCode).toBe(code);
		expect(error?.httpCode).toBe('400');
		expect(await received('/validation/request')).toHaveLength(1);
	});

	test('CheckMobi error 4 (invalid type) surfaces with the field and the fix', async () => {
		// The node only sends valid types, so CheckMobi's own answer is injected.
		await sandbox.control.addFault({
			type: 'status',
			status: 400,
			body: '{"code":4,"error":"Invalid validation type. Allowed (sms, ivr, reverse_cli)."}',
			method: 'POST',
			path: '/validation/request',
			count: 1,
		});
		const { error } = await run('request', { type: 'sms', number: '+40745123456' });
		expect(error?.message).toBe('CheckMobi error 4: Invalid validation type. Allowed (sms, ivr, reverse_cli). [item 0]');
		expect(error?.description).toBe('Field: Type. Choose SMS, IVR or Missed Call as the validation type.');
		expect(error?.context?.checkMobiCode).toBe(4);
	});

	test('a request whose answer is lost is not sent again: no second SMS', async () => {
		await sandbox.control.addFault({ type: 'reset', method: 'POST', path: '/validation/request', when: 'after', count: 1 });
		const { items, error } = await run('request', { type: 'sms', number: '+40745123456' });
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/may have received the request/);
		expect(await received('/validation/request')).toHaveLength(1);
		expect((await sandbox.control.stats()).creates.validationsByType.sms).toBe(1);
		expect((await sandbox.control.inbox('+40745123456')).entries).toHaveLength(1);
	});
});
