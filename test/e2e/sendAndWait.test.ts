/**
 * The waiting operations inside a real n8n (2.41.1): a webhook starts the workflow, the node sends
 * through the sandbox and the execution waits; the sandbox's signed callbacks to n8n's resume URL
 * resume it (or, when not final, forged or for another request, do not); Limit Wait Time expires
 * into the timed-out item. The sandbox moves SMS only when a test tells it to, so each callback
 * comes when the test wants it (not within n8n's "running already" window after the send).
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox';
import type { CallbackView } from '../../sandbox/client';
import { exampleCredentials } from '../../scripts/lib/examples';
import { chain, N8nInstance, provisionN8n, webhookNode, workflow, type WorkflowJson } from '../../scripts/lib/n8n';
import { executionWhen, jsonOf, N8N_STEP_TIMEOUT_MS, PROVISION_TIMEOUT_MS, runOf, Timings, withN8nLog } from './support';
import { checkMobi, set } from './workflows';

const timings = new Timings();
let sandbox: Sandbox;
let n8n: N8nInstance;

const WAIT = { id: 'e2eWaitSms1', path: 'e2e-wait-sms' } as const;
const LIMITED = { id: 'e2eWaitSmsLimit1', path: 'e2e-wait-sms-limit' } as const;
const CALL = { id: 'e2eWaitCall1', path: 'e2e-wait-call' } as const;
const VALIDATION = { id: 'e2eWaitValidation1', path: 'e2e-wait-validation' } as const;
/** n8n's WaitTracker looks for expired waits once a minute: a limit ends up to ~60 s late. */
const LIMIT_SLACK_MS = 150_000;

const SMS_PARAMETERS = { resource: 'sms', operation: 'sendAndWaitForDelivery', to: '={{ $json.body.to }}', text: 'Your order shipped' };
const CALL_PARAMETERS = {
	resource: 'call',
	operation: 'placeAndWaitForEnd',
	to: '={{ $json.body.to }}',
	eventsMode: 'json',
	eventsJson: '[{ "action": "speak", "text": "The build is broken, please have a look" }]',
};

const VALIDATION_PARAMETERS = { resource: 'validation', operation: 'requestAndWaitForVerification', type: 'sms', number: '={{ $json.body.to }}' };

/** Webhook → the waiting node ("Send and Wait") → a Set node ("After"). */
function waitWorkflow(
	id: string,
	path: string,
	parameters: Record<string, unknown>,
	limitWaitTime?: Record<string, unknown>,
	responseMode: 'onReceived' | 'lastNode' = 'onReceived',
): WorkflowJson {
	return workflow({
		id,
		name: `e2e: ${path}`,
		nodes: [
			webhookNode('Start', { path, responseMode }),
			checkMobi('Send and Wait', { ...parameters, options: limitWaitTime ? { limitWaitTime } : {} }),
			set('After', [['seen', '={{ $json.status }}', 'string']]),
		],
		connections: chain('Start', 'Send and Wait', 'After'),
	});
}

beforeAll(async () => {
	const runtime = await timings.time('provision (or reuse)', async () => await provisionN8n());
	sandbox = await startSandbox({
		port: 0,
		secretKey: randomUUID().toUpperCase(),
		signatureKey: randomUUID().toUpperCase(),
		// SMS and calls move only when a test says so; a call rings for a minute unless answered or rejected.
		config: { smsAutoProgress: false, callAutoAnswer: false, callRingingDelayMs: 60_000 },
	});
	n8n = await N8nInstance.create({ runtime });
	await withN8nLog(n8n, async () => {
		await n8n.importCredentials(exampleCredentials(sandbox, randomUUID()));
		await n8n.importWorkflows([
			waitWorkflow(WAIT.id, WAIT.path, SMS_PARAMETERS),
			waitWorkflow(LIMITED.id, LIMITED.path, SMS_PARAMETERS, { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '={{ $now.plus({ seconds: 3 }).toISO() }}' } }),
			waitWorkflow(CALL.id, CALL.path, CALL_PARAMETERS),
			// The sign-up case: the start webhook answers with the validation's id as soon as the execution waits.
			waitWorkflow(VALIDATION.id, VALIDATION.path, VALIDATION_PARAMETERS, undefined, 'lastNode'),
		]);
		await timings.time('n8n start', async () => await n8n.start());
		await n8n.activateWorkflow(WAIT.id);
		await n8n.activateWorkflow(LIMITED.id);
		await n8n.activateWorkflow(CALL.id);
		await n8n.activateWorkflow(VALIDATION.id);
	});
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	timings.report('e2e send and wait');
}, 60_000);

