/**
 * SMS → Send and SMS → Get, run by n8n's own engine against the CheckMobi sandbox: what the
 * sandbox received (method, path, headers, exact body) and what the node output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { smsSegments } from '../../nodes/CheckMobi/helpers/smsSegments';
import { runCheckMobi } from '../helpers/checkMobi';
import { useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sandbox = useSandbox();

const run = (operation: 'send' | 'get', parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) =>
	runCheckMobi(sandbox, { resource: 'sms', operation, ...parameters }, input, continueOnFail);

const received = (path?: string) => sandbox.received(path);

describe('SMS → Send', () => {
	test('sends every option in the API\'s fields and outputs the answer with the text\'s parts', async () => {
		const text = 'Your code is 1234. Reply STOP to opt out.';
		const { items, error } = await run('send', {
			to: '+40 745-123 456',
			text,
			options: {
				from: 'CHKMOB',
				isTransactional: false,
				notificationCallback: 'http://127.0.0.1:9/delivery-reports',
				platform: 'android',
				clientIp: '203.0.113.7',
				addSmsParts: true,
			},
		});
		expect(error).toBeUndefined();

		const sends = await received('/sms/send');
		expect(sends).toHaveLength(1);
		const [request] = sends;
		expect(request.method).toBe('POST');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers['x-client-ip']).toBe('203.0.113.7');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({
			from: 'CHKMOB',
			to: '+40745123456',
			text,
			is_transactional: false,
			notification_callback: 'http://127.0.0.1:9/delivery-reports',
			platform: 'android',
		});
		expect(request.status).toBe(200);

		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const output = items[0].json;
		expect(output).toEqual({
			id: expect.stringMatching(/^MSG-[0-9A-F-]{36}$/),
			number_info: expect.objectContaining({ e164_format: '+40745123456', country_iso_code: 'RO' }),
			// The node's own estimate, named so that it is not taken for CheckMobi's billed units.
			estimated_encoding: 'GSM-7',
			estimated_units: 1,
		});
		expect(output).not.toHaveProperty('units');
		expect(output).not.toHaveProperty('encoding');

		const message = await sandbox.control.sms(output.id as string);
		expect(message).toMatchObject({ from: 'CHKMOB', isTransactional: false, platform: 'android', clientIp: '203.0.113.7', units: 1 });
	});

	test('with only To and Text, the body holds only them and no X-Client-IP is sent', async () => {
		const { items, error } = await run('send', { to: '+40745123456', text: 'Hello' });
		expect(error).toBeUndefined();
		const [request] = await received('/sms/send');
		expect(request.json).toEqual({ to: '+40745123456', text: 'Hello' });
		expect(request.rawBody).toBe('{"to":"+40745123456","text":"Hello"}');
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(Object.keys(items[0].json).sort()).toEqual(['id', 'number_info']);
		expect((await sandbox.control.sms(items[0].json.id as string)).isTransactional).toBe(true);
	});

	test('the parts the node estimates are the units CheckMobi charges', async () => {
		const texts = ['x'.repeat(160), 'x'.repeat(161), `${'x'.repeat(152)}€${'x'.repeat(152)}`, 'Ж'.repeat(71), '😀'.repeat(36), 'Salut 👋 {ok}'];
		const { items, error } = await run(
			'send',
			{ to: '+40745123456', text: '={{ $json.text }}', options: { addSmsParts: true } },
			texts.map((text) => ({ text })),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.estimated_units)).toEqual([1, 2, 3, 2, 2, 1]);
		for (const [index, item] of items.entries()) {
			const message = await sandbox.control.sms(item.json.id as string);
			expect(message.text).toBe(texts[index]);
			expect({ encoding: item.json.estimated_encoding, units: item.json.estimated_units }).toEqual({ encoding: message.encoding, units: message.units });
			expect(item.json.estimated_units).toBe(smsSegments(texts[index]).parts);
		}
	});

	test('expressions per item: each item sends its own SMS, output in input order and paired', async () => {
		const input = [
			{ phone: '+40745000001', name: 'Ana' },
			{ phone: '0040 745 000 002', name: 'Bogdan' },
			{ phone: '+447700900123', name: 'Carol' },
		];
		const { items, error } = await run(
			'send',
			{ to: '={{ $json.phone }}', text: '=Hi {{ $json.name }}, your order shipped.', options: { from: '={{ $json.name.toUpperCase() }}' } },
			input,
		);
		expect(error).toBeUndefined();
		const sends = await received('/sms/send');
		expect(sends.map((request) => request.json)).toEqual([
			{ from: 'ANA', to: '+40745000001', text: 'Hi Ana, your order shipped.' },
			{ from: 'BOGDAN', to: '+40745000002', text: 'Hi Bogdan, your order shipped.' },
			{ from: 'CAROL', to: '+447700900123', text: 'Hi Carol, your order shipped.' },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const to = await Promise.all(items.map(async (item) => (await sandbox.control.sms(item.json.id as string)).to));
		expect(to).toEqual(['+40745000001', '+40745000002', '+447700900123']);
	});

	/** A parameter value that is `good` for item 0 and `bad` for item 1. */
	const onlyItem1 = (good: unknown, bad: unknown) => `={{ $itemIndex === 1 ? ${JSON.stringify(bad)} : ${JSON.stringify(good)} }}`;
	const goodValues: Record<string, string | boolean> = {
		to: '+40745123456',
		text: 'Hello',
		from: 'SHOP',
		notificationCallback: 'http://127.0.0.1:9/reports',
		clientIp: '203.0.113.7',
		platform: 'web',
		isTransactional: true,
	};
	/** Every field set, each good, except `field`, which is `bad` in item 1. */
	function parametersWith(field?: string, bad?: unknown): INodeParameters {
		const value = (name: string) => (name === field ? onlyItem1(goodValues[name], bad) : goodValues[name]);
		return {
			to: value('to'),
			text: value('text'),
			options: Object.fromEntries(
				['from', 'notificationCallback', 'clientIp', 'platform', 'isTransactional'].map((name) => [name, value(name)]),
			) as INodeParameters,
		};
	}

	test('(the baseline of the next tests: with every field good, both items are sent)', async () => {
		const { items, error } = await run('send', parametersWith(), [{}, {}]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(await received('/sms/send')).toHaveLength(2);
	});

	test.each([
		['an invalid number', 'to', 'call me', /^Invalid phone number in "To": "call me" \[item 1\]$/],
		['an empty text', 'text', '  ', /^Invalid value in "Text": "  " \[item 1\]$/],
		['a callback that is not a URL', 'notificationCallback', 'my-trigger', /^Invalid value in "Notification Callback": "my-trigger" \[item 1\]$/],
		['a callback over 255 characters', 'notificationCallback', `https://n8n.example.com/webhook/${'a'.repeat(240)}`, /^Invalid value in "Notification Callback"/],
		['a client IP that is not one', 'clientIp', '203.0.113', /^Invalid value in "Client IP": "203.0.113" \[item 1\]$/],
		['a list of client IPs', 'clientIp', '203.0.113.7, 10.0.0.1', /^Invalid value in "Client IP"/],
		['an unknown platform', 'platform', 'windows', /^Invalid value in "Platform": "windows" \[item 1\]$/],
		['a transactional flag that is not a boolean', 'isTransactional', 'maybe', /^Invalid value in "Transactional": "maybe" \[item 1\]$/],
	])('%s in item 1 stops the run before any request', async (_name, field, bad, message) => {
		const { items, error } = await run('send', parametersWith(field, bad), [{}, {}]);
		expect(error?.message).toMatch(message);
		expect(error?.description).toEqual(expect.any(String));
		expect(items).toEqual([]);
		expect(await received()).toEqual([]);
	});

	test('a sender is sent as given (trimmed); one that networks may replace gets one hint for the run, not an error', async () => {
		const senders = ['CHKMOB', ' CheckMobi Shop ', 'Café', '+40 745 000 000', '+1234567890123456'];
		const { items, error, run: execution } = await run(
			'send',
			{ to: '+40745123456', text: 'Hello', options: { from: '={{ $json.from }}' } },
			senders.map((from) => ({ from })),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(senders.length);
		const sent = (await received('/sms/send')).map((request) => (request.json as IDataObject).from);
		expect(sent).toEqual(senders.map((from) => from.trim()));
		const hints = execution.data.resultData.runData.CheckMobi[0].hints;
		expect(hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(/^The sender "CheckMobi Shop" of item 1 has 14 characters, more than the 11 a handset shows of a name.*It is sent as given\.$/),
			}),
		]);
	});

	test('an ordinary sender gets no hint', async () => {
		const { error, run: execution } = await run('send', { to: '+40745123456', text: 'Hello', options: { from: 'SHOP' } });
		expect(error).toBeUndefined();
		expect(execution.data.resultData.runData.CheckMobi[0].hints).toEqual([]);
	});

	test('Continue On Fail: a bad item and a refused one become error items in place; the good ones are sent', async () => {
		const { items, error } = await run(
			'send',
			{ to: '={{ $json.to }}', text: 'Hello' },
			[{ to: '+40745123456' }, { to: 'nope' }, { to: '+40745999930' }, { to: '+447700900123' }],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.id).toMatch(/^MSG-/);
		expect(items[1].json).toEqual({
			error: 'Invalid phone number in "To": "nope" [item 1]',
			description: expect.stringContaining('E.164'),
			code: null,
			httpStatus: null, failedAt: 'input',
		});
		expect(items[2].json).toEqual({
			error: expect.stringMatching(/^CheckMobi error 13: /),
			description: expect.stringContaining('application settings'),
			code: 13,
			httpStatus: 400, failedAt: 'request',
		});
		expect(items[3].json.id).toMatch(/^MSG-/);
		// The bad item was never sent; the blocked one was, and refused.
		expect((await received('/sms/send')).map((request) => (request.json as IDataObject).to)).toEqual([
			'+40745123456',
			'+40745999930',
			'+447700900123',
		]);
	});

	describe('an SMS is sent exactly once, even when the answer is lost after CheckMobi sent it', () => {
		test.each([
			['HTTP 500', { type: 'status' as const, status: 500 }, /CheckMobi failed with HTTP 500/],
			['a connection reset', { type: 'reset' as const }, /The connection to CheckMobi broke/],
			['no answer', { type: 'timeout' as const }, /No answer from CheckMobi within 1 s/],
		])('%s', async (_name, fault, message) => {
			await sandbox.control.addFault({ ...fault, method: 'POST', path: '/sms/send', when: 'after', count: 1 });
			const { items, error } = await run('send', { to: '+40745123456', text: 'Only once', options: { timeout: 1000 } });
			expect(items).toEqual([]);
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/may have done the work|may have received the request/);
			expect(error?.description).toMatch(/not repeated/);
			expect(`${error?.message} ${error?.description}`).not.toContain(sandbox.secretKey);

			const stats = await sandbox.control.stats();
			expect(stats.creates.sms).toBe(1);
			expect(await received('/sms/send')).toHaveLength(1);
			expect(await sandbox.control.smsTo('+40745123456')).toHaveLength(1);
		});

		test('with Continue On Fail the lost answer is an error item and the next item still goes out once', async () => {
			await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', when: 'after', count: 1 });
			const { items, error } = await run(
				'send',
				{ to: '={{ $json.to }}', text: 'Only once' },
				[{ to: '+40745000001' }, { to: '+40745000002' }],
				true,
			);
			expect(error).toBeUndefined();
			expect(items[0]).toEqual({
				json: { error: expect.stringMatching(/HTTP 500/), description: expect.stringMatching(/not repeated/), code: null, httpStatus: 500, failedAt: 'request' },
				pairedItem: { item: 0 },
			});
			expect(items[1].json.id).toMatch(/^MSG-/);
			expect((await sandbox.control.stats()).creates.sms).toBe(2);
			expect(await received('/sms/send')).toHaveLength(2);
		});
	});
});

