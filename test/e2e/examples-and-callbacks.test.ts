/**
 * The example workflows and the CheckMobi Trigger inside a real n8n (2.41.1) that is running:
 * the examples run headless from their Manual Triggers (one `n8n execute-batch`), their webhooks
 * answer, and the sandbox's signed callbacks start exactly the executions they should, read back
 * through n8n's public API.
 */
import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

import { startSandbox, type Sandbox } from '../../sandbox';
import type { CallbackView } from '../../sandbox/client';
import { inboxCurl } from '../../sandbox/curl';
import {
	exampleById,
	exampleCredentials,
	hasActivatableTrigger,
	loadExamples,
	productionWebhooks,
	SAMPLE_PLACEHOLDERS,
	triggerPath,
	WEBHOOK_KEY_HEADER,
	webhookCurl,
	type ExampleWorkflow,
} from '../../scripts/lib/examples';
import { N8nInstance, provisionN8n, type BatchRun, type N8nExecution, type WorkflowJson } from '../../scripts/lib/n8n';
import { expectedDeliveryId } from '../helpers/deliveryId';
import {
	executionsWithData,
	executionWhen,
	jsonOf,
	N8N_STEP_TIMEOUT_MS,
	openEditorPush,
	PROVISION_TIMEOUT_MS,
	runOf,
	startForwardingProxy,
	Timings,
	waitForModeExecutions,
	withN8nLog,
} from './support';
import {
	ALL_EVENTS_TRIGGER,
	ALL_EVENTS_WEBHOOK_ID,
	ALL_EVENTS_WORKFLOW_ID,
	allEventsWorkflow,
	CALLBACK_SENDERS_WORKFLOW_ID,
	callbackSendersWorkflow,
	SENDERS,
} from './workflows';

const EX = {
	signup: 'cmEx1Signup',
	hlrCleanup: 'cmEx2HlrCleanup',
	hlrResults: 'cmEx3HlrResults',
	smsTracking: 'cmEx4SmsTracking',
	chatOps: 'cmEx5ChatOpsCall',
	escalation: 'cmEx6Escalation',
} as const;

/** The sign-up example on its own paths with a wait of 3 s instead of 10 minutes: its timed-out branch within a test. */
const EXPIRING_SIGNUP = { id: 'e2eSignupExpiring1', path: 'e2e-signup-expiring' } as const;
/** n8n's WaitTracker looks for expired waits once a minute: a limit ends up to ~60 s late. */
const LIMIT_SLACK_MS = 150_000;

function expiringSignup(signup: WorkflowJson): WorkflowJson {
	const copy = structuredClone(signup);
	Object.assign(copy, { id: EXPIRING_SIGNUP.id, name: `${signup.name} (wait 3 s)` });
	for (const wfNode of copy.nodes) {
		if (wfNode.type === 'n8n-nodes-base.webhook') {
			wfNode.parameters.path = `${EXPIRING_SIGNUP.path}/${String(wfNode.parameters.path).split('/').pop()}`;
			wfNode.webhookId = randomUUID();
		}
		if (wfNode.name === 'Request Validation') {
			wfNode.parameters.options = {
				...(wfNode.parameters.options as Record<string, unknown>),
				limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '={{ $now.plus({ seconds: 3 }).toISO() }}' } },
			};
		}
	}
	return copy;
}

const execFileAsync = promisify(execFile);
const timings = new Timings();
/** The key the examples' webhooks want in X-Api-Key. */
const WEBHOOK_KEY = randomUUID();
const withKey = { [WEBHOOK_KEY_HEADER]: WEBHOOK_KEY };
let sandbox: Sandbox;
let n8n: N8nInstance;
let examples: ExampleWorkflow[];
let batch: Map<string, BatchRun>;
let allEventsUrl: string;

/** The run of one workflow of the batch, which must have succeeded. */
function ran(id: string) {
	const result = batch.get(id);
	if (!result?.ok || !result.run) throw new Error(`${id} did not run successfully: ${result?.status} ${result?.error ?? ''}`);
	return result.run;
}

function triggerUrl(exampleId: string): string {
	return n8n.webhookUrl(triggerPath(exampleById(examples, exampleId)));
}

/** The sandbox's callbacks of a kind to a trigger's URL, whatever query string the URL was given. */
async function callbacksTo(url: string, kind: CallbackView['kind']): Promise<CallbackView[]> {
	return (await sandbox.control.callbacks({ kind })).filter((c) => c.url.split('?')[0] === url);
}

/** Executions of a workflow started by webhooks (callbacks, webhook calls), by id. */
async function webhookExecutionIds(workflowId: string): Promise<string[]> {
	return (await n8n.listExecutions(workflowId)).filter((e) => e.mode === 'webhook').map((e) => String(e.id));
}

/** The items the trigger put out in each execution, oldest execution first. */
function triggerItems(executions: N8nExecution[], triggerName: string): Array<Array<Record<string, unknown>>> {
	return executions.map((e) => jsonOf(runOf(e), triggerName));
}

/**
 * A signed SMS status callback that no test sent before, delivered once: the "sentinel" after
 * which every execution an earlier request could have started is visible (n8n creates a webhook's
 * execution before it answers).
 */
async function deliverSentinel(url: string): Promise<CallbackView> {
	const delivery = await sandbox.control.sendCallback({
		url,
		json: { id: `MSG-${randomUUID().toUpperCase()}`, to: '+40745700000', description: 'RO - Orange', status: 'delivered' },
		sign: 'signatureKey',
	});
	expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
	return delivery;
}

async function executionIdsOf(workflowId: string): Promise<Set<string>> {
	return new Set((await n8n.listExecutions(workflowId)).map((e) => String(e.id)));
}

