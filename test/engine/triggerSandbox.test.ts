/**
 * The CheckMobi Trigger against the sandbox, the independent other side of the wire: requests made
 * with a notification_callback pointing at the trigger get signed callbacks from the sandbox's own
 * signing code, which the trigger must accept; forged ones sent through the control API must be
 * refused with 401.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import type { CallbackView } from '../../sandbox/client';
import { expectedDeliveryId } from '../helpers/deliveryId';
import { runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const sandbox = useSandbox();
const credentials = () => ({ secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url });

let trigger: TriggerServer;
async function startTrigger(parameters: INodeParameters = {}) {
	await trigger?.close();
	trigger = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters, credentials: credentials() });
}
beforeEach(async () => await startTrigger());
afterEach(async () => await trigger.close());

/** Runs every pending sandbox transition and waits until its callbacks were answered. */
async function settle() {
	const { settled } = await sandbox.control.advance({ settle: true });
	expect(settled).toBe(true);
}

const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);
const attemptStatuses = (deliveries: CallbackView[]) => deliveries.map((d) => d.attempts.map((a) => a.status));

async function v1(method: string, path: string, body?: unknown) {
	const answer = await sandbox.api.request(method, path, body);
	expect(answer.status).toBe(200);
	return answer.json as IDataObject;
}

