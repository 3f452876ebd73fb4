/**
 * The trigger's real webhook() inside n8n-core's WebhookContext, fed by real HTTP requests
 * (test/helpers/webhook.ts plays n8n's webhook server: raw body, static-data saving, answers):
 * repeated deliveries, refused callbacks (production and test URL) and the URL's registration.
 * What an accepted callback becomes is in triggerWebhookItems.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { CheckMobiTrigger, MAX_BODY_BYTES } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { CREDENTIALS, deliver, SECRET_KEY, sign, SIGNATURE_KEY, smsStatus, useTriggerServers, VALIDATION } from '../helpers/signedCallbacks';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const { trigger, servers } = useTriggerServers();

describe('repeated deliveries', () => {
	it('a retried callback (same bytes) runs the workflow once and is answered 200 both times', async () => {
		const server = await trigger();
		const first = await deliver(server, smsStatus('delivered'));
		const retry = await deliver(server, smsStatus('delivered'));
		expect([first.answer.status, retry.answer.status]).toEqual([200, 200]);
		expect(first.answer.body).toBe('');
		expect(JSON.parse(retry.answer.body)).toEqual({ ignored: 'repeated delivery' });
		expect(server.executions).toHaveLength(1);
	});

	it('keeps the memory in the static data n8n saves, from one request to the next', async () => {
		const server = await trigger();
		await deliver(server, smsStatus('sent'));
		const stored = server.staticData()['node:CheckMobi Trigger'] as IDataObject;
		expect(stored.acceptedDeliveries).toEqual([[expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), expect.any(Number)]]);
		// A new "n8n process" that only has the saved static data still knows the delivery.
		const restarted = await trigger();
		restarted.setStaticData(server.staticData());
		const retry = await deliver(restarted, smsStatus('sent'));
		expect(JSON.parse(retry.answer.body)).toEqual({ ignored: 'repeated delivery' });
		expect(restarted.executions).toHaveLength(0);
	});

	it('runs for each new status of the same SMS', async () => {
		const server = await trigger();
		for (const status of ['queued', 'sent', 'delivered']) await deliver(server, smsStatus(status));
		expect(server.executions.map((items) => items[0].json.status)).toEqual(['queued', 'sent', 'delivered']);
	});

	it('does not remember refused or ignored deliveries', async () => {
		const server = await trigger({ events: ['sms.status'] });
		await server.post(smsStatus('sent'), { 'X-CheckMobi-Signature': sign(smsStatus('sent'), SECRET_KEY) });
		await deliver(server, VALIDATION);
		expect(server.staticData()).toEqual({});
		const genuine = await deliver(server, smsStatus('sent'));
		expect(genuine.execution).toHaveLength(1);
	});

	it('runs every delivery when Ignore Repeated Deliveries is off', async () => {
		const server = await trigger({ options: { ignoreRepeatedDeliveries: false } });
		await deliver(server, VALIDATION);
		await deliver(server, VALIDATION);
		expect(server.executions).toHaveLength(2);
		expect(server.staticData()).toEqual({});
	});
});

describe('refused callbacks: 401, no execution', () => {
	async function expectRefused(server: TriggerServer, call: Awaited<ReturnType<TriggerServer['post']>>, message: string) {
		expect(call.answer.status).toBe(401);
		expect(JSON.parse(call.answer.body)).toEqual({ code: 401, message: expect.stringContaining(message) });
		expect(call.execution).toBeUndefined();
		// On a production URL the node does not fail: a failure would be a (failed) production execution.
		expect(call.error).toBeUndefined();
		expect(server.executions).toHaveLength(0);
		expect(call.answer.body).not.toContain(SIGNATURE_KEY);
		expect(call.answer.body).not.toContain(SECRET_KEY);
		expect(server.logs).toEqual([{ level: 'warn', message: expect.stringContaining(message) }]);
		expect(JSON.stringify(server.logs)).not.toMatch(new RegExp(`${SIGNATURE_KEY}|${SECRET_KEY}`));
	}

	it('refuses a callback without a signature', async () => {
		const server = await trigger();
		await expectRefused(server, await server.post(VALIDATION), 'no X-CheckMobi-Signature header');
	});

	it('refuses a callback signed with the secret key', async () => {
		const server = await trigger();
		await expectRefused(server, await server.post(VALIDATION, { 'X-CheckMobi-Signature': sign(VALIDATION, SECRET_KEY) }), 'does not match');
	});

	it('refuses a signature of other bytes (a tampered body)', async () => {
		const server = await trigger();
		const tampered = VALIDATION.replace('+40745123456', '+40745999999');
		await expectRefused(server, await server.post(tampered, { 'X-CheckMobi-Signature': sign(VALIDATION) }), 'does not match');
	});

	it('refuses everything, saying why, when the credentials have no signature key', async () => {
		const server = await trigger({}, { ...CREDENTIALS, signatureKey: '' });
		const call = await server.post(VALIDATION, { 'X-CheckMobi-Signature': sign(VALIDATION, '') });
		await expectRefused(server, call, 'no signature key set in the CheckMobi API credentials');
	});

	it('answers 503 (CheckMobi retries it), saying why, when the credentials cannot be loaded', async () => {
		const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {} });
		servers.push(server);
		const call = await deliver(server, VALIDATION);
		expect(call.answer.status).toBe(503);
		expect(JSON.parse(call.answer.body).message).toContain('CheckMobi API credentials could not be loaded');
		expect(server.executions).toHaveLength(0);
		expect(server.logs).toEqual([{ level: 'error', message: expect.stringContaining('could not load the CheckMobi API credentials') }]);
	});

	it('accepts unsigned callbacks only when Verify Signature is off', async () => {
		const server = await trigger({ verifySignature: false }, { ...CREDENTIALS, signatureKey: '' });
		const call = await server.post(VALIDATION);
		expect(call.answer.status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('refuses a body over the size limit with 413', async () => {
		const server = await trigger();
		const padding = 'x'.repeat(MAX_BODY_BYTES);
		const body = `{"key":"SMS-1","number":"+40745123456","description":"${padding}"}`;
		const call = await deliver(server, body);
		expect(call.answer.status).toBe(413);
		expect(JSON.parse(call.answer.body).message).toContain(`limit of ${MAX_BODY_BYTES} bytes`);
		expect(server.executions).toHaveLength(0);
		// The trigger still works afterwards.
		expect((await deliver(server, VALIDATION)).answer.status).toBe(200);
	});
});

describe('refused callbacks while the editor listens for a test event (test URL)', () => {
	async function testTrigger(credentials: IDataObject | null = CREDENTIALS) {
		const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {}, credentials: (credentials ?? undefined) as never, mode: 'manual' });
		servers.push(server);
		return server;
	}

	it.each([
		['no signature', {}, 401, 'Signature missing', /Signature Key of the CheckMobi API credentials/],
		['the secret key\'s signature', { 'X-CheckMobi-Signature': sign(VALIDATION, SECRET_KEY) }, 401, 'does not match', /not its Secret Key/],
	])('%s: the sender gets its 401, and the test run fails on the node with the reason and the fix', async (_what, headers, status, reason, fix) => {
		const server = await testTrigger();
		expect(server.url).toContain('/webhook-test/');
		const call = await server.post(VALIDATION, headers);
		expect(call.answer.status).toBe(status);
		expect(JSON.parse(call.answer.body)).toEqual({ code: status, message: expect.stringContaining(reason) });
		expect(call.execution).toBeUndefined();
		expect(call.error?.name).toBe('NodeOperationError');
		expect(call.error?.message).toMatch(new RegExp(`^Callback refused \\(HTTP ${status}\\): .*${reason}`));
		expect((call.error as Error & { description?: string }).description).toMatch(fix);
		expect(`${call.error?.message} ${(call.error as Error & { description?: string }).description}`).not.toMatch(new RegExp(`${SIGNATURE_KEY}|${SECRET_KEY}`));
		expect(server.logs).toEqual([{ level: 'warn', message: expect.stringContaining(reason) }]);
	});

	it('no signature key in the credentials, or no credentials at all: the test run says so', async () => {
		const noKey = await testTrigger({ ...CREDENTIALS, signatureKey: '' });
		const refused = await deliver(noKey, VALIDATION);
		expect(refused.answer.status).toBe(401);
		expect(refused.error?.message).toContain('no signature key set in the CheckMobi API credentials');
		const noCredentials = await testTrigger(null);
		const unavailable = await deliver(noCredentials, VALIDATION);
		expect(unavailable.answer.status).toBe(503);
		expect(unavailable.error?.message).toMatch(/^Callback refused \(HTTP 503\): .*could not be loaded/);
	});

	it('a signed callback still starts the test run, with no error', async () => {
		const server = await testTrigger();
		const call = await deliver(server, VALIDATION);
		expect([call.answer.status, call.error, call.execution?.length]).toEqual([200, undefined, 1]);
	});
});

describe('webhookMethods: the URL is the registration', () => {
	it('records the production URL on create, reports it, and forgets it on delete', async () => {
		const server = await trigger();
		expect(await server.checkExists()).toBe(false);
		expect(await server.activate()).toEqual({ existed: false, created: true });
		expect((server.staticData()['node:CheckMobi Trigger'] as IDataObject).callbackUrl).toBe(server.url);
		expect(server.url).toMatch(/\/webhook\/[0-9a-f-]+\/webhook$/);
		expect(await server.checkExists()).toBe(true);
		expect(await server.activate()).toEqual({ existed: true });
		expect(await server.deactivate()).toBe(true);
		expect(await server.checkExists()).toBe(false);
	});

	it('records the test URL while the editor listens', async () => {
		const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters: {}, credentials: CREDENTIALS, mode: 'manual' });
		servers.push(server);
		await server.activate();
		expect((server.staticData()['node:CheckMobi Trigger'] as IDataObject).callbackUrl).toBe(server.url);
		expect(server.url).toContain('/webhook-test/');
	});

	it('refuses to activate with verification on and no signature key, saying so', async () => {
		const server = await trigger({}, { ...CREDENTIALS, signatureKey: ' ' });
		await expect(server.activate()).rejects.toThrow('No signature key set in the CheckMobi API credentials');
		expect(await server.checkExists()).toBe(false);
	});

	it('activates without a signature key when verification is off', async () => {
		const server = await trigger({ verifySignature: false }, { ...CREDENTIALS, signatureKey: '' });
		expect(await server.activate()).toEqual({ existed: false, created: true });
	});
});
