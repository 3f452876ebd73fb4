/**
 * The trigger keeps its signature key for SIGNATURE_KEY_TTL_MS instead of loading the credential on
 * every callback. A rotated key must work at once, an old one must stop within the TTL, and forged
 * callbacks must not make it load the credential each time. Real HTTP into the node's webhook() in
 * n8n-core's WebhookContext (test/helpers/webhook.ts); time moves by shifting Date.now.
 */
import { createHmac } from 'node:crypto';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import {
	SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS,
	SIGNATURE_KEY_TTL_MS,
} from '../../nodes/CheckMobiTrigger/signatureKeyCache';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const OLD_KEY = '11111111-2222-4333-8444-555555555555';
const NEW_KEY = '99999999-8888-4777-8666-555555555555';
const credentials = (signatureKey: string) => ({ secretKey: 'unused-secret', signatureKey, baseUrl: 'http://127.0.0.1:1' });

let bodyCount = 0;
/** A distinct SMS status body each time, so that the repeat memory never answers instead of the check. */
const smsStatus = () =>
	JSON.stringify({ id: `MSG-00000000-0000-4000-8000-${String(++bodyCount).padStart(12, '0')}`, to: '+40745123456', status: 'delivered' });
const signed = (body: string, key: string) => ({ 'X-CheckMobi-Signature': createHmac('sha256', key).update(body).digest('hex') });

let offset = 0;
const realNow = Date.now.bind(Date);
/** Moves this test's clock (Date.now, which the trigger reads) forward. */
const advance = (ms: number) => {
	offset += ms;
};

const servers: TriggerServer[] = [];
beforeEach(() => {
	offset = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
});
afterEach(async () => {
	jest.restoreAllMocks();
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function trigger(key = OLD_KEY): Promise<TriggerServer> {
	const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {}, credentials: credentials(key) });
	servers.push(server);
	return server;
}

async function send(server: TriggerServer, key: string, body = smsStatus()): Promise<number | undefined> {
	return (await server.post(body, signed(body, key))).answer.status;
}

describe('signature key kept per trigger', () => {
	it('loads the credential once for many callbacks within the TTL', async () => {
		const server = await trigger();
		for (let i = 0; i < 20; i++) expect(await send(server, OLD_KEY)).toBe(200);
		expect(server.executions).toHaveLength(20);
		expect(server.credentialLoads()).toBe(1);
	});

	it('loads it again once the TTL has passed', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(SIGNATURE_KEY_TTL_MS + 1);
		expect(await send(server, OLD_KEY)).toBe(200);
		expect(server.credentialLoads()).toBe(2);
	});

	it('accepts a callback signed with a rotated key at once', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS);
		server.setCredentials(credentials(NEW_KEY));
		expect(await send(server, NEW_KEY)).toBe(200);
		expect(server.executions).toHaveLength(2);
	});

	it('refuses the old key as soon as a callback signed with the new one made it load again', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS);
		server.setCredentials(credentials(NEW_KEY));
		expect(await send(server, NEW_KEY)).toBe(200);
		expect(await send(server, OLD_KEY)).toBe(401);
	});

	it('refuses the old key after the TTL even when no callback with the new key came', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		server.setCredentials(credentials(NEW_KEY));
		advance(SIGNATURE_KEY_TTL_MS - 1000);
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(1000);
		const body = smsStatus();
		const call = await server.post(body, signed(body, OLD_KEY));
		expect(call.answer.status).toBe(401);
		expect(JSON.parse(call.answer.body)).toEqual({ code: 401, message: expect.stringContaining('does not match') });
		expect(server.executions).toHaveLength(2);
	});

	it('a removed signature key refuses everything within the TTL', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		server.setCredentials(credentials(''));
		advance(SIGNATURE_KEY_TTL_MS);
		const body = smsStatus();
		const call = await server.post(body, signed(body, OLD_KEY));
		expect(call.answer.status).toBe(401);
		expect(call.answer.body).toContain('no signature key set in the CheckMobi API credentials');
	});
});

describe('forged callbacks with a kept key', () => {
	it('a flood of forged signatures is refused and loads the credential at most once per interval', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS);
		const forged = await Promise.all(Array.from({ length: 50 }, async () => await send(server, NEW_KEY)));
		expect(forged).toEqual(Array(50).fill(401));
		// The first load, then one re-load for the whole flood.
		expect(server.credentialLoads()).toBe(2);
		for (let i = 0; i < 20; i++) expect(await send(server, NEW_KEY)).toBe(401);
		expect(server.credentialLoads()).toBe(2);
		expect(server.executions).toHaveLength(1);
	});

	it('missing and malformed signatures never load the credential once a key is kept', async () => {
		const server = await trigger();
		expect(await send(server, OLD_KEY)).toBe(200);
		advance(SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS);
		for (let i = 0; i < 10; i++) {
			expect((await server.post(smsStatus())).answer.status).toBe(401);
			expect((await server.post(smsStatus(), { 'X-CheckMobi-Signature': 'not-a-digest' })).answer.status).toBe(401);
		}
		expect(server.credentialLoads()).toBe(1);
	});

	it('a key kept for one trigger is never used for another (its own credential is loaded)', async () => {
		const first = await trigger(OLD_KEY);
		const second = await trigger(NEW_KEY);
		expect(await send(first, OLD_KEY)).toBe(200);
		expect(await send(second, OLD_KEY)).toBe(401);
		expect(await send(second, NEW_KEY)).toBe(200);
		expect(second.credentialLoads()).toBeGreaterThanOrEqual(1);
	});

	it('the editor\'s test URL checks with the credential as saved now (no key kept)', async () => {
		const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {}, credentials: credentials(OLD_KEY), mode: 'manual' });
		servers.push(server);
		expect(await send(server, OLD_KEY)).toBe(200);
		server.setCredentials(credentials(NEW_KEY));
		expect(await send(server, OLD_KEY)).toBe(401);
		expect(server.credentialLoads()).toBe(2);
	});
});
