/**
 * Every trigger item carries `delivery_id`: the same for every repeat of one delivery (same bytes),
 * wherever it lands, and different for any other delivery and for each item of a split batch. It is
 * what a store shared by several n8n processes keys on (README, "Repeats across n8n processes").
 */
import { createHmac } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { expectedDeliveryId } from '../helpers/deliveryId';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const KEY = '5EED0000-1111-4222-8333-444455556666';
const CREDENTIALS = { secretKey: 'unused-secret', signatureKey: KEY, baseUrl: 'http://127.0.0.1:1' };

const servers: TriggerServer[] = [];
async function trigger(parameters: INodeParameters = {}): Promise<TriggerServer> {
	const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters, credentials: CREDENTIALS });
	servers.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function ids(server: TriggerServer, body: string, query = ''): Promise<string[]> {
	const call = await server.post(body, { 'X-CheckMobi-Signature': createHmac('sha256', KEY).update(body).digest('hex') }, query);
	expect(call.answer.status).toBe(200);
	return (call.execution ?? []).map((item) => item.json.delivery_id as string);
}

const sms = (status: string) => JSON.stringify({ id: 'MSG-1B4E28BA-2FA1-11D2-883F-0016D3CCA427', to: '+40745123456', status });
const hlr = (n: number) => ({ id: `c08c0e33-e1b8-43a2-a4f8-4518c3a82c0${n}`, original_msisdn: `4074500000${n}`, reachable: 'connected' });
const batch = JSON.stringify({ lookup_method: 'hlr', error: null, results: [hlr(1), hlr(2), hlr(3)] });

describe('delivery_id', () => {
	it('is the digest of the exact bytes and the item\'s place', async () => {
		const server = await trigger();
		expect(await ids(server, sms('delivered'))).toEqual([expectedDeliveryId(sms('delivered'))]);
		expect(expectedDeliveryId(sms('delivered'))).toMatch(/^[A-Za-z0-9_-]{22}:0$/);
	});

	it('is the same for a repeat that reaches another n8n process, and for one in this process with the memory off', async () => {
		const first = await ids(await trigger(), sms('delivered'));
		const otherProcess = await ids(await trigger(), sms('delivered'));
		expect(otherProcess).toEqual(first);
		const noMemory = await trigger({ options: { ignoreRepeatedDeliveries: false } });
		expect(await ids(noMemory, sms('delivered'))).toEqual(first);
		expect(await ids(noMemory, sms('delivered'), '?order=7')).toEqual(first);
	});

	it('differs across deliveries, even of the same message or of the same JSON written otherwise', async () => {
		const server = await trigger();
		const sent = await ids(server, sms('sent'));
		const delivered = await ids(server, sms('delivered'));
		const spaced = await ids(server, sms('delivered').replace(/,/g, ', '));
		expect(new Set([...sent, ...delivered, ...spaced]).size).toBe(3);
	});

	it('differs for each item of a split lookup batch, the same for each on a repeat', async () => {
		const split = await ids(await trigger({ events: ['lookup.hlr'] }), batch);
		expect(split).toEqual([0, 1, 2].map((index) => expectedDeliveryId(batch, index)));
		expect(new Set(split).size).toBe(3);
		expect(await ids(await trigger({ events: ['lookup.hlr'] }), batch)).toEqual(split);
		expect(await ids(await trigger({ events: ['lookup.hlr'], splitLookupResults: false }), batch)).toEqual([expectedDeliveryId(batch, 0)]);
	});
});