describe('signed callbacks from the sandbox are accepted', () => {
	it('an SMS sent by the CheckMobi node with the trigger as Notification Callback starts one run per status', async () => {
		const sent = await runNode({
			nodeType: new CheckMobi(),
			parameters: {
				resource: 'sms',
				operation: 'send',
				to: '+40745123456',
				text: 'Your order has shipped',
				options: { notificationCallback: trigger.url },
			},
			credentials: credentials(),
		});
		expect(sent.error).toBeUndefined();
		const messageId = sent.items[0].json.id as string;
		await settle();

		const deliveries = await sandbox.control.callbacks({ kind: 'sms', objectId: messageId });
		expect(deliveries.length).toBeGreaterThan(0);
		expect(deliveries.every((d) => d.url === trigger.url && d.signature !== null)).toBe(true);
		expect(attemptStatuses(deliveries)).toEqual(deliveries.map(() => [200]));
		// One run per callback, each item being exactly what the sandbox sent, tagged, with the ready-made fields.
		expect(trigger.executions.map(jsonOf)).toEqual(
			deliveries.map((d) => {
				const delivered = (d.json as IDataObject).status === 'delivered';
				return [{ event_type: 'sms.status', ...(d.json as IDataObject), final: delivered, delivered, query: {}, delivery_id: expectedDeliveryId(d.body) }];
			}),
		);
		expect(trigger.executions.at(-1)?.[0].json).toMatchObject({ id: messageId, status: 'delivered', to: '+40745123456' });
	});

	it('filters SMS statuses: only the final delivery report starts a run', async () => {
		await startTrigger({ events: ['sms.status'], smsStatuses: ['delivered', 'undelivered', 'failed', 'rejected'] });
		const sms = await v1('POST', '/sms/send', { to: '+40745999911', text: 'hello', notification_callback: trigger.url });
		await settle();
		const deliveries = await sandbox.control.callbacks({ kind: 'sms', objectId: sms.id as string });
		expect(deliveries.map((d) => (d.json as IDataObject).status)).toContain('sent');
		expect(attemptStatuses(deliveries)).toEqual(deliveries.map(() => [200]));
		expect(trigger.executions.map(jsonOf)).toEqual([[expect.objectContaining({ event_type: 'sms.status', status: 'undelivered' })]]);
	});

	it('a validation requested by the CheckMobi node and verified by the user gives validation.completed', async () => {
		const requested = await runNode({
			nodeType: new CheckMobi(),
			parameters: {
				resource: 'validation',
				operation: 'request',
				type: 'sms',
				number: '+40745123456',
				options: { notificationCallback: trigger.url },
			},
			credentials: credentials(),
		});
		expect(requested.error).toBeUndefined();
		const validationId = requested.items[0].json.id as string;
		const verified = await sandbox.control.verifyAsUser(validationId);
		expect(verified.body.validated).toBe(true);
		await settle();

		expect(trigger.executions.map(jsonOf)).toEqual([
			[
				{
					event_type: 'validation.completed',
					validation_id: validationId,
					key: validationId,
					number: '+40745123456',
					description: expect.stringMatching(/^RO - /),
					query: {},
					delivery_id: expect.stringMatching(/^[A-Za-z0-9_-]{22}:0$/),
				},
			],
		]);
	});

	it('call status callbacks of a placed call give call.status items, filtered to hangup', async () => {
		await startTrigger({ events: ['call.status'], callEvents: ['hangup'] });
		const call = await v1('POST', '/call', {
			to: '+40745123456',
			events: [{ action: 'speak', text: 'Hello from the test' }],
			notification_callback: trigger.url,
		});
		await settle();
		const deliveries = await sandbox.control.callbacks({ kind: 'call', objectId: call.id as string });
		expect(deliveries.map((d) => (d.json as IDataObject).event)).toEqual(['ringing', 'answer', 'hangup']);
		expect(attemptStatuses(deliveries)).toEqual([[200], [200], [200]]);
		// The answer event started nothing, yet the trigger took it: the hangup says the call was answered.
		expect(trigger.executions.map(jsonOf)).toEqual([
			[{ event_type: 'call.status', ...(deliveries[2].json as IDataObject), answered: true, query: {}, delivery_id: expectedDeliveryId(deliveries[2].body) }],
		]);
	});

	it('a bulk HLR lookup gives one run per batch and one item per number', async () => {
		await sandbox.control.setConfig({ bulkBatchSize: 2 });
		const numbers = ['+40745000001', '+40745999901', '+40745000003'];
		await v1('POST', '/lookup/hlr', { numbers, notification_callback: trigger.url });
		await settle();

		const deliveries = await sandbox.control.callbacks({ kind: 'lookup' });
		expect(deliveries).toHaveLength(2);
		expect(attemptStatuses(deliveries)).toEqual([[200], [200]]);
		expect(trigger.executions.map((items) => items.length)).toEqual([2, 1]);
		const items = trigger.executions.flat().map((item) => item.json);
		expect(items.map((item) => [item.event_type, item.lookup_method, item.error, item.original_msisdn])).toEqual(
			numbers.map((number) => ['lookup.hlr', 'hlr', null, number]),
		);
		expect(items[1].reachable).toBe('absent');
	});

	it('a bulk MNP lookup that runs out of credit gives an item with CheckMobi\'s error as sent, affected numbers in it', async () => {
		await sandbox.control.setConfig({ bulkBatchSize: 2, creditBalance: 0.015, prices: { sms: 0.05, callMinute: 0.02, hlr: 0.01, mnp: 0.005 } });
		const numbers = ['+40745000001', '+40745000002', '+40745000003', '+40745000004', '+40745000005', '+40745000006'];
		await v1('POST', '/lookup/mnp', { numbers, notification_callback: trigger.url });
		await settle();

		const runs = trigger.executions.map(jsonOf);
		expect(runs.map((items) => items.length)).toEqual([2, 1, 1]);
		expect(runs[0].map((item) => item.event_type)).toEqual(['lookup.mnp', 'lookup.mnp']);
		expect(runs[2]).toEqual([
			{
				event_type: 'lookup.mnp',
				lookup_method: 'mnp',
				error: { error: 5, description: 'Insufficient funds.', affected_numbers: ['+40745000005', '+40745000006'] },
				query: {},
				delivery_id: expect.stringMatching(/^[A-Za-z0-9_-]{22}:0$/),
			},
		]);
	});

	it('the sandbox\'s batches of number validations (lookup_method "verify") start lookup.verify runs', async () => {
		await sandbox.control.setConfig({ bulkBatchSize: 2 });
		const numbers = ['40745000001', '+40745000002', '+40745999940'];
		await sandbox.control.bulkVerify(numbers, trigger.url);
		await settle();

		const runs = trigger.executions.map(jsonOf);
		expect(runs.map((items) => items.length)).toEqual([2, 1]);
		expect(runs.flat().map((item) => [item.event_type, item.lookup_method, item.error, item.original_msisdn, item.cost])).toEqual(
			numbers.map((number) => ['lookup.verify', 'verify', null, number, 0]),
		);
		expect(runs[1][0]).toMatchObject({ phone_number: '+40745999940', number_type: 'landline' });
	});

	it('accepts the sandbox\'s base64 signatures as well as hex', async () => {
		await sandbox.control.setConfig({ signatureEncoding: 'base64' });
		const sms = await v1('POST', '/sms/send', { to: '+40745123456', text: 'hi', notification_callback: trigger.url });
		await settle();
		const deliveries = await sandbox.control.callbacks({ kind: 'sms', objectId: sms.id as string });
		expect(deliveries[0].signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
		expect(attemptStatuses(deliveries)).toEqual(deliveries.map(() => [200]));
		expect(trigger.executions).toHaveLength(deliveries.length);
	});
});

describe('ready-made fields on the items of sandbox callbacks', () => {
	it('the Notification Callback\'s query parameters come back on every item (the sandbox calls the URL as given)', async () => {
		await sandbox.control.setConfig({ bulkBatchSize: 2 });
		const url = `${trigger.url}?order=A-1001&customer=42`;
		const sent = await runNode({
			nodeType: new CheckMobi(),
			parameters: { resource: 'sms', operation: 'send', to: '+40745123456', text: 'Shipped', options: { notificationCallback: url } },
			credentials: credentials(),
		});
		expect(sent.error).toBeUndefined();
		await v1('POST', '/lookup/hlr', { numbers: ['+40745000001', '+40745000002', '+40745000003'], notification_callback: url });
		await settle();
		const deliveries = await sandbox.control.callbacks();
		expect(deliveries.every((d) => d.url === url)).toBe(true);
		const items = trigger.executions.flat().map((item) => item.json);
		expect(items.map((item) => item.event_type).sort()).toEqual(['lookup.hlr', 'lookup.hlr', 'lookup.hlr', 'sms.status', 'sms.status']);
		expect(items.every((item) => JSON.stringify(item.query) === JSON.stringify({ order: 'A-1001', customer: '42' }))).toBe(true);
	});

	it('an SMS that ends undelivered: final only at the end, never delivered', async () => {
		const sms = await v1('POST', '/sms/send', { to: '+40745999911', text: 'hello', notification_callback: trigger.url });
		await settle();
		const items = trigger.executions.map(jsonOf).flat();
		expect(items.map((item) => [item.id, item.status, item.final, item.delivered])).toEqual([
			[sms.id, 'sent', false, false],
			[sms.id, 'undelivered', true, false],
		]);
	});

	it('a call that rings and is never answered: answered is false at ringing and at hangup', async () => {
		const call = await v1('POST', '/call', { to: '+40745999920', events: [{ action: 'speak', text: 'Hello' }], ring_timeout: 10, notification_callback: trigger.url });
		await settle();
		const items = trigger.executions.map(jsonOf).flat();
		expect(items.map((item) => [item.id, item.event, item.answered])).toEqual([
			[call.id, 'ringing', false],
			[call.id, 'hangup', false],
		]);
	});
});

describe('a replayed callback runs the workflow once', () => {
	it('answers the sandbox\'s resend of an accepted callback with 200 and starts nothing', async () => {
		const sms = await v1('POST', '/sms/send', { to: '+40745123456', text: 'hi', notification_callback: trigger.url });
		await settle();
		const [first] = await sandbox.control.callbacks({ kind: 'sms', objectId: sms.id as string });
		const runs = trigger.executions.length;

		const replay = await sandbox.control.resendCallback(first.seq);
		expect(replay.body).toBe(first.body);
		expect(replay.attempts.map((a) => [a.status, a.responseBody])).toEqual([[200, '{"ignored":"repeated delivery"}']]);
		expect(trigger.executions).toHaveLength(runs);
	});
});

describe('forged callbacks sent through the sandbox are refused with 401', () => {
	const payload = { key: 'SMS-00000000-0000-4000-8000-000000000000', number: '+40745123456', description: 'RO - Orange' };

	it.each([
		['signed with the secret key', { sign: 'secretKey' as const }, 'does not match'],
		['signed with a wrong key', { sign: 'key' as const, key: 'not-the-signature-key' }, 'does not match'],
		['not signed', { sign: 'none' as const }, 'no X-CheckMobi-Signature header'],
		['with a garbage signature', { signature: 'garbage' }, 'not an HMAC-SHA256 digest'],
		['with the base64 signature of the secret key', { sign: 'secretKey' as const, encoding: 'base64' as const }, 'does not match'],
	])('%s', async (_name, forgery, reason) => {
		const delivery = await sandbox.control.sendCallback({ url: trigger.url, json: payload, ...forgery });
		expect(delivery.attempts).toHaveLength(1);
		expect(delivery.attempts[0].status).toBe(401);
		expect(JSON.parse(delivery.attempts[0].responseBody ?? '{}').message).toContain(reason);
		expect(delivery.attempts[0].responseBody).not.toContain(sandbox.signatureKey);
		expect(delivery.attempts[0].responseBody).not.toContain(sandbox.secretKey);
		expect(trigger.executions).toHaveLength(0);
	});

	it('refuses a genuine signature over a tampered body', async () => {
		const genuine = await sandbox.control.sendCallback({ url: trigger.url, json: payload });
		expect(genuine.attempts[0].status).toBe(200);
		const tampered = genuine.body.replace('+40745123456', '+40745000000');
		const forged = await sandbox.control.sendCallback({ url: trigger.url, body: tampered, signature: genuine.signature ?? '' });
		expect(forged.attempts[0].status).toBe(401);
		expect(trigger.executions).toHaveLength(1);
	});

	it('is retried by the sandbox like CheckMobi does, and every retry is refused too', async () => {
		await sandbox.control.setConfig({ callbackRetryDelaysMs: [0] });
		const delivery = await sandbox.control.sendCallback({ url: trigger.url, json: payload, sign: 'secretKey', retry: true });
		expect(delivery.attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]);
		expect(trigger.executions).toHaveLength(0);
	});
});
