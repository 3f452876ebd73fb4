/**
 * Call → Place, Get and Hang Up, run by n8n's own engine against the CheckMobi sandbox: what the
 * sandbox received (method, path, headers, exact body with the events) and what the node output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runCheckMobi } from '../helpers/checkMobi';
import { useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sandbox = useSandbox();

const run = (operation: 'place' | 'get' | 'hangUp', parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) =>
	runCheckMobi(sandbox, { resource: 'call', operation, ...parameters }, input, continueOnFail);

const received = (path?: string) => sandbox.received(path);

/** The fixedCollection value n8n stores for the action fields. */
const actions = (...event: IDataObject[]) => ({ event }) as unknown as INodeParameters;

async function placeCallTo(to: string): Promise<string> {
	const answer = await sandbox.api.post('/call', { to, events: [{ action: 'speak', text: 'Hello', loop: 0 }] });
	expect(answer.status).toBe(200);
	return (answer.json as IDataObject).id as string;
}

describe('Call → Place', () => {
	test('action fields: every action in the order given, every option, in the API\'s fields', async () => {
		const { items, error } = await run('place', {
			to: '+40 745 123 456',
			eventsMode: 'fields',
			events: actions(
				{ type: 'speak', text: 'Bună ziua', loop: 2, voice: 'WOMAN', language: 'en-GB' },
				{ type: 'wait', length: 2 },
				{ type: 'send_dtmf', digits: '1w2W#', async: false },
				{ type: 'play', url: 'https://example.com/menu.mp3', loop: 1 },
				{ type: 'hangup', reason: 'busy', schedule: 20 },
				{ type: 'speak', text: 'Goodbye', voice: 'MAN', language: 'de-DE' },
			),
			options: {
				from: '+1 202 555 0199',
				ringTimeout: 45,
				notificationCallback: 'http://127.0.0.1:9/call-status',
				platform: 'ios',
				clientIp: '2001:db8::7',
			},
		});
		expect(error).toBeUndefined();

		const [request, ...others] = await received('/call');
		expect(others).toEqual([]);
		expect(request.method).toBe('POST');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers['x-client-ip']).toBe('2001:db8::7');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({
			from: '+12025550199',
			to: '+40745123456',
			ring_timeout: 45,
			notification_callback: 'http://127.0.0.1:9/call-status',
			platform: 'ios',
			events: [
				{ action: 'speak', text: 'Bună ziua', loop: 2, voice: 'WOMAN', language: 'en-GB' },
				{ action: 'wait', length: 2 },
				{ action: 'send_dtmf', digits: '1w2W#', async: false },
				{ action: 'play', url: 'https://example.com/menu.mp3', loop: 1 },
				{ action: 'hangup', reason: 'busy', schedule: 20 },
				{ action: 'speak', text: 'Goodbye', loop: 1, voice: 'MAN', language: 'de-DE' },
			],
		});
		expect(request.status).toBe(200);

		expect(items).toEqual([
			{
				json: {
					id: expect.stringMatching(/^CAL-[0-9A-F-]{36}$/),
					number_info: expect.objectContaining({ e164_format: '+40745123456', country_iso_code: 'RO' }),
				},
				pairedItem: { item: 0 },
			},
		]);
		const call = await sandbox.control.call(items[0].json.id as string);
		expect(call).toMatchObject({ from: '+12025550199', ringTimeout: 45, platform: 'ios', clientIp: '2001:db8::7' });
		expect(call.events.map((event) => event.action)).toEqual(['speak', 'wait', 'send_dtmf', 'play', 'hangup', 'speak']);
	});

	test('JSON: the actions are sent exactly as written, and no option is sent that was not set', async () => {
		const eventsJson = '[{"action":"speak","text":"Your code is 1 2 3 4","language":"it-IT"},{"action":"wait"},{"action":"hangup"}]';
		const { items, error } = await run('place', { to: '+40745123456', eventsMode: 'json', eventsJson });
		expect(error).toBeUndefined();
		const [request] = await received('/call');
		expect(request.rawBody).toBe(`{"to":"+40745123456","events":${eventsJson}}`);
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(items[0].json.id).toMatch(/^CAL-/);
	});

	test('what the reference allows is sent, with a hint of what CheckMobi does: a MAN voice in Danish, a scheduled hang-up last', async () => {
		const eventsJson = '[{"action":"speak","text":"Hej","voice":"MAN","language":"da-DK"},{"action":"hangup","schedule":5}]';
		const { items, error, run: execution } = await run('place', { to: '=+4074512345{{ $itemIndex }}', eventsMode: 'json', eventsJson }, [{}, {}]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect((await received('/call')).map((request) => request.rawBody)).toEqual([0, 1].map((n) => `{"to":"+4074512345${n}","events":${eventsJson}}`));
		// The sandbox speaks Danish with the only voice it has, as the node's hint says.
		expect((await sandbox.control.call(items[0].json.id as string)).events[0]).toMatchObject({ voice: 'WOMAN', language: 'da-DK' });
		// One hint per kind for the run, not one per item.
		expect(execution.data.resultData.runData.CheckMobi[0].hints?.map((hint) => hint.message)).toEqual([
			expect.stringMatching(/^Call action 1 \(Speak\): Danish has only the WOMAN voice, so CheckMobi speaks it with that voice .*\[item 0\]$/),
			expect.stringMatching(/^Call action 2 \(Hang Up\): a scheduled hang-up with no action after it ends the call at once.*\[item 0\]$/),
		]);
	});

	test('JSON from an expression, per item: each item places its own call, output in input order and paired', async () => {
		const input = [
			{ phone: '+40745000001', say: 'Hello Ana' },
			{ phone: '+447700900123', say: 'Hello Bob' },
			{ phone: '+14155550123', say: 'Hello Cy' },
		];
		const { items, error } = await run(
			'place',
			{
				to: '={{ $json.phone }}',
				eventsMode: 'json',
				eventsJson: '={{ [{ action: "speak", text: $json.say }, { action: "hangup" }] }}',
			},
			input,
		);
		expect(error).toBeUndefined();
		expect((await received('/call')).map((request) => request.json)).toEqual(
			input.map(({ phone, say }) => ({ to: phone, events: [{ action: 'speak', text: say }, { action: 'hangup' }] })),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const to = await Promise.all(items.map(async (item) => (await sandbox.control.call(item.json.id as string)).to));
		expect(to).toEqual(['+40745000001', '+447700900123', '+14155550123']);
	});

	test('action fields with expressions: the text and digits come from each item', async () => {
		const { error } = await run(
			'place',
			{
				to: '+40745123456',
				events: actions({ type: 'send_dtmf', digits: '={{ $json.extension }}#' }, { type: 'speak', text: '=Order {{ $json.order }}' }),
			},
			[{ extension: '12', order: 'A-1' }, { extension: '34', order: 'B-2' }],
		);
		expect(error).toBeUndefined();
		expect((await received('/call')).map((request) => (request.json as IDataObject).events)).toEqual([
			[
				{ action: 'send_dtmf', digits: '12#', async: true },
				{ action: 'speak', text: 'Order A-1', loop: 1, voice: 'WOMAN', language: 'en-US' },
			],
			[
				{ action: 'send_dtmf', digits: '34#', async: true },
				{ action: 'speak', text: 'Order B-2', loop: 1, voice: 'WOMAN', language: 'en-US' },
			],
		]);
	});

	describe('bad actions stop the run before any request, with the same message in both modes', () => {
		test.each([
			[
				'digits with a letter in action 3',
				[{ type: 'speak', text: 'Hi' }, { type: 'wait', length: 1 }, { type: 'send_dtmf', digits: '12a' }],
				'Call action 3 (Send DTMF): Digits may hold only 0-9, *, #, w and W, not "12a"',
				/w for a half-second pause/,
			],
			['no actions', [], 'The call has no actions', /at least one action/],
			['a Play without http', [{ type: 'play', url: 'menu.mp3' }], 'Call action 1 (Play): URL "menu.mp3" is not a web address', /https/],
			['a wait of 0 seconds', [{ type: 'speak', text: 'x' }, { type: 'wait', length: 0 }], 'Call action 2 (Wait): Length must be a whole number of seconds greater than 0, not 0', /1 or more/],
		])('%s', async (_name, fields, problem, fix) => {
			// The same actions written as JSON: the API's "action" instead of the node's "type".
			const json = (fields as IDataObject[]).map(({ type, ...attributes }) => ({ action: type, ...attributes }));
			const byFields = await run('place', { to: '={{ $json.to }}', events: actions(...(fields as IDataObject[])) }, [{ to: '+40745123456' }, { to: '+40745123457' }]);
			const byJson = await run('place', { to: '+40745123456', eventsMode: 'json', eventsJson: JSON.stringify(json) });
			expect(byFields.error?.message).toBe(`Invalid value in "Actions": ${problem} [item 0]`);
			expect(byJson.error?.message).toBe(`Invalid value in "Actions (JSON)": ${problem} [item 0]`);
			expect(byFields.error?.description).toMatch(fix);
			expect(byJson.error?.description).toBe(byFields.error?.description);
			expect(await received()).toEqual([]);
		});

		test('an empty Speak: Text is required (n8n reports a literal empty one); one that comes out empty stops the run in both modes', async () => {
			await expect(run('place', { to: '+40745123456', events: actions({ type: 'speak', text: '' }) })).rejects.toThrow(/Parameter "Text" is required/);
			const byFields = await run('place', { to: '+40745123456', events: actions({ type: 'speak', text: '={{ $json.text }}' }) }, [{ text: '' }]);
			const byJson = await run('place', { to: '+40745123456', eventsMode: 'json', eventsJson: '[{"action": "speak", "text": ""}]' });
			expect(byFields.error?.message).toBe('Invalid value in "Actions": Call action 1 (Speak): Text is empty [item 0]');
			expect(byJson.error?.message).toBe('Invalid value in "Actions (JSON)": Call action 1 (Speak): Text is empty [item 0]');
			expect(byFields.error?.description).toMatch(/callee should hear/);
			expect(byJson.error?.description).toBe(byFields.error?.description);
			expect(await received()).toEqual([]);
		});

		test.each([
			['not JSON', '[{"action": "speak", "text": "Hi"', /^Invalid value in "Actions \(JSON\)": The call actions are not valid JSON/],
			['an unknown action', '[{"action": "record"}]', /^Invalid value in "Actions \(JSON\)": Call action 1: "record" is not a call action \[item 0\]$/],
			['an attribute of another action', '[{"action": "wait", "length": 1, "text": "Hi"}]', /Call action 1 \(Wait\): "text" is not an attribute of Wait/],
			['loop as text', '[{"action": "speak", "text": "Hi", "loop": "2"}]', /Loop must be a whole number, 0 or more, not "2"/],
		])('JSON only: %s', async (_name, eventsJson, message) => {
			const { error } = await run('place', { to: '+40745123456', eventsMode: 'json', eventsJson });
			expect(error?.message).toMatch(message);
			expect(await received()).toEqual([]);
		});

		test('a bad action in item 2 stops items 0 and 1 too', async () => {
			const { items, error } = await run(
				'place',
				{ to: '+40745123456', eventsMode: 'json', eventsJson: '={{ [{ action: "send_dtmf", digits: $json.digits }] }}' },
				[{ digits: '1' }, { digits: '2' }, { digits: '3-4' }],
			);
			expect(error?.message).toBe('Invalid value in "Actions (JSON)": Call action 1 (Send DTMF): Digits may hold only 0-9, *, #, w and W, not "3-4" [item 2]');
			expect(items).toEqual([]);
			expect(await received()).toEqual([]);
		});
	});

	test.each([
		['ring timeout 0', { ringTimeout: '={{ 0 }}' }, /^Invalid value in "Ring Timeout": 0 \[item 0\]$/, /from 1 to 120.*10 or more/],
		['ring timeout 121', { ringTimeout: '={{ 121 }}' }, /^Invalid value in "Ring Timeout": 121/, /from 1 to 120/],
		['ring timeout 2.5', { ringTimeout: '={{ 2.5 }}' }, /^Invalid value in "Ring Timeout": 2.5/, /whole number/],
		['a caller ID that is not a number', { from: 'CheckMobi' }, /^Invalid phone number in "From": "CheckMobi" \[item 0\]$/, /E.164/],
		['a client IP that is not one', { clientIp: 'localhost' }, /^Invalid value in "Client IP": "localhost"/, /IPv4 or IPv6/],
		['a callback that is not http', { notificationCallback: 'ftp://example.com/x' }, /^Invalid value in "Notification Callback"/, /Production URL/],
	])('%s fails before any request', async (_name, options, message, fix) => {
		const { error } = await run('place', { to: '+40745123456', events: actions({ type: 'speak', text: 'Hi' }), options });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(await received()).toEqual([]);
	});

	test('Continue On Fail: bad actions and a refused destination become error items in place', async () => {
		const { items, error } = await run(
			'place',
			{ to: '={{ $json.to }}', eventsMode: 'json', eventsJson: '={{ $json.events }}' },
			[
				{ to: '+40745123456', events: '[{"action":"speak","text":"Hi"}]' },
				{ to: '+40745123456', events: '[{"action":"wait","length":-1}]' },
				{ to: '+40745999930', events: '[{"action":"speak","text":"Hi"}]' },
			],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.id).toMatch(/^CAL-/);
		expect(items[1].json).toEqual({
			error: 'Invalid value in "Actions (JSON)": Call action 1 (Wait): Length must be a whole number of seconds greater than 0, not -1 [item 1]',
			description: 'Set how many seconds to wait silently: 1 or more.',
			code: null,
			httpStatus: null, failedAt: 'input',
		});
		expect(items[2].json).toMatchObject({ code: 13, httpStatus: 400, failedAt: 'request' });
		expect((await received('/call')).map((request) => (request.json as IDataObject).to)).toEqual(['+40745123456', '+40745999930']);
	});

	test('a call is placed exactly once when the answer is lost after CheckMobi placed it', async () => {
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'POST', path: '/call', when: 'after', count: 1 });
		const { error } = await run('place', { to: '+40745123456', events: actions({ type: 'speak', text: 'Once' }) });
		expect(error?.message).toMatch(/^CheckMobi failed with HTTP 503/);
		expect(error?.description).toMatch(/may have done the work.*not repeated/);
		expect((await sandbox.control.stats()).creates.calls).toBe(1);
		expect(await received('/call')).toHaveLength(1);
	});
});

