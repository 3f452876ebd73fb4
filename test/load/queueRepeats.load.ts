/**
 * Load, real n8n in queue mode with TWO webhook processes (and a main process, a worker, Redis and
 * PostgreSQL): the README's recipe for repeats across processes
 * (examples/recipes/dedupe-across-processes.json: trigger → Claim Delivery, PostgreSQL
 * `INSERT … ON CONFLICT (delivery_id) DO NOTHING RETURNING`) holds. 1,000 signed callbacks spread
 * over both webhook processes, then 100 of them sent again, each to the other process: every one
 * of the 1,000 reaches the step after the claim once, none of the 100 repeats does, none is lost.
 * The step after the claim records what reached it in a table of its own, counted with psql.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { checkMobiCredential, type CredentialJson, type WorkflowJson } from '../../scripts/lib/n8n';
import { ensureQueuePackages, startN8nProcess } from '../../scripts/lib/queue';
import { expectedDeliveryId } from '../helpers/deliveryId';
import { postToWebhook, recordFigures, sendAll, settleCount, signedDeliveries, triggerPath } from './common';
import { useQueueMode } from './queueSetup';

const CALLBACKS = Number(process.env.LOAD_CALLBACKS ?? 1000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const RESENT = Number(process.env.LOAD_RESENT ?? 100);
const SIGNATURE_KEY = `queue-signature-${randomUUID()}`;
const RECIPE = join(__dirname, '..', '..', 'examples', 'recipes', 'dedupe-across-processes.json');

const queue = useQueueMode();
const { processes } = queue;

/** Runs SQL in the queue's PostgreSQL (the database n8n uses) and returns psql's unaligned output. */
function sql(query: string): string {
	const { postgres } = queue.backends();
	return execFileSync(
		join(ensureQueuePackages().pgBin, 'psql'),
		['-h', '127.0.0.1', '-p', String(postgres.port), '-U', postgres.user, '-w', '-v', 'ON_ERROR_STOP=1', '-tAc', query, postgres.database],
		{ env: { PATH: process.env.PATH, PGPASSWORD: postgres.password }, stdio: ['ignore', 'pipe', 'pipe'] },
	)
		.toString()
		.trim();
}

/** The recipe as shipped, with the credentials of this run and a last step that records what reached it. */
function recipeWorkflow(checkMobi: CredentialJson, postgres: CredentialJson, webhookId: string): WorkflowJson {
	const recipe = JSON.parse(readFileSync(RECIPE, 'utf8')) as WorkflowJson;
	const nodes = recipe.nodes.map((n) => {
		if (n.name === 'Delivery Reports') return { ...n, webhookId, credentials: { checkMobiApi: { id: checkMobi.id, name: checkMobi.name } } };
		if (n.name === 'Claim Delivery') return { ...n, credentials: { postgres: { id: postgres.id, name: postgres.name } } };
		if (n.name === 'Process Delivery') {
			return {
				...n,
				type: 'n8n-nodes-base.postgres',
				typeVersion: 2.6,
				parameters: {
					operation: 'executeQuery',
					query: 'INSERT INTO load_processed (delivery_id, message_id) VALUES ($1, $2)',
					options: { queryReplacement: "={{ [$('Delivery Reports').item.json.delivery_id, $('Delivery Reports').item.json.id] }}" },
				},
				credentials: { postgres: { id: postgres.id, name: postgres.name } },
			};
		}
		return n;
	});
	return { ...recipe, id: 'queueRecipe00001', nodes };
}

