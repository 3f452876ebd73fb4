/**
 * Load, real n8n (regular mode, SQLite): 1,000 signed callbacks at a concurrency of 50 into a
 * published CheckMobi Trigger workflow give exactly 1,000 executions; 100 of them sent again
 * (as CheckMobi retries a callback it thinks was lost) still leave 1,000.
 */
import { randomUUID } from 'node:crypto';

import { checkMobiCredential, tail, type N8nInstance } from '../../scripts/lib/n8n';
import { percentile, recordFigures, sendAll, settleCount, signedDeliveries, triggerPath, startN8nWithPackage, triggerWorkflow } from './common';

const CALLBACKS = Number(process.env.LOAD_CALLBACKS ?? 1000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const RESENT = Number(process.env.LOAD_RESENT ?? 100);
const SIGNATURE_KEY = `load-signature-${randomUUID()}`;

let n8n: N8nInstance;

beforeAll(async () => {
	// LOAD_PACKAGE_DIR: a built variant of the package to measure instead of this one.
	n8n = await startN8nWithPackage(process.env.LOAD_PACKAGE_DIR);
}, 30 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
}, 120_000);

test(`${CALLBACKS} signed callbacks at concurrency ${CONCURRENCY}: ${CALLBACKS} executions; ${RESENT} sent again: still ${CALLBACKS}`, async () => {
	const credential = checkMobiCredential({ id: 'loadCred00000001', secretKey: 'load-secret-key', signatureKey: SIGNATURE_KEY, baseUrl: 'http://127.0.0.1:9' });
	const webhookId = randomUUID();
	const wf = triggerWorkflow('loadTrigger00001', webhookId, { id: credential.id, name: credential.name });
	try {
		await n8n.importCredentials(credential);
		await n8n.importWorkflows(wf);
		await n8n.publishWorkflow(wf.id);
		await n8n.start();

		const deliveries = signedDeliveries(CALLBACKS, SIGNATURE_KEY);
		const path = triggerPath(webhookId);
		const first = await sendAll(deliveries, CONCURRENCY, async (d) => await n8n.callWebhook(path, { body: d.body, headers: d.headers, timeoutMs: 60_000 }));
		const countExecutions = async () => (await n8n.listExecutions(wf.id)).length;
		const afterFirst = await settleCount(countExecutions, { expected: first.accepted.length, quietMs: 3000, timeoutMs: 10 * 60_000 });
		const staticWf = await n8n.publicApi<{ staticData?: Record<string, { acceptedDeliveries?: unknown[] }> | null }>('GET', `/workflows/${wf.id}`);
		const remembered = staticWf.staticData?.['node:CheckMobi Trigger']?.acceptedDeliveries?.length ?? 0;

		// CheckMobi's retries: the same bytes, the same signature, 100 of them at the same concurrency.
		const resent = await sendAll(first.accepted.slice(0, RESENT).map((index) => deliveries[index]), CONCURRENCY, async (d) => await n8n.callWebhook(path, { body: d.body, headers: d.headers, timeoutMs: 60_000 }));
		const afterResend = await settleCount(countExecutions, { expected: afterFirst.value, quietMs: 5000, timeoutMs: 5 * 60_000, stallMs: 20_000 });

		const executions = await n8n.listExecutions(wf.id);
		const byStatus: Record<string, number> = {};
		for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
		recordFigures('trigger-regular', {
			mode: 'regular (one n8n process, SQLite)',
			callbacks: CALLBACKS,
			concurrency: CONCURRENCY,
			firstPass: { statuses: first.statuses, retried: first.retried, failedAttempts: first.failedAttempts, errors: first.errors.length, seconds: first.durationMs / 1000, p50Ms: percentile(first.latencies, 50), p99Ms: percentile(first.latencies, 99) },
			acceptedFirstPass: first.accepted.length,
			executionsAfterFirstPass: afterFirst.value,
			acceptedWithoutExecution: first.accepted.length - afterFirst.value,
			rememberedInStaticData: remembered,
			resent: RESENT,
			resendPass: { statuses: resent.statuses, retried: resent.retried, failedAttempts: resent.failedAttempts, errors: resent.errors.length, seconds: resent.durationMs / 1000 },
			executionsAfterResend: afterResend.value,
			ranTwice: afterResend.value - afterFirst.value,
			executionStatuses: byStatus,
		});

		expect(first.errors).toEqual([]);
		expect(first.statuses).toEqual({ 200: CALLBACKS });
		expect(afterFirst.value).toBe(CALLBACKS);
		expect(resent.errors).toEqual([]);
		expect(resent.statuses).toEqual({ 200: RESENT });
		expect(afterResend.value).toBe(CALLBACKS);
		expect(byStatus).toEqual({ success: CALLBACKS });
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(40)}\n--- cli:\n${tail(n8n.cliLogFile, 20)}`);
	}
}, 30 * 60_000);
