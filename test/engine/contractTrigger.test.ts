/**
 * Callbacks against the contract (contract/checkmobi.ts): every kind the sandbox sends has the
 * contract's shape (useSandbox checks every callback of every test; here each kind is made on
 * purpose), and the CheckMobi Trigger's items keep the callback's field names and values: it may
 * add fields (event_type, …), never rename or drop one.
 */
import type { IDataObject } from 'n8n-workflow';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import type { CallbackView } from '../../sandbox/client';
import { checkCallback } from '../helpers/contract';
import { type Receiver, startReceiver, useSandbox } from '../helpers/sandbox';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const sandbox = useSandbox({ resetBeforeEach: false, config: { bulkBatchSize: 2 } });
let receiver: Receiver;
let deliveries: CallbackView[];

/** One callback of every kind and shape, sent by the sandbox to a receiver. */
beforeAll(async () => {
	receiver = await startReceiver();
	const url = receiver.url;
	const validation = await sandbox.api.post('/validation/request', { number: '+40745123456', type: 'sms', notification_callback: url });
	await sandbox.control.verifyAsUser((validation.json as IDataObject).id as string);
	await sandbox.api.post('/sms/send', { to: '+40745123456', text: 'delivered', notification_callback: url });
	await sandbox.api.post('/sms/send', { to: '+40745999910', text: 'failed', notification_callback: url });
	await sandbox.api.post('/call', { to: '+40745123456', events: [{ action: 'speak', text: 'Hello' }], notification_callback: url });
	await sandbox.api.post('/lookup/hlr', { numbers: ['+40745123456', '40745999905', '+40745999940'], notification_callback: url });
	await sandbox.control.bulkVerify(['+40745123456', '+40215551234'], url);
	await sandbox.control.advance({ settle: true });
	// Credit for the first MNP batch only: the second is a batch error.
	await sandbox.control.setConfig({ creditBalance: 0.01 });
	await sandbox.api.post('/lookup/mnp', { numbers: ['+40745000001', '+40745000002', '+40745000003'], notification_callback: url });
	await sandbox.control.advance({ settle: true });
	deliveries = (await sandbox.control.callbacks()).filter((delivery) => delivery.kind !== 'manual');
});
afterAll(async () => await receiver?.close());

const shapes = (list: CallbackView[]) =>
	list.map((d) => {
		const json = d.json as IDataObject;
		if (d.kind === 'sms') return `sms ${String(json.status)}`;
		if (d.kind === 'call') return `call ${String(json.event)}`;
		if (d.kind === 'lookup') return `lookup ${String(json.lookup_method)}${json.error ? ' error' : ''}`;
		return d.kind;
	});

test('the sandbox sent every kind of callback, each of the contract\'s shape', () => {
	expect(new Set(shapes(deliveries))).toEqual(
		new Set([
			'validation',
			'sms sent',
			'sms delivered',
			'sms failed',
			'call ringing',
			'call answer',
			'call hangup',
			'lookup hlr',
			'lookup mnp',
			'lookup mnp error',
			'lookup verify',
		]),
	);
	for (const delivery of deliveries) expect(checkCallback(delivery.kind as 'sms', delivery.json)).toEqual([]);
});

/** Every field of `sent` is in `item` under the same name, with the same value. */
function expectKept(item: IDataObject, sent: IDataObject) {
	const kept = Object.fromEntries(Object.keys(sent).map((key) => [key, item[key]]));
	expect(kept).toEqual(sent);
	expect(typeof item.event_type).toBe('string');
}

describe.each([true, false])('the trigger\'s items keep the callback\'s names and values (Split Lookup Results: %s)', (split) => {
	let trigger: TriggerServer;
	beforeAll(async () => {
		trigger = await startTriggerServer({
			nodeType: new CheckMobiTrigger(),
			parameters: {
				events: ['validation.completed', 'sms.status', 'call.status', 'lookup.hlr', 'lookup.mnp', 'lookup.verify'],
				splitLookupResults: split,
				options: { ignoreRepeatedDeliveries: false },
			},
			credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		});
	});
	afterAll(async () => await trigger?.close());

	test('every delivery, exactly as the sandbox signed and sent it', async () => {
		for (const delivery of deliveries) {
			const before = trigger.executions.length;
			const call = await trigger.post(delivery.body, { 'Content-Type': 'application/json', 'X-CheckMobi-Signature': delivery.signature ?? '' });
			expect(call.answer.status).toBe(200);
			expect(trigger.executions).toHaveLength(before + 1);
			const items = trigger.executions[before].map((item) => item.json);
			const sent = delivery.json as IDataObject;

			if (delivery.kind !== 'lookup' || !split) {
				expect(items).toHaveLength(1);
				expectKept(items[0], sent);
				continue;
			}
			const results = (sent.results as IDataObject[] | null) ?? [];
			const errorItems = sent.error === null ? [] : [{ lookup_method: sent.lookup_method, error: sent.error }];
			expect(items).toHaveLength(errorItems.length + results.length);
			errorItems.forEach((expected, index) => expectKept(items[index], expected));
			results.forEach((result, index) => expectKept(items[errorItems.length + index], { lookup_method: sent.lookup_method, error: null, ...result }));
		}
	});
});
