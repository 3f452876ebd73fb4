/**
 * The CheckMobi Trigger inside a real n8n (2.41.1) that is running, with the example workflows: the
 * sandbox's signed callbacks start exactly the executions they should, read back through n8n's
 * public API, and while the editor listens for a test event. The set-up (n8n, sandbox, the batch
 * whose sends make the callbacks) is in `./setup`.
 */
import { createHmac, randomUUID } from 'node:crypto';

import type { CallbackView } from '../../../sandbox/client';
import type { N8nExecution } from '../../../scripts/lib/n8n';
import { expectedDeliveryId } from '../../helpers/deliveryId';
import { executionsWithData, jsonOf, N8N_STEP_TIMEOUT_MS, openEditorPush, runOf, startForwardingProxy, waitForModeExecutions, withN8nLog } from '../support';
import { ALL_EVENTS_TRIGGER, ALL_EVENTS_WEBHOOK_ID, ALL_EVENTS_WORKFLOW_ID, CALLBACK_SENDERS_WORKFLOW_ID, SENDERS } from '../workflows';
import { allEventsUrl, EX, n8n, ran, sandbox, triggerUrl, useExamplesN8n } from './setup';

useExamplesN8n('e2e callbacks');

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