test(`queue mode, 2 webhook processes: ${CALLBACKS} callbacks over both, ${RESENT} re-sent to the other: the claim lets each through once`, async () => {
	const n8n = queue.main();
	const { postgres: pg } = queue.backends();
	try {
		// The recipe's table (its sticky note), and the table of what reached the step after the claim.
		sql('CREATE TABLE checkmobi_delivery (delivery_id text PRIMARY KEY, claimed_at timestamptz NOT NULL DEFAULT now())');
		sql('CREATE TABLE load_processed (delivery_id text NOT NULL, message_id text NOT NULL)');
		const checkMobi = checkMobiCredential({ id: 'queueCred0000002', secretKey: 'queue-secret-key', signatureKey: SIGNATURE_KEY, baseUrl: 'http://127.0.0.1:9' });
		const postgres: CredentialJson = {
			id: 'queuePgCred00001',
			name: "n8n's PostgreSQL",
			type: 'postgres',
			data: { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user, password: pg.password, ssl: 'disable' },
		};
		const webhookId = randomUUID();
		const wf = recipeWorkflow(checkMobi, postgres, webhookId);
		await n8n.importCredentials([checkMobi, postgres]);
		await n8n.importWorkflows(wf);
		await n8n.publishWorkflow(wf.id);
		await n8n.start();
		processes.push(await startN8nProcess(n8n, 'worker', ['--concurrency=10']));
		const webhooks = [await startN8nProcess(n8n, 'webhook', [], 'webhook-a'), await startN8nProcess(n8n, 'webhook', [], 'webhook-b')];
		processes.push(...webhooks);
		const bases = webhooks.map((w) => `http://127.0.0.1:${w.port}`);
		const path = triggerPath(webhookId);

		const deliveries = signedDeliveries(CALLBACKS, SIGNATURE_KEY);
		const countFinished = async () => (await n8n.listExecutions(wf.id)).filter((e) => !['new', 'running', 'waiting'].includes(e.status)).length;
		const processed = () => {
			const [rows, distinct] = sql('SELECT count(*), count(DISTINCT delivery_id) FROM load_processed').split('|').map(Number);
			return { rows, distinct };
		};

		// Delivery i goes to webhook process i % 2; its repeat to the other one.
		const first = await sendAll(deliveries, CONCURRENCY, async (d, i) => await postToWebhook(bases[i % 2], path, d));
		const afterFirst = await settleCount(countFinished, { expected: CALLBACKS, quietMs: 5000, timeoutMs: 15 * 60_000 });
		const processedFirst = processed();

		const again = first.accepted.slice(0, RESENT);
		const resent = await sendAll(
			again.map((i) => deliveries[i]),
			CONCURRENCY,
			async (d, k) => await postToWebhook(bases[(again[k] + 1) % 2], path, d),
		);
		const afterResent = await settleCount(countFinished, { expected: afterFirst.value, quietMs: 8000, timeoutMs: 5 * 60_000, stallMs: 20_000 });
		const processedAfter = processed();

		// Lost: answered 200 (CheckMobi sends it no more) but never reached the step after the claim.
		const reached = new Set(sql('SELECT delivery_id FROM load_processed').split('\n').filter(Boolean));
		const lost = first.accepted.filter((i) => !reached.has(expectedDeliveryId(deliveries[i].body))).length;
		const executions = await n8n.listExecutions(wf.id);
		const byStatus: Record<string, number> = {};
		for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
		recordFigures('trigger-queue-two-webhooks', {
			mode: 'queue (main + 1 worker --concurrency=10 + 2 webhook processes; Redis, PostgreSQL 15); recipe: Claim Delivery (INSERT … ON CONFLICT DO NOTHING RETURNING)',
			callbacks: CALLBACKS,
			concurrency: CONCURRENCY,
			firstPass: {
				statuses: first.statuses,
				retried: first.retried,
				failedAttempts: first.failedAttempts,
				errors: first.errors.slice(0, 5),
				seconds: first.durationMs / 1000,
			},
			executionsAfterFirstPass: afterFirst.value,
			reachedAfterClaim: processedFirst,
			resentToOtherProcess: {
				sent: RESENT,
				statuses: resent.statuses,
				// Executions the repeats started: the other process's trigger does not know them.
				passedTheTrigger: afterResent.value - afterFirst.value,
				reachedAfterClaim: processedAfter.rows - processedFirst.rows,
			},
			lost,
			executionStatuses: byStatus,
		});

		expect(first.statuses).toEqual({ 200: CALLBACKS });
		expect(processedFirst).toEqual({ rows: CALLBACKS, distinct: CALLBACKS });
		expect(resent.statuses).toEqual({ 200: RESENT });
		expect(processedAfter).toEqual({ rows: CALLBACKS, distinct: CALLBACKS });
		expect(lost).toBe(0);
		expect(byStatus).toEqual({ success: afterResent.value });
		expect(Number(sql('SELECT count(*) FROM checkmobi_delivery'))).toBe(CALLBACKS);
	} catch (error) {
		throw queue.withLogs(error);
	}
}, 45 * 60_000);