/** Starts the workflow for `to` and returns its execution once it waits, with the SMS (or call) it sent. */
async function startWaiting(
	target: { id: string; path: string },
	to: string,
	kind: 'sms' | 'call' | 'validation' = 'sms',
): Promise<{ executionId: string; smsId: string; resumeUrl: string; answer: unknown }> {
	const before = new Set((await n8n.listExecutions(target.id)).map((e) => String(e.id)));
	const response = await n8n.callWebhook(target.path, { body: JSON.stringify({ to }), headers: { 'content-type': 'application/json' } });
	expect(response.status).toBe(200);
	const answer: unknown = await response.json();
	let executionId: string | undefined;
	const started = Date.now();
	while (!executionId) {
		executionId = (await n8n.listExecutions(target.id)).map((e) => String(e.id)).find((id) => !before.has(id));
		if (!executionId && Date.now() - started > 30_000) throw new Error('no execution started');
		if (!executionId) await new Promise((r) => setTimeout(r, 250));
	}
	const waiting = await executionWhen(n8n, executionId, (e) => e.status !== 'new' && e.status !== 'running');
	expect(waiting.status).toBe('waiting');
	const [sms] =
		kind === 'sms' ? await sandbox.control.smsTo(to) : kind === 'call' ? await sandbox.control.callsTo(to) : await sandbox.control.validations(to);
	expect(sms).toBeDefined();
	const resumeUrl = String(sms.notificationCallback);
	expect(resumeUrl).toMatch(new RegExp(`/webhook-waiting/${executionId}/[^/?]+\\?signature=[0-9a-f]{64}$`));
	return { executionId, smsId: sms.id, resumeUrl, answer };
}

