/**
 * The example workflows inside a real n8n (2.41.1) that is running: they run headless from their
 * Manual Triggers (one `n8n execute-batch`), their webhooks answer (with their key only), and the
 * curl lines `npm run dev` prints work as printed. The set-up (n8n, sandbox, batch) is in `./setup`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { inboxCurl } from '../../../sandbox/curl';
import { exampleById, productionWebhooks, SAMPLE_PLACEHOLDERS, WEBHOOK_KEY_HEADER, webhookCurl } from '../../../scripts/lib/examples';
import type { N8nExecution } from '../../../scripts/lib/n8n';
import { executionWhen, jsonOf, N8N_STEP_TIMEOUT_MS, runOf, withN8nLog } from '../support';
import { batch, EX, examples, EXPIRING_SIGNUP, n8n, ran, sandbox, triggerUrl, useExamplesN8n, WEBHOOK_KEY, withKey } from './setup';

useExamplesN8n('e2e examples');

/** n8n's WaitTracker looks for expired waits once a minute: a limit ends up to ~60 s late. */
const LIMIT_SLACK_MS = 150_000;
const execFileAsync = promisify(execFile);

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
