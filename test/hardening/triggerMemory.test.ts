/**
 * The trigger's memory of accepted deliveries under n8n's way of keeping static data: n8n loads the
 * workflow's static data when a webhook request arrives and writes the whole of it back when the
 * request is done, so of two deliveries in flight at once the later save wipes what the earlier
 * one remembered. Measured in a real n8n (test/load/trigger.load.ts): before the fix, 1,000
 * callbacks at a concurrency of 50 left so little in static data that all 100 re-sent deliveries
 * ran a second time.
 *
 * The lost update is played here through test/helpers/webhook.ts by putting back the static data a
 * concurrent request saved (the snapshot from before the delivery), exactly what n8n's
 * last-writer-wins save does.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { deliveryDigest } from '../../nodes/CheckMobiTrigger/deliveryMemory';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const SIGNATURE_KEY = 'A11CE000-0000-4000-8000-516A7000BEEF';
const CREDENTIALS = { secretKey: 'unused-secret', signatureKey: SIGNATURE_KEY, baseUrl: 'http://127.0.0.1:1' };

const smsStatus = (n: number) => JSON.stringify({ id: `MSG-00000000-0000-4000-8000-00000000000${n}`, to: '+40745123456', status: 'delivered' });
const headers = (body: string) => ({ 'X-CheckMobi-Signature': createHmac('sha256', SIGNATURE_KEY).update(body).digest('hex') });

const servers: TriggerServer[] = [];
async function trigger(): Promise<TriggerServer> {
	const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {}, credentials: CREDENTIALS as never });
	servers.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

function remembered(server: TriggerServer): string[] {
	const nodeData = server.staticData()['node:CheckMobi Trigger'] as IDataObject | undefined;
	return ((nodeData?.acceptedDeliveries as Array<[string, number]> | undefined) ?? []).map(([digest]) => digest);
}

test('a delivery whose memory a concurrent save overwrote is still ignored when sent again', async () => {
	const server = await trigger();
	const stale = server.staticData();
	const first = await server.post(smsStatus(1), headers(smsStatus(1)));
	expect(first.execution).toHaveLength(1);

	// Another request, loaded before this one was remembered, saves last: n8n writes its stale copy.
	server.setStaticData(stale);

	const again = await server.post(smsStatus(1), headers(smsStatus(1)));
	expect(again.answer.status).toBe(200);
	expect(again.execution).toBeUndefined();
	expect(server.executions).toHaveLength(1);
});

test('the next accepted delivery writes back what a concurrent save lost, so static data converges', async () => {
	const server = await trigger();
	const stale = server.staticData();
	await server.post(smsStatus(1), headers(smsStatus(1)));
	server.setStaticData(stale);

	await server.post(smsStatus(2), headers(smsStatus(2)));

	expect(remembered(server).sort()).toEqual([deliveryDigest(Buffer.from(smsStatus(1))), deliveryDigest(Buffer.from(smsStatus(2)))].sort());
});

test('what one process remembers does not leak into another trigger: each webhook URL has its own memory', async () => {
	const one = await trigger();
	const other = await trigger();
	expect((await one.post(smsStatus(3), headers(smsStatus(3)))).execution).toHaveLength(1);
	expect((await other.post(smsStatus(3), headers(smsStatus(3)))).execution).toHaveLength(1);
});

test('memory from static data alone (another process, or before a restart) still ignores a repeat', async () => {
	const server = await trigger();
	await server.post(smsStatus(4), headers(smsStatus(4)));
	const restarted = await trigger();
	restarted.setStaticData(server.staticData());
	const again = await restarted.post(smsStatus(4), headers(smsStatus(4)));
	expect(again.execution).toBeUndefined();
});
