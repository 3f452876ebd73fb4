/**
 * Send and wait in n8n's queue mode (main, worker and webhook process; PostgreSQL and Redis): a
 * webhook starts the workflow, a worker sends the SMS and saves the execution as waiting; the
 * signed delivery reports go to the **webhook process** (what a queue set-up routes
 * /webhook-waiting/* to), which runs the resume handler and enqueues the resumption; the worker
 * finishes the execution.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { startSandbox, type Sandbox } from '../../sandbox';
import { exampleCredentials } from '../../scripts/lib/examples';
import { chain, N8nInstance, provisionN8n, webhookNode, workflow } from '../../scripts/lib/n8n';
import { queueEnv, startN8nProcess, startQueueBackends, type N8nProcess, type QueueBackends } from '../../scripts/lib/queue';
import { executionWhen, jsonOf, N8N_STEP_TIMEOUT_MS, PROVISION_TIMEOUT_MS, runOf, Timings, withN8nLog } from './support';
import { checkMobi, set } from './workflows';

const timings = new Timings();
const WAIT = { id: 'e2eQueueWaitSms1', path: 'e2e-queue-wait-sms' } as const;
let sandbox: Sandbox;
let backends: QueueBackends | undefined;
let main: N8nInstance;
const processes: N8nProcess[] = [];

beforeAll(async () => {
	const runtime = await timings.time('provision (or reuse)', async () => await provisionN8n());
	sandbox = await startSandbox({ port: 0, secretKey: randomUUID().toUpperCase(), signatureKey: randomUUID().toUpperCase(), config: { smsAutoProgress: false } });
	backends = await timings.time('PostgreSQL + Redis', async () => await startQueueBackends());
	main = await N8nInstance.create({ runtime, env: { ...queueEnv(backends), N8N_LOG_LEVEL: 'debug' } });
	await withN8nLog(main, async () => {
		await main.importCredentials(exampleCredentials(sandbox, randomUUID()));
		await main.importWorkflows(
			workflow({
				id: WAIT.id,
				name: 'e2e: queue send and wait',
				nodes: [
					webhookNode('Start', { path: WAIT.path }),
					checkMobi('Send and Wait', { resource: 'sms', operation: 'sendAndWaitForDelivery', to: '={{ $json.body.to }}', text: 'Your order shipped' }),
					set('After', [['seen', '={{ $json.status }}', 'string']]),
				],
				connections: chain('Start', 'Send and Wait', 'After'),
			}),
		);
		await timings.time('n8n main start', async () => await main.start());
		await main.activateWorkflow(WAIT.id);
		processes.push(await timings.time('n8n worker start', async () => await startN8nProcess(main, 'worker')));
		processes.push(await timings.time('n8n webhook process start', async () => await startN8nProcess(main, 'webhook')));
	});
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
	for (const p of processes.reverse()) await p.stop().catch(() => undefined);
	await main?.dispose().catch(() => undefined);
	await backends?.stop();
	await sandbox?.close();
	timings.report('e2e send and wait, queue mode');
}, 180_000);

test('the resume arrives through the webhook process and the worker finishes the execution', async () => {
	await withN8nLog(main, async () => {
		const [worker, webhookProcess] = processes;
		const to = '+40745100031';
		const response = await main.callWebhook(WAIT.path, { body: JSON.stringify({ to }), headers: { 'content-type': 'application/json' }, timeoutMs: 120_000 });
		expect(response.status).toBe(200);

		let executionId: string | undefined;
		const started = Date.now();
		while (!executionId) {
			executionId = (await main.listExecutions(WAIT.id)).map((e) => String(e.id))[0];
			if (!executionId && Date.now() - started > 120_000) throw new Error('no execution started');
			if (!executionId) await new Promise((r) => setTimeout(r, 250));
		}
		const waiting = await executionWhen(main, executionId, (e) => e.status !== 'new' && e.status !== 'running', 120_000);
		expect(waiting.status).toBe('waiting');

		const [sms] = await sandbox.control.smsTo(to);
		const resumeUrl = new URL(String(sms.notificationCallback));
		// The same path and token, at the webhook process.
		const viaWebhookProcess = `http://127.0.0.1:${webhookProcess.port}${resumeUrl.pathname}${resumeUrl.search}`;

		const forged = await sandbox.control.sendCallback({ url: viaWebhookProcess, json: { id: sms.id, status: 'delivered' }, sign: 'key', key: 'not-the-signature-key' });
		expect(forged.attempts.map((a) => a.status)).toEqual([401]);
		const sent = await sandbox.control.sendCallback({ url: viaWebhookProcess, json: { id: sms.id, to, status: 'sent' } });
		expect(sent.attempts.map((a) => a.status)).toEqual([200]);
		expect((await main.getExecution(executionId)).status).toBe('waiting');

		const delivered = await sandbox.control.sendCallback({ url: viaWebhookProcess, json: { id: sms.id, to, status: 'delivered', charged_amount: 0.05, units: 1 } });
		expect(delivered.attempts.map((a) => a.status)).toEqual([200]);
		const done = await executionWhen(main, executionId, (e) => e.status !== 'waiting' && e.status !== 'running' && e.status !== 'new', 120_000);
		expect(done.status).toBe('success');
		expect(jsonOf(runOf(done), 'Send and Wait')).toEqual([expect.objectContaining({ id: sms.id, status: 'delivered', delivered: true, charged_amount: 0.05 })]);
		expect(jsonOf(runOf(done), 'After')).toEqual([expect.objectContaining({ seen: 'delivered' })]);

		// The webhook process took the callback and queued the resumption; the worker ran it.
		expect(readFileSync(webhookProcess.logFile, 'utf8')).toMatch(new RegExp(`Enqueued execution ${executionId}\\b`));
		expect(readFileSync(worker.logFile, 'utf8')).toMatch(new RegExp(`Worker started execution ${executionId}\\b`));
		expect(await sandbox.control.smsTo(to)).toHaveLength(1);
	});
}, N8N_STEP_TIMEOUT_MS);
