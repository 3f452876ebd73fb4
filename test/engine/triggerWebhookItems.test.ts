/**
 * The trigger's real webhook() inside n8n-core's WebhookContext, fed by real HTTP requests
 * (test/helpers/webhook.ts plays n8n's webhook server: raw body, static-data saving, answers):
 * the items an accepted callback gives, after the event and status filters, for bulk lookup batches
 * and with the ready-made fields. Repeats, refusals and registration are in triggerWebhook.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectedDeliveryId } from '../helpers/deliveryId';
import { deliver, sign, SIGNATURE_KEY, smsStatus, useTriggerServers, VALIDATION } from '../helpers/signedCallbacks';

const { trigger } = useTriggerServers();

const callStatus = (event: string) =>
	JSON.stringify({ id: 'CAL-6FA459EA-EE8A-3CA4-894E-DB77E160355E', from: '+40312345678', to: '+40745123456', description: 'RO - Orange', event });
const hlrResult = (n: number) => ({
	id: `c08c0e33-e1b8-43a2-a4f8-4518c3a82c${String(n).padStart(2, '0')}`,
	original_msisdn: `4074500000${n}`,
	cost: 0.01,
	phone_number: `+4074500000${n}`,
	number_type: 'mobile',
	timezone: 'Europe/Bucharest',
	is_ported: false,
	reachable: 'connected',
	processing_status: 'completed',
});

describe('accepted callbacks', () => {
	it('a signed validation callback starts one execution and is answered 200 with no body', async () => {
		const server = await trigger();
		const call = await deliver(server, VALIDATION);
		expect(call.answer.status).toBe(200);
		expect(call.answer.body).toBe('');
		expect(server.executions).toHaveLength(1);
		expect(call.execution?.map((item) => item.json)).toEqual([
			{
				event_type: 'validation.completed',
				validation_id: 'SMS-3F2504E0-4F89-11D3-9A0C-0305E82C3301',
				key: 'SMS-3F2504E0-4F89-11D3-9A0C-0305E82C3301',
				number: '+40745123456',
				description: 'RO - Orange',
				query: {},
				delivery_id: expectedDeliveryId(VALIDATION),
			},
		]);
	});

	it('an SMS status callback becomes an sms.status item', async () => {
		const server = await trigger();
		const call = await deliver(server, smsStatus('delivered'));
		expect(call.answer.status).toBe(200);
		expect(call.execution?.[0].json).toEqual({ event_type: 'sms.status', ...JSON.parse(smsStatus('delivered')), final: true, delivered: true, query: {}, delivery_id: expectedDeliveryId(smsStatus('delivered')) });
	});

	it('a call status callback becomes a call.status item', async () => {
		const server = await trigger();
		const call = await deliver(server, callStatus('answer'));
		expect(call.execution?.[0].json).toEqual({ event_type: 'call.status', ...JSON.parse(callStatus('answer')), answered: true, query: {}, delivery_id: expectedDeliveryId(callStatus('answer')) });
	});

	it('accepts a base64 signature', async () => {
		const server = await trigger();
		const call = await server.post(VALIDATION, { 'X-CheckMobi-Signature': sign(VALIDATION, SIGNATURE_KEY, 'base64') });
		expect(call.answer.status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('checks the bytes received, not the JSON n8n parsed from them', async () => {
		const server = await trigger();
		// Escaped slashes, \u escapes, odd spacing: n8n's parsed req.body re-serialises differently.
		const body = '{ "id" : "MSG-1", "to":"+40745123456", "description":"RO - Telekom Rom\\u00e2nia \\/ test", "status":"sent" }';
		expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
		const call = await deliver(server, body);
		expect(call.answer.status).toBe(200);
		expect(call.execution?.[0].json.description).toBe('RO - Telekom România / test');
	});

	it('reads the event from the signed bytes even when the Content-Type is not JSON', async () => {
		const server = await trigger();
		const call = await deliver(server, smsStatus('sent'), { 'Content-Type': 'text/plain' });
		expect(call.execution?.[0].json.event_type).toBe('sms.status');
	});
});

describe('event and status filters', () => {
	it('acknowledges a kind that was not picked with 200 and starts nothing', async () => {
		const server = await trigger({ events: ['sms.status'] });
		const call = await deliver(server, VALIDATION);
		expect(call.answer.status).toBe(200);
		expect(JSON.parse(call.answer.body)).toEqual({ ignored: 'event validation.completed not selected' });
		expect(server.executions).toHaveLength(0);
	});

	it('starts only for the SMS statuses picked', async () => {
		const server = await trigger({ events: ['sms.status'], smsStatuses: ['delivered', 'undelivered'] });
		const sent = await deliver(server, smsStatus('sent'));
		const delivered = await deliver(server, smsStatus('delivered'));
		expect(sent.answer.status).toBe(200);
		expect(JSON.parse(sent.answer.body)).toEqual({ ignored: 'SMS status sent not selected' });
		expect(sent.execution).toBeUndefined();
		expect(delivered.execution?.[0].json.status).toBe('delivered');
		expect(server.executions).toHaveLength(1);
	});

	it('starts only for the call events picked', async () => {
		const server = await trigger({ events: ['call.status'], callEvents: ['hangup'] });
		for (const event of ['ringing', 'answer']) {
			const call = await deliver(server, callStatus(event));
			expect([call.answer.status, call.execution]).toEqual([200, undefined]);
		}
		const hangup = await deliver(server, callStatus('hangup'));
		expect(hangup.execution?.[0].json).toMatchObject({ event_type: 'call.status', event: 'hangup' });
		expect(server.executions).toHaveLength(1);
	});

	it('ignores the status filter of a kind whose filter is hidden (events without sms.status)', async () => {
		const server = await trigger({ events: ['call.status'], smsStatuses: ['delivered'] });
		const call = await deliver(server, callStatus('ringing'));
		expect(call.execution).toHaveLength(1);
	});

	it('acknowledges an unrecognised JSON payload and starts nothing by default', async () => {
		const server = await trigger();
		const call = await deliver(server, '{"hello":"world"}');
		expect(call.answer.status).toBe(200);
		expect(JSON.parse(call.answer.body)).toEqual({ ignored: 'unrecognized payload' });
		expect(server.executions).toHaveLength(0);
	});

	it('delivers an unrecognised payload as an "unknown" item when asked for', async () => {
		const server = await trigger({ events: ['unknown'] });
		const json = await deliver(server, '{"hello":"world"}');
		const text = await deliver(server, 'not json at all', { 'Content-Type': 'text/plain' });
		expect(json.execution?.[0].json).toEqual({ event_type: 'unknown', payload: { hello: 'world' }, query: {}, delivery_id: expectedDeliveryId('{"hello":"world"}') });
		expect(text.execution?.[0].json).toEqual({ event_type: 'unknown', payload: null, raw_body: 'not json at all', query: {}, delivery_id: expectedDeliveryId('not json at all') });
	});
});

describe('bulk lookup results', () => {
	it('splits an HLR batch into one item per number, each with the lookup_method', async () => {
		const server = await trigger({ events: ['lookup.hlr'] });
		const results = [hlrResult(1), hlrResult(2), hlrResult(3)];
		const body = JSON.stringify({ lookup_method: 'hlr', error: null, results });
		const call = await deliver(server, body);
		expect(call.answer.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(call.execution?.map((item) => item.json)).toEqual(
			results.map((result, index) => ({
				event_type: 'lookup.hlr',
				lookup_method: 'hlr',
				error: null,
				...result,
				query: {},
				delivery_id: expectedDeliveryId(body, index),
			})),
		);
	});

	it('turns an MNP batch error into an item with the error as CheckMobi sent it', async () => {
		const server = await trigger({ events: ['lookup.mnp'] });
		const body = JSON.stringify({
			lookup_method: 'mnp',
			error: { error: 5, description: 'Insufficient funds.', affected_numbers: ['+40745000007', '+40745000008'] },
			results: null,
		});
		const call = await deliver(server, body);
		expect(call.execution?.map((item) => item.json)).toEqual([
			{
				event_type: 'lookup.mnp',
				lookup_method: 'mnp',
				error: { error: 5, description: 'Insufficient funds.', affected_numbers: ['+40745000007', '+40745000008'] },
				query: {},
				delivery_id: expectedDeliveryId(body),
			},
		]);
	});

	it('keeps one item per callback when Split Lookup Results is off', async () => {
		const server = await trigger({ events: ['lookup.hlr'], splitLookupResults: false });
		const payload = { lookup_method: 'hlr', error: null, results: [hlrResult(1), hlrResult(2)] };
		const call = await deliver(server, JSON.stringify(payload));
		expect(call.execution?.map((item) => item.json)).toEqual([
			{ event_type: 'lookup.hlr', ...payload, query: {}, delivery_id: expectedDeliveryId(JSON.stringify(payload)) },
		]);
	});

	it('does not start a run for a batch with no results', async () => {
		const server = await trigger();
		const call = await deliver(server, '{"lookup_method":"hlr","error":null,"results":[]}');
		expect(call.answer.status).toBe(200);
		expect(JSON.parse(call.answer.body)).toEqual({ ignored: 'lookup batch without results' });
		expect(server.executions).toHaveLength(0);
	});

	it('does not start HLR runs when only MNP results were picked', async () => {
		const server = await trigger({ events: ['lookup.mnp'] });
		const call = await deliver(server, JSON.stringify({ lookup_method: 'hlr', error: null, results: [hlrResult(1)] }));
		expect(JSON.parse(call.answer.body)).toEqual({ ignored: 'event lookup.hlr not selected' });
		expect(server.executions).toHaveLength(0);
	});
});

describe('ready-made fields beside CheckMobi\'s', () => {
	it('every item gets the callback URL\'s query parameters in `query`, the same on each item of a batch', async () => {
		const server = await trigger();
		const query = '?order=A-1001&note=caf%C3%A9%20au%20lait&empty=';
		const batch = await deliver(server, JSON.stringify({ lookup_method: 'hlr', error: null, results: [hlrResult(1), hlrResult(2)] }), {}, query);
		const validation = await deliver(server, VALIDATION, {}, query);
		const expected = { order: 'A-1001', note: 'café au lait', empty: '' };
		expect(batch.execution?.map((item) => item.json.query)).toEqual([expected, expected]);
		expect(validation.execution?.[0].json).toMatchObject({ key: expect.any(String), query: expected });
		// Each item has its own copy: a node that changes one changes no other.
		expect(batch.execution?.[0].json.query).not.toBe(batch.execution?.[1].json.query);
		expect((await deliver(server, smsStatus('queued'))).execution?.[0].json.query).toEqual({});
	});

	it('SMS: `final` for delivered, failed, undelivered and rejected; `delivered` only for delivered', async () => {
		const server = await trigger();
		const seen: Record<string, unknown> = {};
		for (const status of ['queued', 'sent', 'delivered', 'failed', 'undelivered', 'rejected', 'DELIVERED']) {
			const json = (await deliver(server, smsStatus(status))).execution?.[0].json;
			seen[status] = [json?.final, json?.delivered, json?.status];
		}
		expect(seen).toEqual({
			queued: [false, false, 'queued'],
			sent: [false, false, 'sent'],
			delivered: [true, true, 'delivered'],
			failed: [true, false, 'failed'],
			undelivered: [true, false, 'undelivered'],
			rejected: [true, false, 'rejected'],
			DELIVERED: [true, true, 'DELIVERED'],
		});
	});

	it('calls: `answered` from the event, the seconds billed at hangup, or the answer this trigger took before', async () => {
		const server = await trigger({ events: ['call.status'], callEvents: ['ringing', 'hangup'] });
		const call = (id: string, event: string, extra: IDataObject = {}) =>
			JSON.stringify({ id: `CAL-${id}`, from: '+40312345678', to: '+40745123456', description: 'RO - Orange', event, ...extra });
		const answered = async (body: string) => (await deliver(server, body)).execution?.[0].json.answered;

		expect(await answered(call('A', 'ringing'))).toBe(false);
		expect(await answered(call('A', 'hangup', { duration_billed: 60, charged_amount: 0.02 }))).toBe(true);
		expect(await answered(call('B', 'hangup', { duration_billed: 0, charged_amount: 0 }))).toBe(false);
		// CheckMobi sends duration_billed only "when available": without it, and without an answer seen, unknown.
		expect(await answered(call('C', 'hangup'))).toBeNull();
		// The answer callback is not picked here and starts nothing, but the hangup after it was answered.
		const answer = await deliver(server, call('D', 'answer'));
		expect(JSON.parse(answer.answer.body)).toEqual({ ignored: 'call event answer not selected' });
		expect(await answered(call('D', 'hangup'))).toBe(true);
		expect(await answered(call('D', 'hangup', { duration_billed: 0 }))).toBe(true);
		// An unsigned "answer" is refused and teaches the trigger nothing.
		await server.post(call('E', 'answer'));
		expect(await answered(call('E', 'hangup'))).toBeNull();
		expect(server.executions.map((items) => items[0].json.event)).toEqual(['ringing', 'hangup', 'hangup', 'hangup', 'hangup', 'hangup', 'hangup']);
	});
});