/** The id of the execution of a workflow that started after `before` (ids), once there is one. */
async function startedSince(workflowId: string, before: Set<string>): Promise<string> {
	for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 250))) {
		const started = (await n8n.listExecutions(workflowId)).map((e) => String(e.id)).find((id) => !before.has(id));
		if (started) return started;
		if (Date.now() > deadline) throw new Error(`no new execution of ${workflowId} after 30 s`);
	}
}

/**
 * The escalation execution a page started after `before` (ids), once it finished: the sandbox's clock
 * moves when told, so each step lets a call ring, be answered or rejected, and hang up.
 */
async function escalationFinished(before: Set<string>): Promise<N8nExecution> {
	const started = await startedSince(EX.escalation, before);
	return await executionWhen(n8n, started, (e) => {
		if (e.status === 'waiting') void sandbox.control.advance({ settle: true });
		return !['new', 'running', 'waiting'].includes(e.status);
	}, 120_000);
}

beforeAll(async () => {
	const runtime = await timings.time('provision (or reuse)', async () => await provisionN8n());
	// Batches of 2 numbers: the HLR clean-up's 6 accepted numbers come back in 3 callbacks.
	sandbox = await startSandbox({ port: 0, secretKey: randomUUID().toUpperCase(), signatureKey: randomUUID().toUpperCase(), config: { bulkBatchSize: 2 } });
	// Server-Sent Events for n8n's push channel: a test can then listen as an open editor does.
	n8n = await N8nInstance.create({ runtime, env: { N8N_PUSH_BACKEND: 'sse' } });
	examples = loadExamples({ sandboxUrl: sandbox.url });
	allEventsUrl = n8n.webhookUrl(`${ALL_EVENTS_WEBHOOK_ID}/webhook`);
	await withN8nLog(n8n, async () => {
		await timings.time('import credential + workflows (with migrations)', async () => {
			await n8n.importCredentials(exampleCredentials(sandbox, WEBHOOK_KEY));
			await n8n.importWorkflows([
				...examples.map((e) => e.workflow),
				expiringSignup(exampleById(examples, EX.signup)),
				allEventsWorkflow(),
				callbackSendersWorkflow(allEventsUrl),
			]);
		});
		await timings.time('n8n start', async () => await n8n.start());
		await timings.time('publish the trigger workflows', async () => {
			for (const { workflow } of examples.filter((e) => hasActivatableTrigger(e.workflow))) await n8n.activateWorkflow(workflow.id);
			await n8n.activateWorkflow(EXPIRING_SIGNUP.id);
			await n8n.activateWorkflow(ALL_EVENTS_WORKFLOW_ID);
		});
		const result = await timings.time('execute-batch (examples + callback senders)', async () =>
			await n8n.executeBatch([...Object.values(EX), CALLBACK_SENDERS_WORKFLOW_ID]),
		);
		batch = result.runs;
	});
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	timings.report('e2e examples and callbacks');
}, 60_000);

describe('the example workflows run headless from their Manual Triggers', () => {
	it('imports them all: ids of at most 21 characters, every CheckMobi node on the dev credential', () => {
		expect(examples.map((e) => e.file)).toEqual([
			'chatops-escalation.json',
			'chatops-voice-call.json',
			'hlr-cleanup-results.json',
			'hlr-cleanup.json',
			'signup-verification.json',
			'sms-delivery-tracking.json',
		]);
		for (const { workflow } of examples) {
			expect(workflow.id.length).toBeLessThanOrEqual(21);
			expect(batch.get(workflow.id)).toBeDefined();
			for (const wfNode of workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-checkmobi.'))) {
				expect(wfNode.credentials).toEqual({ checkMobiApi: { id: 'cmSandboxCred001', name: 'CheckMobi sandbox' } });
			}
		}
	});

	it('sign-up verification: both sample numbers verified, by SMS and by missed call (the call hung up by the server)', async () => {
		const run = ran(EX.signup);
		expect(jsonOf(run, 'Result').map(({ phone, method, validated }) => ({ phone, method, validated }))).toEqual([
			{ phone: '+40745100001', method: 'sms', validated: true },
			{ phone: '+447700900123', method: 'missed_call', validated: true },
		]);
		// The missed call was verified with use_server_hangup, which ends the ringing call.
		const [, missedCall] = jsonOf(run, 'Result');
		const validation = await sandbox.control.validation(missedCall.validationId as string);
		expect(validation).toMatchObject({ type: 'reverse_cli', validated: true, call: expect.objectContaining({ status: 'ended', endReason: 'server_hangup' }) });
	});

	it('scheduled HLR clean-up: one bulk request whose callback is the results trigger\'s production URL', () => {
		expect(jsonOf(ran(EX.hlrCleanup), 'HLR Bulk Lookup')).toEqual([
			expect.objectContaining({ total_count: 7, accepted_count: 6, rejected: ['+40745123'], notification_callback: triggerUrl(EX.hlrResults) }),
		]);
	});

	it('HLR clean-up results: the sample results become one row update each', () => {
		expect(jsonOf(ran(EX.hlrResults), 'Update Customer Row').map(({ phone, line_status, ported, network }) => ({ phone, line_status, ported, network }))).toEqual([
			{ phone: '+40745200001', line_status: 'active', ported: false, network: 'Orange' },
			{ phone: '+40745999901', line_status: 'phone_off', ported: false, network: 'Vodafone' },
			{ phone: '+40745999906', line_status: 'active', ported: true, network: 'Digi.Mobil' },
		]);
	});

	it('SMS delivery tracking: two SMS sent, texts from expressions, callbacks to the trigger of the same workflow with the order in the URL', async () => {
		const sent = jsonOf(ran(EX.smsTracking), 'Send SMS');
		expect(sent).toHaveLength(2);
		const messages = await Promise.all(sent.map(async (m) => await sandbox.control.sms(m.id as string)));
		expect(messages.map((m) => [m.to, m.text, m.notificationCallback])).toEqual([
			['+40745300001', 'Hi Ana, your order A-1001 has shipped.', `${triggerUrl(EX.smsTracking)}?order=A-1001`],
			['+40745999911', 'Hi Mihai, your order A-1002 has shipped.', `${triggerUrl(EX.smsTracking)}?order=A-1002`],
		]);
	});

	it('chat-ops voice call: the sample command places a call that speaks the text and hangs up', async () => {
		const [reply] = jsonOf(ran(EX.chatOps), 'Reply');
		expect(reply.text).toBe(`Calling +40745400001 (call ${String(reply.callId)}).`);
		const call = await sandbox.control.call(reply.callId as string);
		expect(call.events).toEqual([
			expect.objectContaining({ action: 'speak', text: 'Database db-1 is down', loop: 2, language: 'en-US' }),
			expect.objectContaining({ action: 'hangup' }),
		]);
	});

	it('chat-ops escalation: Try It shows the call order of the sample page, and calls no one (it does not wait)', async () => {
		expect(jsonOf(ran(EX.escalation), 'Call Order (Dry Run)')).toEqual([
			expect.objectContaining({ callOrder: ['1. +40745999921: "Database db-1 is down"', '2. +40745400010: "Database db-1 is down"'] }),
		]);
		expect(ran(EX.escalation).data.resultData.runData['Call Person']).toBeUndefined();
		expect(await sandbox.control.callsTo('+40745400010')).toEqual([]);
	});
});

