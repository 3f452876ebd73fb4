/**
 * Validation → Verify, Get Status and Get Remote Config, run by n8n's own engine against the
 * CheckMobi sandbox: what the sandbox received (method, path, headers, exact body) and what the
 * node output; then what the editor shows for each validation operation. Validation → Request is in
 * validationRequest.test.ts; the full 2FA flows per validation type in flows-validation.test.ts.
 */
import type { IDataObject, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { useResource } from '../helpers/checkMobi';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const { sandbox, run, received } = useResource<'verify' | 'getStatus' | 'getRemoteConfig'>('validation');

/** A validation made straight on the wire, for the operations that need one to exist. */
async function createValidation(type: 'sms' | 'ivr' | 'reverse_cli', number = '+40745123456'): Promise<string> {
	const answer = await sandbox.api.post('/validation/request', { number, type });
	expect(answer.status).toBe(200);
	return (answer.json as { id: string }).id;
}

describe('Validation → Verify', () => {
	test('the right PIN: sends id and pin, outputs CheckMobi\'s answer with the validation\'s id', async () => {
		const id = await createValidation('sms');
		const pin = (await sandbox.control.validation(id)).pin;
		const { items, error } = await run('verify', { id, pin: ` ${pin} ` });
		expect(error).toBeUndefined();

		const [request] = await received('/validation/verify');
		expect(request.method).toBe('POST');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(request.rawBody).toBe(JSON.stringify({ id, pin }));

		expect(items).toEqual([
			{
				json: {
					id,
					number: '+40745123456',
					validated: true,
					validation_date: expect.any(Number),
					charged_amount: expect.any(Number),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a wrong PIN is not an error: validated is false, and it used one attempt', async () => {
		const id = await createValidation('sms');
		const { items, error } = await run('verify', { id, pin: '0000x' });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ id, number: '+40745123456', validated: false, validation_date: null, charged_amount: expect.any(Number) });
		expect((await sandbox.control.validation(id)).attempts).toBe(1);
	});

	test('a PIN that arrives as a number from an expression is sent as text', async () => {
		const id = await createValidation('sms');
		await run('verify', { id: '={{ $json.id }}', pin: '={{ $json.pin }}' }, [{ id, pin: 4321 }]);
		const [request] = await received('/validation/verify');
		expect(request.json).toEqual({ id, pin: '4321' });
	});

	test('several items: each verifies its own validation, in order, paired; a wrong PIN stays an ordinary item', async () => {
		const ids = [await createValidation('sms', '+40745000001'), await createValidation('ivr', '+40745000002'), await createValidation('reverse_cli', '+40745000003')];
		const pins = await Promise.all(ids.map(async (id) => (await sandbox.control.validation(id)).pin));
		const input = [
			{ validationId: ids[0], code: pins[0] },
			{ validationId: ids[1], code: '99999' },
			{ validationId: ids[2], code: pins[2] },
		];
		const { items, error } = await run('verify', { id: '={{ $json.validationId }}', pin: '={{ $json.code }}' }, input);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.number, item.json.validated, item.pairedItem])).toEqual([
			[ids[0], '+40745000001', true, { item: 0 }],
			[ids[1], '+40745000002', false, { item: 1 }],
			[ids[2], '+40745000003', true, { item: 2 }],
		]);
	});

	test('error 15: a fourth PIN after three wrong ones is refused, with the fix', async () => {
		const id = await createValidation('sms');
		const { items } = await run('verify', { id, pin: '={{ $json.pin }}' }, [{ pin: '1' }, { pin: '2' }, { pin: '3' }]);
		expect(items.map((item) => item.json.validated)).toEqual([false, false, false]);
		const { error } = await run('verify', { id, pin: (await sandbox.control.validation(id)).pin });
		expect(error?.message).toMatch(/^CheckMobi error 15: /);
		expect(error?.description).toBe('Field: PIN. This validation has used all its PIN attempts: request a new validation for the number.');
		expect(error?.context?.checkMobiCode).toBe(15);
		expect(error?.httpCode).toBe('400');
	});

	test('error 16: a validation past its time to live is refused, with the fix', async () => {
		const id = await createValidation('sms');
		const { pin, expiresAt } = await sandbox.control.validation(id);
		const { now } = await sandbox.control.clock();
		await sandbox.control.advance({ ms: expiresAt - now + 1 });
		const { error } = await run('verify', { id, pin });
		expect(error?.message).toMatch(/^CheckMobi error 16: /);
		expect(error?.description).toBe('Field: ID. The validation is past its time to live: request a new validation for the number.');
		expect(error?.context?.checkMobiCode).toBe(16);
	});

	test('Continue On Fail: an expired validation gives an error item, the other items are verified', async () => {
		const expired = await createValidation('sms', '+40745000002');
		const { expiresAt } = await sandbox.control.validation(expired);
		await sandbox.control.advance({ ms: expiresAt - (await sandbox.control.clock()).now + 1 });
		const first = await createValidation('sms', '+40745000001');
		const third = await createValidation('sms', '+40745000003');
		const input = await Promise.all([first, expired, third].map(async (id) => ({ id, pin: (await sandbox.control.validation(id)).pin })));
		const { items, error } = await run('verify', { id: '={{ $json.id }}', pin: '={{ $json.pin }}' }, input, true);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ id: first, validated: true });
		expect(items[1].json).toEqual({
			error: expect.stringMatching(/^CheckMobi error 16: .*\[item 1\]$/),
			description: expect.stringMatching(/request a new validation/),
			code: 16,
			httpStatus: 400, failedAt: 'request',
		});
		expect(items[2].json).toMatchObject({ id: third, validated: true });
	});

	test('Use Server Hang-Up sends use_server_hangup: true; with HANGUP it ends a ringing missed call without validating', async () => {
		await sandbox.reset({ missedCallTimeoutMs: 600_000 });
		const id = await createValidation('reverse_cli');
		const { items, error } = await run('verify', { id, pin: 'hangup', useServerHangup: true });
		expect(error).toBeUndefined();
		const [request] = await received('/validation/verify');
		expect(request.json).toEqual({ id, pin: 'HANGUP', use_server_hangup: true });
		expect(items[0].json).toMatchObject({ id, validated: false, validation_date: null });
		const validation = await sandbox.control.validation(id);
		expect(validation).toMatchObject({ serverHangup: true, validated: false, attempts: 0 });
		expect(validation.call).toMatchObject({ status: 'ended', endReason: 'server_hangup' });
	});

	describe('bad input stops the run before any request (no attempt is used up)', () => {
		test.each<[string, INodeParameters, RegExp, RegExp]>([
			['an ID that resolves to blank', { id: '={{ $json.id }}', pin: '1234' }, /Validation ID/, /empty/],
			['an ID with spaces', { id: 'SMS-1A2B 3C4D', pin: '1234' }, /Validation ID/, /never occur/],
			['a whole item as ID', { id: '={{ $json }}', pin: '1234' }, /Validation ID/, /must be text/],
			['a URL as ID', { id: 'https://api.checkmobi.com/v1/validation/status/SMS-1', pin: '1234' }, /Validation ID/, /Validation → Request/],
			['an empty PIN', { id: 'SMS-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D', pin: '={{ $json.missing }}' }, /PIN/, /no attempt was used up/],
			['HANGUP without server hang-up', { id: 'RCL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D', pin: 'HANGUP' }, /Use Server Hang-Up/, /wrong PIN/],
		])('%s', async (_name, parameters, field, fix) => {
			const { items, error } = await run('verify', parameters, [{ id: ' ' }]);
			expect(error?.message).toMatch(field);
			expect(error?.message).toMatch(/\[item 0\]/);
			expect(error?.description).toMatch(fix);
			expect(items).toEqual([]);
			expect(await received()).toEqual([]);
		});
	});

	test('an ID of a shape the node cannot judge goes to CheckMobi, which answers error 3', async () => {
		const { error } = await run('verify', { id: 'not-an-id', pin: '1234' });
		expect(await received('/validation/verify')).toHaveLength(1);
		expect(error?.message).toMatch(/^CheckMobi error 3: /);
		expect(error?.description).toMatch(/Field: ID\. Use the "id" returned/);
	});

	test('a verify is never sent twice: a lost answer fails the item, and only one attempt was used', async () => {
		const id = await createValidation('sms');
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'POST', path: '/validation/verify', when: 'after', count: 1 });
		const { error } = await run('verify', { id, pin: '0000' });
		expect(error?.message).toMatch(/HTTP 503/);
		expect(error?.description).toMatch(/may have done the work/);
		expect(await received('/validation/verify')).toHaveLength(1);
		expect((await sandbox.control.validation(id)).attempts).toBe(1);
	});
});