describe('SMS → Get', () => {
	test('outputs the message detail record with its ID', async () => {
		const sent = await sandbox.api.post('/sms/send', { to: '+40745123456', text: 'x'.repeat(200) });
		const id = (sent.json as IDataObject).id as string;
		await sandbox.control.advance();

		const { items, error } = await run('get', { id: `  ${id} ` });
		expect(error).toBeUndefined();
		const [request] = await received(`/sms/${id}`);
		expect(request.method).toBe('GET');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.rawBody).toBe('');
		expect(items).toEqual([
			{
				json: {
					id,
					request_date: expect.any(Number),
					to: '+40745123456',
					description: expect.stringMatching(/^RO - /),
					status: 'delivered',
					charged_amount: 0.1,
					charged_rate: 0.05,
					units: 2,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('reads each item\'s message, including a failed one', async () => {
		const ids: string[] = [];
		for (const to of ['+40745123456', '+40745999910']) {
			ids.push(((await sandbox.api.post('/sms/send', { to, text: 'Hi' })).json as IDataObject).id as string);
		}
		await sandbox.control.advance();
		const { items } = await run('get', { id: '={{ $json.smsId }}' }, ids.map((smsId) => ({ smsId })));
		expect(items.map((item) => [item.json.id, item.json.status, item.pairedItem])).toEqual([
			[ids[0], 'delivered', { item: 0 }],
			[ids[1], 'failed', { item: 1 }],
		]);
	});

	test('an unknown ID is CheckMobi\'s 404, an error item under Continue On Fail', async () => {
		const id = 'MSG-00000000-0000-4000-8000-000000000000';
		const { items } = await run('get', { id }, [{}], true);
		expect(items).toEqual([
			{
				json: { error: expect.stringMatching(/^CheckMobi error 3: /), description: expect.any(String), code: 3, httpStatus: 404, failedAt: 'request' },
				pairedItem: { item: 0 },
			},
		]);
		// A read is retried only for faults that may pass: a 404 is asked once.
		expect(await received(`/sms/${id}`)).toHaveLength(1);
	});

	test.each([
		['empty', ''],
		['a pasted URL', 'https://api.checkmobi.com/v1/sms/MSG-1'],
		['with spaces inside', 'MSG 1234'],
	])('an ID that is %s fails before any request', async (_name, id) => {
		const { error } = await run('get', { id: '={{ $json.id }}' }, [{ id }]);
		expect(error?.message).toBe(`Invalid value in "SMS ID": ${JSON.stringify(id)} [item 0]`);
		expect(error?.description).toMatch(/SMS → Send/);
		expect(await received()).toEqual([]);
	});
});