/** Moves the SMS to `status`; resolves with the sandbox's callback once it is answered. */
async function moveSms(smsId: string, status: 'sent' | 'delivered' | 'failed'): Promise<CallbackView> {
	const since = (await sandbox.control.callbacks()).length;
	await sandbox.control.setSmsStatus(smsId, status);
	const started = Date.now();
	for (;;) {
		const delivery = (await sandbox.control.callbacks({ kind: 'sms', objectId: smsId })).find((c) => c.json && (c.json as { status?: string }).status === status);
		if (delivery && delivery.state !== 'pending') return delivery;
		if (Date.now() - started > 30_000) throw new Error(`no answered ${status} callback for ${smsId} (${since} before)`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('SMS → Send and Wait for Delivery in a real n8n', () => {
	test('waits after the send; an intermediate status and a forged callback do not resume; the signed delivery report does', async () => {
		await withN8nLog(n8n, async () => {
			const { executionId, smsId, resumeUrl } = await startWaiting(WAIT, '+40745100001');

			const sent = await moveSms(smsId, 'sent');
			expect(sent.attempts.map((a) => a.status)).toEqual([200]);
			expect((await n8n.getExecution(executionId)).status).toBe('waiting');

			const forged = await sandbox.control.sendCallback({ url: resumeUrl, json: { id: smsId, status: 'delivered' }, sign: 'key', key: 'not-the-signature-key' });
			expect(forged.attempts.map((a) => a.status)).toEqual([401]);
			const unsigned = await sandbox.control.sendCallback({ url: resumeUrl, json: { id: smsId, status: 'delivered' }, sign: 'none' });
			expect(unsigned.attempts.map((a) => a.status)).toEqual([401]);
			const otherSms = await sandbox.control.sendCallback({ url: resumeUrl, json: { id: `MSG-${randomUUID().toUpperCase()}`, status: 'delivered' } });
			expect(otherSms.attempts.map((a) => a.status)).toEqual([200]);
			expect((await n8n.getExecution(executionId)).status).toBe('waiting');

			const delivered = await moveSms(smsId, 'delivered');
			expect(delivered.attempts.map((a) => a.status)).toEqual([200]);
			const done = await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running');
			expect(done.status).toBe('success');
			const [output] = jsonOf(runOf(done), 'Send and Wait');
			expect(output).toMatchObject({ id: smsId, status: 'delivered', delivered: true, charged_amount: expect.any(Number), units: 1 });
			expect(Date.parse(String(output.status_time))).toBeGreaterThan(Date.now() - 120_000);
			expect(jsonOf(runOf(done), 'After')).toEqual([expect.objectContaining({ seen: 'delivered' })]);

			// A repeat after the end is refused by n8n (409) and changes nothing.
			const repeat = await sandbox.control.resendCallback(delivered.seq);
			expect(repeat.attempts.at(-1)?.status).toBe(409);
			expect(await sandbox.control.smsTo('+40745100001')).toHaveLength(1);
		});
	}, N8N_STEP_TIMEOUT_MS);

	test('a failed SMS resumes the execution with status failed, delivered false', async () => {
		await withN8nLog(n8n, async () => {
			const { executionId, smsId } = await startWaiting(WAIT, '+40745100002');
			const failed = await moveSms(smsId, 'failed');
			expect(failed.attempts.map((a) => a.status)).toEqual([200]);
			const done = await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running');
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Send and Wait')).toEqual([expect.objectContaining({ id: smsId, status: 'failed', delivered: false, charged_amount: 0 })]);
		});
	}, N8N_STEP_TIMEOUT_MS);

	test('Limit Wait Time expires into the timed-out item, with the one SMS sent', async () => {
		await withN8nLog(n8n, async () => {
			const started = Date.now();
			const { executionId, smsId } = await startWaiting(LIMITED, '+40745100003');
			const done = await timings.time('limit of 3 s expired', async () =>
				await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running', LIMIT_SLACK_MS),
			);
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Send and Wait')).toEqual([expect.objectContaining({ id: smsId, status: 'timeout', delivered: false })]);
			expect(jsonOf(runOf(done), 'After')).toEqual([expect.objectContaining({ seen: 'timeout' })]);
			expect(await sandbox.control.smsTo('+40745100003')).toHaveLength(1);
			process.stderr.write(`[e2e send and wait] limit 3 s: ended ${((Date.now() - started) / 1000).toFixed(0)} s after the start\n`);
		});
	}, LIMIT_SLACK_MS + 60_000);
});

/** Resolves with the call's hangup callback once it is answered. */
async function hangupCallback(callId: string): Promise<CallbackView[]> {
	const started = Date.now();
	for (;;) {
		const deliveries = await sandbox.control.callbacks({ kind: 'call', objectId: callId });
		if (deliveries.some((c) => (c.json as { event?: string }).event === 'hangup' && c.state !== 'pending')) return deliveries;
		if (Date.now() - started > 30_000) throw new Error(`no answered hangup callback for ${callId}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('Call → Place and Wait for End in a real n8n', () => {
	test('an answered call: ringing and answer leave it waiting, the hangup resumes it with answered, duration and charges', async () => {
		await withN8nLog(n8n, async () => {
			const { executionId, smsId: callId } = await startWaiting(CALL, '+40745100011', 'call');
			await sandbox.control.answerCall(callId);
			const deliveries = await hangupCallback(callId);
			expect(deliveries.map((c) => [(c.json as { event: string }).event, c.attempts.map((a) => a.status)])).toEqual([
				['ringing', [200]],
				['answer', [200]],
				['hangup', [200]],
			]);
			const done = await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running');
			expect(done.status).toBe('success');
			const [output] = jsonOf(runOf(done), 'Send and Wait');
			expect(output).toMatchObject({ id: callId, status: 'ended', answered: true, duration_billed: expect.any(Number), charged_amount: expect.any(Number) });
			expect(Number(output.duration_billed)).toBeGreaterThan(0);
		});
	}, N8N_STEP_TIMEOUT_MS);

	test('an unanswered (rejected) call resumes with answered false', async () => {
		await withN8nLog(n8n, async () => {
			const { executionId, smsId: callId } = await startWaiting(CALL, '+40745100012', 'call');
			await sandbox.control.rejectCall(callId);
			await hangupCallback(callId);
			const done = await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running');
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Send and Wait')).toEqual([expect.objectContaining({ id: callId, status: 'ended', answered: false, duration_billed: 0 })]);
			expect(await sandbox.control.callsTo('+40745100012')).toHaveLength(1);
		});
	}, N8N_STEP_TIMEOUT_MS);
});

describe('Validation → Request and Wait for Verification in a real n8n', () => {
	test('a wrong PIN leaves it waiting; the right one makes CheckMobi call back, which resumes it with validated true', async () => {
		await withN8nLog(n8n, async () => {
			const number = '+40745100021';
			const { executionId, smsId: validationId, answer } = await startWaiting(VALIDATION, number, 'validation');
			// "When Last Node Finishes": n8n answered once the execution waited, with the node's item.
			expect(answer).toEqual(expect.objectContaining({ id: validationId, type: 'sms', status: 'waiting', validated: false }));
			const pin = await sandbox.control.lastPin(number);
			expect(pin).toMatch(/^\d+$/);
			const wrong = await sandbox.control.verifyAsUser(validationId, pin === '0000' ? '1111' : '0000');
			expect(wrong.body.validated).toBe(false);
			expect((await n8n.getExecution(executionId)).status).toBe('waiting');

			const right = await sandbox.control.verifyAsUser(validationId, pin!);
			expect(right.body.validated).toBe(true);
			const done = await executionWhen(n8n, executionId, (e) => e.status !== 'waiting' && e.status !== 'running');
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Send and Wait')).toEqual([
				expect.objectContaining({ id: validationId, key: validationId, number, status: 'validated', validated: true }),
			]);
			const [completed] = await sandbox.control.callbacks({ kind: 'validation', objectId: validationId });
			expect(completed.attempts.map((a) => a.status)).toEqual([200]);
		});
	}, N8N_STEP_TIMEOUT_MS);
});