describe('the examples\' webhooks on a running n8n', () => {
	it('chat-ops escalation: the page answers at once; the first person rejects the call, so the second is called, answers and the execution ends', async () => {
		await withN8nLog(n8n, async () => {
			const [busy, second] = ['+40745999921', '+40745400011'];
			const before = await executionIdsOf(EX.escalation);
			const response = await n8n.callWebhook('checkmobi-escalate', {
				body: JSON.stringify({ people: [busy, second], text: 'Payments are failing' }),
				headers: { 'content-type': 'application/json', ...withKey },
			});
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ escalating: true });
			const done = await escalationFinished(before);
			expect(done.status).toBe('success');
			const run = runOf(done);
			expect(jsonOf(run, 'Escalated To')).toEqual([{ escalatedTo: second, callId: expect.any(String) }]);
			expect(run.data.resultData.runData['Call Person']).toHaveLength(2);
			expect(run.data.resultData.runData['Nobody Answered']).toBeUndefined();
			const [first] = await sandbox.control.callsTo(busy);
			const [answered] = await sandbox.control.callsTo(second);
			expect(first.events[0]).toMatchObject({ action: 'speak', text: 'Payments are failing' });
			expect(answered.status).toBe('ended');
			expect(answered.spokenText).toContain('Payments are failing');
			expect(jsonOf(run, 'Escalated To')[0].callId).toBe(answered.id);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('sign-up in one execution: start answers at once with the validation and the execution waits; a wrong PIN leaves it waiting, the right one makes CheckMobi\'s callback resume it into Create Account', async () => {
		await withN8nLog(n8n, async () => {
			const post = async (path: string, body: unknown) => {
				const response = await n8n.callWebhook(path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...withKey } });
				expect(response.status).toBe(200);
				return (await response.json()) as Record<string, unknown>;
			};
			const phone = '+40745100002';
			const before = await executionIdsOf(EX.signup);
			const started = await post('checkmobi-signup/start', { phone, method: 'sms', ip: '203.0.113.7' });
			// When Last Node Finishes: n8n answered once the execution waited, with the waiting node's item.
			expect(started).toEqual(expect.objectContaining({ id: expect.stringMatching(/^SMS-/), type: 'sms', status: 'waiting', validated: false }));
			expect(JSON.stringify(started)).not.toContain(WEBHOOK_KEY);
			const validationId = started.id as string;
			const executionId = await startedSince(EX.signup, before);
			expect((await executionWhen(n8n, executionId, (e) => !['new', 'running'].includes(e.status))).status).toBe('waiting');
			// The user's IP, as the back end passed it, went to CheckMobi as Client IP.
			expect((await sandbox.control.validation(validationId)).clientIp).toBe('203.0.113.7');
			const pin = await sandbox.control.lastPin(phone);
			expect(pin).toMatch(/^\d{4}$/);
			const wrong = pin === '0000' ? '1111' : '0000';
			expect(await post('checkmobi-signup/verify', { validationId, pin: wrong })).toEqual({ validated: false, number: phone });
			// CheckMobi calls back only for a completed validation: the sign-up still waits, no account.
			const afterWrong = await n8n.getExecution(executionId, true);
			expect(afterWrong.status).toBe('waiting');
			expect(runOf(afterWrong).data.resultData.runData['Create Account']).toBeUndefined();
			expect(await sandbox.control.callbacks({ kind: 'validation', objectId: validationId })).toEqual([]);

			expect(await post('checkmobi-signup/verify', { validationId, pin })).toEqual({ validated: true, number: phone });
			const done = await executionWhen(n8n, executionId, (e) => !['new', 'running', 'waiting'].includes(e.status));
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Create Account')).toEqual([{ number: phone, validationId, verifiedAt: expect.any(String) }]);
			expect(runOf(done).data.resultData.runData['Sign-Up Expired']).toBeUndefined();
			// What resumed it: CheckMobi's signed callback to this execution's resume URL, accepted once.
			const [completed, ...more] = await sandbox.control.callbacks({ kind: 'validation', objectId: validationId });
			expect(more).toEqual([]);
			expect(completed.url).toContain(`/webhook-waiting/${executionId}/`);
			expect(completed.attempts.map((a) => a.status)).toEqual([200]);

			const missedCall = await post('checkmobi-signup/start', { phone: '+447700900124', method: 'missed_call' });
			expect(missedCall).toMatchObject({ id: expect.stringMatching(/^RCL-/), type: 'reverse_cli', cli_prefix: expect.any(String), status: 'waiting', validated: false });
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('sign-up: nobody verifies within the Limit Wait Time, so the execution ends at Sign-Up Expired, without an account', async () => {
		// The example's own limit, which this copy shortens.
		const request = exampleById(examples, EX.signup).nodes.find((n) => n.name === 'Request Validation')!;
		expect(request.parameters).toMatchObject({
			operation: 'requestAndWaitForVerification',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 10, resumeUnit: 'minutes' } } },
		});
		await withN8nLog(n8n, async () => {
			const phone = '+40745100003';
			const before = await executionIdsOf(EXPIRING_SIGNUP.id);
			const response = await n8n.callWebhook(`${EXPIRING_SIGNUP.path}/start`, { body: JSON.stringify({ phone, method: 'sms' }), headers: { 'content-type': 'application/json', ...withKey } });
			expect(response.status).toBe(200);
			const started = (await response.json()) as Record<string, unknown>;
			expect(started).toMatchObject({ id: expect.stringMatching(/^SMS-/), status: 'waiting' });
			const executionId = await startedSince(EXPIRING_SIGNUP.id, before);
			const done = await executionWhen(n8n, executionId, (e) => !['new', 'running', 'waiting'].includes(e.status), LIMIT_SLACK_MS);
			expect(done.status).toBe('success');
			expect(jsonOf(runOf(done), 'Sign-Up Expired')).toEqual([{ phone, validationId: started.id, status: 'timeout' }]);
			expect(runOf(done).data.resultData.runData['Create Account']).toBeUndefined();
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('bad input answers 400 with the node\'s own message, a CheckMobi failure 502 with what failed; a sign-up start says the same with status failed; nothing is sent for either', async () => {
		await withN8nLog(n8n, async () => {
			const call = async (path: string, body: unknown) => {
				const response = await n8n.callWebhook(path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...withKey } });
				return { status: response.status, json: (await response.json()) as Record<string, unknown> };
			};
			const signupsBefore = await executionIdsOf(EX.signup);
			const sentBefore = (await sandbox.control.requests({ method: 'POST', path: '/validation/request' })).entries.length;
			// The start answers when its execution waits (When Last Node Finishes), so always with the
			// Webhook's one status, 200: a start that fails says so in its body and does not wait.
			const notANumber = await call('checkmobi-signup/start', { phone: 'not a number', method: 'sms' });
			expect(notANumber).toEqual({
				status: 200,
				json: { status: 'failed', error: expect.stringMatching(/phone number.*\[item 0\]/i), fix: expect.stringContaining('+40745123456'), code: null, cause: 'input' },
			});
			expect((await sandbox.control.requests({ method: 'POST', path: '/validation/request' })).entries.length).toBe(sentBefore);

			// CheckMobi's own 404 about the caller's data (an unknown validation id) is the caller's to fix: 400.
			const unknown = await call('checkmobi-signup/verify', { validationId: 'SMS-00000000-0000-4000-8000-000000000000', pin: '1234' });
			expect(unknown).toEqual({ status: 400, json: { error: expect.stringMatching(/^CheckMobi error 3: /), fix: expect.any(String), code: 3 } });
			await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/validation/verify', count: 1 });
			const verifyFailed = await call('checkmobi-signup/verify', { validationId: 'SMS-00000000-0000-4000-8000-000000000000', pin: '1234' });
			expect(verifyFailed).toEqual({ status: 502, json: { error: expect.stringMatching(/HTTP 500/), fix: expect.any(String), code: null } });

			await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/validation/request', count: 1 });
			const failed = await call('checkmobi-signup/start', { phone: '+40745100011', method: 'sms' });
			expect(failed).toEqual({ status: 200, json: { status: 'failed', error: expect.stringMatching(/HTTP 500/), fix: expect.stringMatching(/not repeated/), code: null, cause: 'checkmobi' } });
			// Every sign-up execution these calls started has ended; none waits.
			const signups = (await n8n.listExecutions(EX.signup)).map((e) => String(e.id)).filter((id) => !signupsBefore.has(id));
			const ended = await Promise.all(signups.map(async (id) => (await executionWhen(n8n, id, (e) => !['new', 'running'].includes(e.status))).status));
			expect(ended).toEqual(['success', 'success', 'success', 'success']);

			const noNumber = await call('checkmobi-call', { text: '' });
			expect(noNumber.status).toBe(400);
			expect(noNumber.json.error).toMatch(/\[item 0\]/);
			await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/call', count: 1 });
			const callFailed = await call('checkmobi-call', { to: '+40745400009', text: 'Disk full' });
			expect(callFailed).toEqual({ status: 502, json: { error: expect.stringMatching(/HTTP 500/), fix: expect.any(String), code: null } });
			// Neither answer carries the request's headers (the webhook key) back.
			expect(JSON.stringify([notANumber, unknown, verifyFailed, failed, noNumber, callFailed])).not.toContain(WEBHOOK_KEY);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('chat-ops: a JSON command or a Slack-style form command places the call and answers with its id', async () => {
		await withN8nLog(n8n, async () => {
			const json = await n8n.callWebhook('checkmobi-call', {
				body: JSON.stringify({ to: '+40745400002', text: 'Disk full on web-2' }),
				headers: { 'content-type': 'application/json', ...withKey },
			});
			expect(json.status).toBe(200);
			const reply = (await json.json()) as { text: string; callId: string };
			expect(reply.text).toBe(`Calling +40745400002 (call ${reply.callId}).`);
			expect((await sandbox.control.call(reply.callId)).events[0]).toMatchObject({ action: 'speak', text: 'Disk full on web-2' });

			const form = await n8n.callWebhook('checkmobi-call', {
				body: new URLSearchParams({ command: '/call', text: '+40745400003 Queue is stuck' }).toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded', ...withKey },
			});
			expect(form.status).toBe(200);
			const formReply = (await form.json()) as { callId: string };
			const call = await sandbox.control.call(formReply.callId);
			expect([call.to, call.events[0].text]).toEqual(['+40745400003', 'Queue is stuck']);
			// The callee answers, hears the text, and the call ends.
			await sandbox.control.advance({ settle: true });
			const ended = await sandbox.control.call(formReply.callId);
			expect(ended.status).toBe('ended');
			expect(ended.spokenText).toContain('Queue is stuck');
		});
	}, N8N_STEP_TIMEOUT_MS);
});

describe('the curl lines npm run dev prints work as printed', () => {
	/** Runs a printed line in a shell (real curl), asking curl only to add the status after the body. */
	async function runPrinted(line: string): Promise<{ status: number; json: Record<string, unknown> }> {
		const { stdout } = await execFileAsync('bash', ['-c', `${line} --silent --show-error --write-out '\\n%{http_code}'`], { timeout: 60_000 });
		const cut = stdout.lastIndexOf('\n');
		return { status: Number(stdout.slice(cut + 1)), json: JSON.parse(stdout.slice(0, cut)) as Record<string, unknown> };
	}

	it('sign-up start, the inbox, sign-up verify and chat-ops: each answers 200 and does its work', async () => {
		await withN8nLog(n8n, async () => {
			const lines = new Map(
				examples.flatMap(({ workflow }) => productionWebhooks(workflow))
					.filter((hook) => hook.sampleBody)
					.map((hook) => [hook.path, { hook, line: webhookCurl(n8n.webhookUrl(hook.path), hook, WEBHOOK_KEY) }]),
			);
			expect([...lines.keys()].sort()).toEqual(['checkmobi-call', 'checkmobi-escalate', 'checkmobi-signup/start', 'checkmobi-signup/verify']);

			const start = lines.get('checkmobi-signup/start')!;
			const signupsBefore = await executionIdsOf(EX.signup);
			const started = await runPrinted(start.line);
			expect(started).toEqual({ status: 200, json: expect.objectContaining({ id: expect.stringMatching(/^SMS-/), type: 'sms', status: 'waiting' }) });
			const signupId = await startedSince(EX.signup, signupsBefore);
			const phone = String(start.hook.sampleBody!.phone);
			expect(await sandbox.control.validation(started.json.id as string)).toMatchObject({ number: phone, clientIp: start.hook.sampleBody!.ip });

			const inbox = await runPrinted(inboxCurl(sandbox, phone));
			expect(inbox.status).toBe(200);
			expect(inbox.json.lastPin).toMatch(/^\d{4}$/);

			const verify = lines.get('checkmobi-signup/verify')!.line
				.replace(SAMPLE_PLACEHOLDERS.validationId, started.json.id as string)
				.replace(SAMPLE_PLACEHOLDERS.pin, inbox.json.lastPin as string);
			expect(await runPrinted(verify)).toEqual({ status: 200, json: { validated: true, number: phone } });
			const signedUp = await executionWhen(n8n, signupId, (e) => !['new', 'running', 'waiting'].includes(e.status));
			expect(jsonOf(runOf(signedUp), 'Create Account')).toEqual([expect.objectContaining({ number: phone })]);

			const call = lines.get('checkmobi-call')!;
			const called = await runPrinted(call.line);
			expect(called.status).toBe(200);
			const placed = await sandbox.control.call(called.json.callId as string);
			expect([placed.to, placed.events[0].text]).toEqual([call.hook.sampleBody!.to, call.hook.sampleBody!.text]);

			const pagedBefore = await executionIdsOf(EX.escalation);
			expect(await runPrinted(lines.get('checkmobi-escalate')!.line)).toEqual({ status: 200, json: { escalating: true } });
			expect(jsonOf(runOf(await escalationFinished(pagedBefore)), 'Escalated To')).toEqual([expect.objectContaining({ escalatedTo: '+40745400010' })]);
		});
	}, N8N_STEP_TIMEOUT_MS);
});

describe('the examples\' webhooks want their key', () => {
	it('without it, or with a wrong one, every webhook answers 403, starts nothing and sends nothing', async () => {
		await withN8nLog(n8n, async () => {
			const before = (await sandbox.control.requests()).lastSeq;
			const executionsBefore = await Promise.all([EX.signup, EX.chatOps, EX.escalation].map(async (id) => (await n8n.listExecutions(id)).length));
			const calls: Array<[string, Record<string, unknown>]> = [
				['checkmobi-signup/start', { phone: '+40745100009', method: 'sms' }],
				['checkmobi-signup/verify', { validationId: 'SMS-00000000-0000-4000-8000-000000000000', pin: '1234' }],
				['checkmobi-call', { to: '+40745400009', text: 'Call me, I am a stranger' }],
				['checkmobi-escalate', { people: ['+40745400009'], text: 'Call me, I am a stranger' }],
			];
			for (const [path, body] of calls) {
				const keys: Array<Record<string, string>> = [{}, { [WEBHOOK_KEY_HEADER]: 'guess' }, { [WEBHOOK_KEY_HEADER]: WEBHOOK_KEY.toUpperCase() }];
				for (const key of keys) {
					const response = await n8n.callWebhook(path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...key } });
					expect({ path, key, status: response.status }).toEqual({ path, key, status: 403 });
				}
			}
			expect((await sandbox.control.requests({ since: before })).entries).toEqual([]);
			expect(await Promise.all([EX.signup, EX.chatOps, EX.escalation].map(async (id) => (await n8n.listExecutions(id)).length))).toEqual(executionsBefore);
		});
	}, N8N_STEP_TIMEOUT_MS);
});

describe('signed callbacks from the sandbox start exactly the expected executions', () => {
	it('bulk HLR: results in three batches, three executions of the results workflow, one row update per number', async () => {
		await withN8nLog(n8n, async () => {
			await sandbox.control.advance({ settle: true });
			const bulks = await sandbox.control.bulks();
			expect(bulks).toHaveLength(1);
			expect(bulks[0]).toMatchObject({ method: 'hlr', accepted: 6, batches: 3, batchesDone: 3, notificationCallback: triggerUrl(EX.hlrResults) });
			const callbacks = await sandbox.control.callbacks({ kind: 'lookup', url: triggerUrl(EX.hlrResults) });
			expect(callbacks.map((c) => [c.state, c.attempts.map((a) => a.status)])).toEqual([
				['delivered', [200]],
				['delivered', [200]],
				['delivered', [200]],
			]);

			await waitForModeExecutions(n8n, EX.hlrResults, 'webhook', 3);
			const executions = await executionsWithData(n8n, EX.hlrResults, 'webhook');
			expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
			expect(triggerItems(executions, 'HLR Results').map((items) => items.length)).toEqual([2, 2, 2]);
			const updates = executions.flatMap((e) => jsonOf(runOf(e), 'Update Customer Row'));
			const byPhone = Object.fromEntries(updates.map((u) => [u.phone, [u.line_status, u.ported]]));
			expect(byPhone).toEqual({
				'+40745200001': ['active', false],
				'+40745999901': ['phone_off', false],
				'+40745999905': ['disconnected', null],
				'+40745999906': ['active', true],
				'+447700900456': ['active', false],
				'+14155550123': ['active', false],
			});
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('SMS status: every status callback starts one execution of the tracking branch, with the order from its URL', async () => {
		await withN8nLog(n8n, async () => {
			await sandbox.control.advance({ settle: true });
			const callbacks = await callbacksTo(triggerUrl(EX.smsTracking), 'sms');
			const statuses = callbacks.map((c) => `${(c.json as { to: string }).to} ${(c.json as { status: string }).status}`);
			expect(statuses.sort()).toEqual(['+40745300001 delivered', '+40745300001 sent', '+40745999911 sent', '+40745999911 undelivered']);
			expect(callbacks.every((c) => c.state === 'delivered' && c.attempts.length === 1)).toBe(true);

			await waitForModeExecutions(n8n, EX.smsTracking, 'webhook', callbacks.length);
			const executions = await executionsWithData(n8n, EX.smsTracking, 'webhook');
			const tracked = executions.map((e) => jsonOf(runOf(e), 'Track Delivery'));
			expect(tracked.every((items) => items.length === 1)).toBe(true);
			expect(tracked.map(([t]) => `${String(t.to)} ${String(t.status)}`).sort()).toEqual(statuses.sort());
			// The trigger's own final, delivered and query (the order put on the callback URL), taken as they come.
			expect(tracked.map(([t]) => `${String(t.orderId)} ${String(t.status)} ${String(t.final)} ${String(t.delivered)}`).sort()).toEqual([
				'A-1001 delivered true true',
				'A-1001 sent false false',
				'A-1002 sent false false',
				'A-1002 undelivered true false',
			]);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('validation completed and call status: one execution per callback, with the event type', async () => {
		await withN8nLog(n8n, async () => {
			const senders = ran(CALLBACK_SENDERS_WORKFLOW_ID);
			const [validation] = jsonOf(senders, 'Request Validation');
			const [call] = jsonOf(senders, 'Place Call');
			// The user types the right PIN into the app; the call rings, is answered and ends.
			expect((await sandbox.control.verifyAsUser(validation.id as string)).body).toMatchObject({ validated: true });
			await sandbox.control.advance({ settle: true });
			const callbacks = await sandbox.control.callbacks({ url: allEventsUrl });
			expect(callbacks.map((c) => `${c.kind} ${c.state}`).sort()).toEqual(['call delivered', 'call delivered', 'call delivered', 'validation delivered']);

			await waitForModeExecutions(n8n, ALL_EVENTS_WORKFLOW_ID, 'webhook', 4);
			const items = triggerItems(await executionsWithData(n8n, ALL_EVENTS_WORKFLOW_ID, 'webhook'), ALL_EVENTS_TRIGGER);
			// One item per execution; the call's events in the order they happened.
			expect(items.every((list) => list.length === 1)).toBe(true);
			const events = items.map(([item]) => item);
			expect(events.filter((e) => e.event_type === 'call.status').map((e) => [e.id, e.to, e.event, e.answered])).toEqual([
				[call.id, SENDERS.call, 'ringing', false],
				[call.id, SENDERS.call, 'answer', true],
				[call.id, SENDERS.call, 'hangup', true],
			]);
			expect(events.filter((e) => e.event_type === 'validation.completed')).toEqual([
				expect.objectContaining({ validation_id: validation.id, key: validation.id, number: SENDERS.validation }),
			]);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('an unsigned, forged or secret-key-signed callback gets 401 and starts nothing', async () => {
		await withN8nLog(n8n, async () => {
			const before = await webhookExecutionIds(ALL_EVENTS_WORKFLOW_ID);
			const payload = { id: `MSG-${randomUUID().toUpperCase()}`, to: '+40745700001', description: 'RO - Orange', status: 'delivered' };
			const refused = [
				await sandbox.control.sendCallback({ url: allEventsUrl, json: payload, sign: 'none' }),
				await sandbox.control.sendCallback({ url: allEventsUrl, json: payload, sign: 'key', key: 'not-the-signature-key' }),
				await sandbox.control.sendCallback({ url: allEventsUrl, json: payload, sign: 'secretKey' }),
				// The right signature of the original body, but the body was changed on the way.
				await sandbox.control.sendCallback({
					url: allEventsUrl,
					body: JSON.stringify({ ...payload, status: 'failed' }),
					signature: createHmac('sha256', sandbox.signatureKey).update(JSON.stringify(payload)).digest('hex'),
				}),
			];
			expect(refused.map((d) => d.attempts.map((a) => a.status))).toEqual([[401], [401], [401], [401]]);

			const sentinel = await deliverSentinel(allEventsUrl);
			const after = await waitForModeExecutions(n8n, ALL_EVENTS_WORKFLOW_ID, 'webhook', before.length + 1);
			const started = after.filter((e) => !before.includes(String(e.id)));
			expect(started).toHaveLength(1);
			expect(jsonOf(runOf(await n8n.getExecution(started[0].id, true)), ALL_EVENTS_TRIGGER)[0].id).toBe((JSON.parse(sentinel.body) as { id: string }).id);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('a repeated delivery (the same bytes, same signature, resent) is acknowledged and starts nothing', async () => {
		await withN8nLog(n8n, async () => {
			const [original] = await callbacksTo(triggerUrl(EX.smsTracking), 'sms');
			const before = await webhookExecutionIds(EX.smsTracking);
			const resent = await sandbox.control.resendCallback(original.seq);
			expect(resent.body).toBe(original.body);
			expect(resent.attempts.map((a) => [a.status, a.responseBody])).toEqual([[200, JSON.stringify({ ignored: 'repeated delivery' })]]);

			await deliverSentinel(triggerUrl(EX.smsTracking));
			const after = await waitForModeExecutions(n8n, EX.smsTracking, 'webhook', before.length + 1);
			expect(after.filter((e) => !before.includes(String(e.id)))).toHaveLength(1);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('a delivery whose 200 got lost is sent again by CheckMobi and runs once', async () => {
		const proxy = await startForwardingProxy(allEventsUrl, 1);
		try {
			await withN8nLog(n8n, async () => {
				const before = await webhookExecutionIds(ALL_EVENTS_WORKFLOW_ID);
				const payload = { id: `CAL-${randomUUID().toUpperCase()}`, from: '+12025550123', to: '+40745700002', description: 'RO - Orange', event: 'hangup', duration_billed: 60 };
				const delivery = await sandbox.control.sendCallback({ url: proxy.url, json: payload, sign: 'signatureKey', retry: true });
				// The sandbox saw 500 and retried; n8n got the same delivery twice and accepted it once.
				expect(delivery.attempts.map((a) => a.status)).toEqual([500, 200]);
				expect(proxy.upstream).toEqual([200, 200]);
				expect(delivery.attempts[1].responseBody).toBe(JSON.stringify({ ignored: 'repeated delivery' }));

				await deliverSentinel(allEventsUrl);
				const after = await waitForModeExecutions(n8n, ALL_EVENTS_WORKFLOW_ID, 'webhook', before.length + 2);
				const started = await Promise.all(after.filter((e) => !before.includes(String(e.id))).map(async (e) => await n8n.getExecution(e.id, true)));
				expect(started.map((e) => jsonOf(runOf(e), ALL_EVENTS_TRIGGER)[0].event_type)).toEqual(['call.status', 'sms.status']);
			});
		} finally {
			await proxy.close();
		}
	}, N8N_STEP_TIMEOUT_MS);

	it('a kind of callback a trigger does not take is acknowledged and starts nothing', async () => {
		await withN8nLog(n8n, async () => {
			const before = await webhookExecutionIds(EX.hlrResults);
			const smsStatus = await sandbox.control.sendCallback({
				url: triggerUrl(EX.hlrResults),
				json: { id: `MSG-${randomUUID().toUpperCase()}`, to: '+40745700003', description: 'RO - Orange', status: 'sent' },
				sign: 'signatureKey',
			});
			expect(smsStatus.attempts.map((a) => [a.status, a.responseBody])).toEqual([[200, JSON.stringify({ ignored: 'event sms.status not selected' })]]);
			const batchOfOne = await sandbox.control.sendCallback({
				url: triggerUrl(EX.hlrResults),
				json: { lookup_method: 'hlr', error: null, results: [{ id: randomUUID(), original_msisdn: '+40745700004', phone_number: '+40745700004', reachable: 'absent', is_ported: false }] },
				sign: 'signatureKey',
			});
			expect(batchOfOne.attempts.map((a) => a.status)).toEqual([200]);
			const after = await waitForModeExecutions(n8n, EX.hlrResults, 'webhook', before.length + 1);
			const started = after.filter((e) => !before.includes(String(e.id)));
			expect(started).toHaveLength(1);
			expect(jsonOf(runOf(await n8n.getExecution(started[0].id, true)), 'Update Customer Row')).toEqual([
				expect.objectContaining({ phone: '+40745700004', line_status: 'phone_off' }),
			]);
		});
	}, N8N_STEP_TIMEOUT_MS);
});

describe('while the editor listens for a test event (its listening state driven through n8n\'s REST API)', () => {
	const testUrl = () => `${n8n.baseUrl}/webhook-test/${ALL_EVENTS_WEBHOOK_ID}/webhook`;
	/** What the editor's "Execute workflow" does for a workflow whose trigger waits for a call. */
	const listen = async (pushRef?: string) =>
		expect(
			await n8n.rest('POST', `/workflows/${ALL_EVENTS_WORKFLOW_ID}/run`, { triggerToStartFrom: { name: ALL_EVENTS_TRIGGER } }, pushRef ? { 'push-ref': pushRef } : {}),
		).toEqual({ waitingForWebhook: true });
	const executionIds = async (mode: string) => (await n8n.listExecutions(ALL_EVENTS_WORKFLOW_ID)).filter((e) => e.mode === mode).map((e) => String(e.id));
	/**
	 * Every production (webhook) execution since `before`, whatever its status, as its status and
	 * the id of the callback its trigger put out (none for a run that failed before that). Read once
	 * the run of callback `last` is there and none is still running (other callbacks, e.g. of the
	 * senders' call, may arrive meanwhile).
	 */
	const productionRunsSince = async (before: string[], last: string): Promise<Array<{ status: string; callback: unknown }>> => {
		for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 250))) {
			const runs = (await executionsWithData(n8n, ALL_EVENTS_WORKFLOW_ID, 'webhook')).filter((e) => !before.includes(String(e.id)));
			const seen = runs.map((e) => ({ status: e.status, callback: e.data?.resultData.runData[ALL_EVENTS_TRIGGER]?.[0]?.data?.main?.[0]?.[0]?.json.id }));
			const running = seen.some(({ status }) => ['new', 'running'].includes(status));
			if (!running && seen.some(({ callback }) => callback === last)) return seen;
			if (Date.now() > deadline) throw new Error(`no finished production run of callback ${last} after 60 s (runs: ${JSON.stringify(seen)})`);
		}
	};

	it('a forged callback to the Production URL, then a refused one to the Test URL: 401 each; the test run fails on the trigger with the reason, no production execution of any status starts', async () => {
		await withN8nLog(n8n, async () => {
			const webhookBefore = await executionIds('webhook');
			const manualBefore = await executionIds('manual');
			const pushRef = `e2e-${randomUUID()}`;
			const editor = await openEditorPush(n8n, pushRef);
			await listen(pushRef);
			// A stranger who found the Production URL posts a forged callback while the editor listens:
			// refused, and it neither starts an execution nor ends the editor's listening.
			const forgedPayload = { id: `MSG-${randomUUID().toUpperCase()}`, to: '+40745700007', description: 'RO - Orange', status: 'delivered' };
			const forged = await sandbox.control.sendCallback({ url: allEventsUrl, json: forgedPayload, sign: 'key', key: 'not-the-signature-key' });
			expect(forged.attempts.map((a) => [a.status, JSON.parse(a.responseBody ?? 'null') as unknown])).toEqual([
				[401, { code: 401, message: expect.stringContaining('does not match the body and the signature key') }],
			]);
			expect(await executionIds('manual')).toEqual(manualBefore);
			const payload = { id: `MSG-${randomUUID().toUpperCase()}`, to: '+40745700005', description: 'RO - Orange', status: 'delivered' };
			const refused = await sandbox.control.sendCallback({ url: testUrl(), json: payload, sign: 'key', key: 'not-the-signature-key' });
			expect(refused.attempts.map((a) => [a.status, JSON.parse(a.responseBody ?? 'null') as unknown])).toEqual([
				[401, { code: 401, message: expect.stringContaining('does not match the body and the signature key') }],
			]);

			// n8n records the test run the editor was waiting for: failed on the trigger, saying why and what to do.
			const manual = await waitForModeExecutions(n8n, ALL_EVENTS_WORKFLOW_ID, 'manual', manualBefore.length + 1);
			const started = manual.filter((e) => !manualBefore.includes(String(e.id)));
			expect(started.map((e) => e.status)).toEqual(['error']);
			const [task] = runOf(await n8n.getExecution(started[0].id, true)).data.resultData.runData[ALL_EVENTS_TRIGGER];
			expect(task.error).toMatchObject({
				message: expect.stringMatching(/^Callback refused \(HTTP 401\): Signature invalid: /),
				description: expect.stringContaining('Signature Key of the CheckMobi API credentials'),
			});
			expect(task.data).toBeUndefined();
			expect(JSON.stringify(task.error)).not.toContain(sandbox.signatureKey);
			// What the listening editor is told: the test event arrived, then the run ended in that error.
			const received = await editor.waitFor('testWebhookReceived');
			const finished = await editor.waitFor('executionFinished');
			editor.close();
			expect(received.data).toMatchObject({ workflowId: ALL_EVENTS_WORKFLOW_ID, executionId: String(started[0].id) });
			expect(finished.data).toMatchObject({ executionId: String(started[0].id), status: 'error' });
			// The editor stopped listening (the test URL is gone until it listens again), and neither
			// callback started a production run: every one since is a genuine callback's, and succeeded.
			const again = await sandbox.control.sendCallback({ url: testUrl(), json: payload, sign: 'signatureKey' });
			expect(again.attempts.map((a) => a.status)).toEqual([404]);
			const sentinel = await deliverSentinel(allEventsUrl);
			const production = await productionRunsSince(webhookBefore, (JSON.parse(sentinel.body) as { id: string }).id);
			expect(production.filter(({ status, callback }) => status !== 'success' || typeof callback !== 'string')).toEqual([]);
			const callbacks = production.map(({ callback }) => callback);
			expect(callbacks).not.toContain(payload.id);
			expect(callbacks).not.toContain(forgedPayload.id);
		});
	}, N8N_STEP_TIMEOUT_MS);

	it('a signed callback starts the test run, its URL\'s query parameters on the item', async () => {
		await withN8nLog(n8n, async () => {
			const manualBefore = await executionIds('manual');
			await listen();
			const payload = { id: `CAL-${randomUUID().toUpperCase()}`, from: '+12025550123', to: '+40745700006', description: 'RO - Orange', event: 'hangup', duration_billed: 0 };
			const accepted = await sandbox.control.sendCallback({ url: `${testUrl()}?ticket=OPS-7&tag=a&tag=b`, json: payload, sign: 'signatureKey' });
			expect(accepted.attempts.map((a) => a.status)).toEqual([200]);
			const manual = await waitForModeExecutions(n8n, ALL_EVENTS_WORKFLOW_ID, 'manual', manualBefore.length + 1);
			const started = manual.filter((e) => !manualBefore.includes(String(e.id)));
			expect(started.map((e) => e.status)).toEqual(['success']);
			expect(jsonOf(runOf(await n8n.getExecution(started[0].id, true)), ALL_EVENTS_TRIGGER)).toEqual([
				{
					event_type: 'call.status',
					...payload,
					answered: false,
					query: { ticket: 'OPS-7', tag: ['a', 'b'] },
					delivery_id: expectedDeliveryId(accepted.body),
				},
			]);
		});
	}, N8N_STEP_TIMEOUT_MS);
});