describe('Call → Get', () => {
	test('outputs the call detail record with its ID, with the billing once the call ended', async () => {
		const id = await placeCallTo('+40745123456');
		const ringing = await run('get', { id });
		expect(ringing.items[0].json).toEqual({ id, request_date: expect.any(Number), to: '+40745123456', description: expect.stringMatching(/^RO - /) });

		await sandbox.control.answerCall(id);
		await sandbox.control.hangupCall(id);
		const { items } = await run('get', { id: '={{ $json.callId }}' }, [{ callId: id }]);
		expect(items).toEqual([
			{
				json: {
					id,
					request_date: expect.any(Number),
					to: '+40745123456',
					description: expect.stringMatching(/^RO - /),
					duration_billed: 60,
					charged_amount: 0.02,
					charged_rate: 0.02,
				},
				pairedItem: { item: 0 },
			},
		]);
		const gets = await received(`/call/${id}`);
		expect(gets.map((request) => [request.method, request.rawBody, request.headers.authorization])).toEqual([
			['GET', '', LOGGED_SECRET_KEY],
			['GET', '', LOGGED_SECRET_KEY],
		]);
	});

	test('an ID with a slash fails before any request', async () => {
		const { error } = await run('get', { id: 'CAL-1/../../my-account' });
		expect(error?.message).toBe('Invalid value in "Call ID": "CAL-1/../../my-account" [item 0]');
		expect(await received()).toEqual([]);
	});
});