describe('Validation → Get Status', () => {
	test('GETs /validation/status/{id} without a body and outputs the status with the id', async () => {
		const id = await createValidation('ivr');
		const { items, error } = await run('getStatus', { id });
		expect(error).toBeUndefined();
		const [request] = await received('/validation/status/*');
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/v1/validation/status/${id}`);
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers).not.toHaveProperty('content-type');
		expect(request.rawBody).toBe('');
		expect(items).toEqual([
			{
				json: { id, number: '+40745123456', validated: false, validation_date: null, charged_amount: expect.any(Number) },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('several items with expressions; an unknown ID under Continue On Fail gives an error item (code 3, HTTP 404)', async () => {
		const first = await createValidation('sms', '+40745000001');
		const second = await createValidation('reverse_cli', '+40745000002');
		await sandbox.control.verifyAsUser(second);
		const unknown = 'SMS-00000000-0000-4000-8000-000000000000';
		const { items, error } = await run('getStatus', { id: '={{ $json.ref }}' }, [{ ref: first }, { ref: unknown }, { ref: second }], true);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ id: first, number: '+40745000001', validated: false });
		expect(items[1].json).toEqual({
			error: 'CheckMobi error 3: Invalid Request ID. [item 1]',
			description: expect.stringMatching(/^Field: ID\. Use the "id" returned/),
			code: 3,
			httpStatus: 404, failedAt: 'request',
		});
		expect(items[2].json).toMatchObject({ id: second, number: '+40745000002', validated: true, validation_date: expect.any(Number) });
	});

	test('a status read is retried after a passing fault', async () => {
		const id = await createValidation('sms');
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/validation/status/*', count: 1 });
		const { items, error } = await run('getStatus', { id });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id, validated: false });
		expect((await received('/validation/status/*')).map((request) => request.status)).toEqual([503, 200]);
	});
});

describe('Validation → Get Remote Config', () => {
	test('sends number, platform and language, outputs the profile with the Android app hash', async () => {
		await sandbox.reset({ androidAppHash: 'FA+9qCX9VSu', smsTemplates: { it: 'Il tuo codice è %code%' } });
		const { items, error } = await run('getRemoteConfig', { number: '+40745123456', platform: 'android', options: { language: 'IT' } });
		expect(error).toBeUndefined();
		const [request] = await received('/validation/remote-config');
		expect(request.method).toBe('POST');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(request.json).toEqual({ number: '+40745123456', platform: 'android', language: 'it' });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					settings: [
						{ type: 'reverse_cli', max_attempts: 1, delay: 20 },
						{ type: 'sms', max_attempts: 2, delay: 60, sms_template: 'Il tuo codice è %code%', android_app_hash: 'FA+9qCX9VSu' },
						{ type: 'ivr', max_attempts: 1, delay: 60 },
					],
					country_iso_code: 'RO',
					e164_format: '+40745123456',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	test('the platform defaults to web; per-item numbers; bad input stops before any request', async () => {
		const { items, error } = await run('getRemoteConfig', { number: '={{ $json.phone }}' }, [{ phone: '+40745000001' }, { phone: '+40745999931' }]);
		expect(error).toBeUndefined();
		expect((await received('/validation/remote-config')).map((request) => request.json)).toEqual([
			{ number: '+40745000001', platform: 'web' },
			{ number: '+40745999931', platform: 'web' },
		]);
		// A number that cannot get a missed call has no reverse_cli step.
		expect(items.map((item) => (item.json.settings as IDataObject[]).map((step) => step.type))).toEqual([
			['reverse_cli', 'sms', 'ivr'],
			['sms', 'ivr'],
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		await sandbox.reset();
		const bad = await run('getRemoteConfig', { number: '+40745123456', platform: 'android', options: { language: 'italian' } });
		expect(bad.error?.message).toMatch(/Invalid value in "Language"/);
		expect(await received()).toEqual([]);
	});

	test('a pure read: retried after a lost answer', async () => {
		await sandbox.control.addFault({ type: 'reset', method: 'POST', path: '/validation/remote-config', when: 'after', count: 1 });
		const { items, error } = await run('getRemoteConfig', { number: '+40745123456', platform: 'ios' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ e164_format: '+40745123456' });
		expect(await received('/validation/remote-config')).toHaveLength(2);
	});
});

describe('what the editor shows', () => {
	const nodeDescription = new CheckMobi().description;
	const { properties } = nodeDescription;

	/** Names of the top-level fields and of the Options entries the editor offers for these values. */
	function shown(parameters: INodeParameters): { fields: string[]; options: Array<[string, string]> } {
		const values: INodeParameters = { resource: 'validation', ...parameters };
		const visible = (property: INodeProperties, path = '') =>
			NodeHelpers.displayParameterPath(values, property, path, null, nodeDescription);
		const fields = properties.filter((property) => visible(property));
		const options = fields
			.filter((property) => property.name === 'options')
			.flatMap((property) => (property.options as INodeProperties[]).filter((option) => visible(option, 'options')))
			.map((option): [string, string] => [option.name, option.type]);
		return { fields: fields.map((property) => property.name).filter((name) => name !== 'resource'), options };
	}

	test('Request shows the options that fit the chosen type', () => {
		expect(shown({ operation: 'request', type: 'sms', options: {} })).toEqual({
			fields: ['operation', 'type', 'number', 'options'],
			options: [
				['androidAppHash', 'string'],
				['clientIp', 'string'],
				['concurrency', 'number'],
				['defaultCountry', 'options'],
				['language', 'string'],
				['notificationCallback', 'string'],
				['platform', 'options'],
				['timeout', 'number'],
			],
		});
		expect(shown({ operation: 'request', type: 'ivr', options: {} }).options).toEqual([
			['clientIp', 'string'],
			['concurrency', 'number'],
			['defaultCountry', 'options'],
			['language', 'options'],
			['notificationCallback', 'string'],
			['platform', 'options'],
			['timeout', 'number'],
		]);
		const missedCall = shown({ operation: 'request', type: 'reverse_cli', options: {} });
		expect(missedCall.fields).toEqual(['operation', 'type', 'number', 'missedCallNotice', 'options']);
		expect(missedCall.options.map(([name]) => name)).toEqual(['clientIp', 'concurrency', 'defaultCountry', 'notificationCallback', 'platform', 'timeout']);
	});

	test('Verify shows the hang-up notice only with Use Server Hang-Up on', () => {
		expect(shown({ operation: 'verify', useServerHangup: false, options: {} }).fields).toEqual(['operation', 'id', 'pin', 'useServerHangup', 'options']);
		expect(shown({ operation: 'verify', useServerHangup: true, options: {} }).fields).toEqual([
			'operation',
			'id',
			'pin',
			'useServerHangup',
			'serverHangupNotice',
			'options',
		]);
	});

	test('Get Status and Get Remote Config show only their own fields', () => {
		expect(shown({ operation: 'getStatus', options: {} })).toEqual({ fields: ['operation', 'id', 'options'], options: [['concurrency', 'number'], ['timeout', 'number']] });
		expect(shown({ operation: 'getRemoteConfig', options: {} })).toEqual({
			fields: ['operation', 'number', 'platform', 'options'],
			options: [['concurrency', 'number'], ['defaultCountry', 'options'], ['language', 'string'], ['timeout', 'number']],
		});
	});
});