describe('Call → Hang Up', () => {
	test('sends DELETE and, as CheckMobi answers 204 with no body, outputs what happened', async () => {
		const id = await placeCallTo('+40745123456');
		const { items, error } = await run('hangUp', { id });
		expect(error).toBeUndefined();
		const [request] = await received(`/call/${id}`);
		expect(request).toMatchObject({ method: 'DELETE', rawBody: '', status: 204 });
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(items).toEqual([{ json: { id, hungUp: true }, pairedItem: { item: 0 } }]);
		expect(await sandbox.control.call(id)).toMatchObject({ status: 'ended', endReason: 'api' });
	});

	test('hangs up an IVR validation call by the validation\'s ID', async () => {
		await sandbox.reset({ callAutoAnswer: false });
		const validation = await sandbox.api.post('/validation/request', { number: '+40745123456', type: 'ivr' });
		const id = (validation.json as IDataObject).id as string;
		const { items } = await run('hangUp', { id });
		expect(items[0].json).toEqual({ id, hungUp: true });
		expect(await sandbox.control.call(id)).toMatchObject({ kind: 'ivr', status: 'ended', endReason: 'api' });
	});

	test('several calls, each paired; an unknown one is an error item under Continue On Fail', async () => {
		const first = await placeCallTo('+40745000001');
		const second = await placeCallTo('+40745000002');
		const unknown = 'CAL-00000000-0000-4000-8000-000000000000';
		const { items } = await run('hangUp', { id: '={{ $json.id }}' }, [{ id: first }, { id: unknown }, { id: second }], true);
		expect(items).toEqual([
			{ json: { id: first, hungUp: true }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ code: 3, httpStatus: 404, failedAt: 'request' }), pairedItem: { item: 1 } },
			{ json: { id: second, hungUp: true }, pairedItem: { item: 2 } },
		]);
	});

	test('a hang-up is safe to repeat, so a server failure before it is retried', async () => {
		const id = await placeCallTo('+40745123456');
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'DELETE', path: '/call/{id}', when: 'before', count: 1 });
		const { items, error } = await run('hangUp', { id });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ id, hungUp: true });
		expect((await received(`/call/${id}`)).map((request) => request.status)).toEqual([500, 204]);
	});
});
