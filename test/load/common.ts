/**
 * What the load runs share: signed callback bodies, a bounded-concurrency sender, the trigger
 * workflow, counting executions, and a results file the README's figures come from.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { CHECKMOBI_TRIGGER_TYPE, CHECKMOBI_TRIGGER_VERSION } from '../../scripts/lib/examples';
import { N8nInstance, node, provisionN8n, workflow, type NodeCredentialRef, type WorkflowJson } from '../../scripts/lib/n8n';


/** An SMS delivery report as CheckMobi sends it, distinct per index. */
export function smsStatusBody(index: number, runTag: string): string {
	const hex = index.toString(16).padStart(12, '0');
	return JSON.stringify({
		id: `MSG-${runTag}-0000-4000-8000-${hex}`.toUpperCase(),
		to: `+40745${String(index).padStart(6, '0')}`,
		status: 'delivered',
		description: 'RO - Orange',
		charged_amount: 0.05,
		units: 1,
	});
}

export function sign(body: string, signatureKey: string): string {
	return createHmac('sha256', signatureKey).update(body, 'utf8').digest('hex');
}

export interface Delivery {
	body: string;
	headers: Record<string, string>;
}

export function signedDeliveries(count: number, signatureKey: string, runTag = randomUUID().slice(0, 8)): Delivery[] {
	return Array.from({ length: count }, (_, index) => {
		const body = smsStatusBody(index, runTag);
		return { body, headers: { 'content-type': 'application/json', 'x-checkmobi-signature': sign(body, signatureKey) } };
	});
}

export interface SendOutcome {
	/** Final answer per delivery, by status ("error" when the last attempt got no answer). */
	statuses: Record<string, number>;
	/** Deliveries that got no 200 on their first attempt and were sent again, as CheckMobi does. */
	retried: number;
	/** Answers other than 200 to attempts, by status, and network errors. */
	failedAttempts: Record<string, number>;
	errors: string[];
	durationMs: number;
	/** Milliseconds per delivery (all its attempts), sorted. */
	latencies: number[];
	/** Indexes of the deliveries that got 200 in the end (that n8n accepted). */
	accepted: number[];
}

/** CheckMobi retries a callback that did not get HTTP 200, at most 3 times (the sandbox: 50/100/200 ms; here slower, for a loaded n8n). */
export const CALLBACK_RETRY_DELAYS_MS = [1000, 3000, 9000];

/**
 * Sends every delivery with at most `concurrency` in flight, the way CheckMobi delivers callbacks:
 * an answer other than 200 (or none) is retried after CALLBACK_RETRY_DELAYS_MS.
 */
export async function sendAll(
	deliveries: Delivery[],
	concurrency: number,
	send: (delivery: Delivery, index: number) => Promise<Response>,
	retryDelaysMs: number[] = CALLBACK_RETRY_DELAYS_MS,
): Promise<SendOutcome> {
	const statuses: Record<string, number> = {};
	const failedAttempts: Record<string, number> = {};
	const errors: string[] = [];
	const latencies: number[] = [];
	const accepted: number[] = [];
	let retried = 0;
	let next = 0;
	const started = Date.now();
	const worker = async () => {
		while (next < deliveries.length) {
			const index = next++;
			const t0 = Date.now();
			let final = 'error';
			for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
				if (attempt === 1) retried++;
				if (attempt > 0) await new Promise<void>((r) => setTimeout(r, retryDelaysMs[attempt - 1]));
				try {
					const response = await send(deliveries[index], index);
					await response.arrayBuffer();
					final = String(response.status);
				} catch (error) {
					final = 'error';
					if (attempt === retryDelaysMs.length) errors.push(`#${index}: ${(error as Error).message}`);
				}
				if (final === '200') break;
				failedAttempts[final] = (failedAttempts[final] ?? 0) + 1;
			}
			statuses[final] = (statuses[final] ?? 0) + 1;
			if (final === '200') accepted.push(index);
			latencies.push(Date.now() - t0);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
	latencies.sort((a, b) => a - b);
	accepted.sort((a, b) => a - b);
	return { statuses, retried, failedAttempts, errors, durationMs: Date.now() - started, latencies, accepted };
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A published workflow with only the CheckMobi Trigger (SMS statuses), as a user would start. */
export function triggerWorkflow(id: string, webhookId: string, credential: NodeCredentialRef): WorkflowJson {
	return workflow({
		id,
		name: `load: trigger ${id}`,
		nodes: [
			node('CheckMobi Trigger', CHECKMOBI_TRIGGER_TYPE, { events: ['sms.status'] }, { webhookId, credentials: { checkMobiApi: credential }, typeVersion: CHECKMOBI_TRIGGER_VERSION }),
		],
	});
}

/** The trigger's production path under /webhook/ (its webhook description's path is "webhook"). */
export function triggerPath(webhookId: string): string {
	return `${webhookId}/webhook`;
}

const sleep = async (ms: number) => await new Promise<void>((r) => setTimeout(r, ms));

/** POSTs to a production webhook of one n8n process; retries "not registered" while it registers its webhooks. */
export async function postToWebhook(baseUrl: string, path: string, delivery: Delivery): Promise<Response> {
	const started = Date.now();
	for (;;) {
		const response = await fetch(`${baseUrl}/webhook/${path}`, { method: 'POST', body: delivery.body, headers: delivery.headers, signal: AbortSignal.timeout(120_000) });
		if (response.status !== 404 || Date.now() - started > 60_000) return response;
		const text = await response.clone().text();
		if (!/not registered/i.test(text)) return response;
		await sleep(250);
	}
}

/**
 * Waits until `count()` settles: it reached `expected` and did not change for `quietMs` (so that a
 * wrong extra shows up), or it has not changed for `stallMs` (something is lost: no use waiting),
 * or the deadline passed. Returns the last value and how long it took.
 */
export async function settleCount(
	count: () => Promise<number>,
	options: { expected: number; quietMs: number; timeoutMs: number; pollMs?: number; stallMs?: number },
): Promise<{ value: number; waitedMs: number }> {
	const started = Date.now();
	let value = await count();
	let changedAt = Date.now();
	for (;;) {
		const elapsed = Date.now() - started;
		const quiet = Date.now() - changedAt;
		if (value >= options.expected && quiet >= options.quietMs) break;
		if (quiet >= (options.stallMs ?? 90_000)) break;
		if (elapsed > options.timeoutMs) break;
		await sleep(options.pollMs ?? 500);
		const now = await count();
		if (now !== value) {
			value = now;
			changedAt = Date.now();
		}
	}
	return { value, waitedMs: Date.now() - started };
}

/** Figures of a load run, kept in .cache/load-results/<name>.json (the README quotes them). */
export function recordFigures(name: string, figures: Record<string, unknown>): string {
	const dir = join(__dirname, '..', '..', '.cache', 'load-results');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `${name}.json`);
	// The machine is shared: its load says how much of the 2 cores n8n had.
	const entry = { name, at: new Date().toISOString(), cpus: cpus().length, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), ...figures };
	writeFileSync(file, JSON.stringify(entry, null, 2) + '\n');
	process.stderr.write(`[load] ${name}: ${JSON.stringify(entry)}\n`);
	return file;
}

export function readFigures(name: string): Record<string, unknown> | undefined {
	try {
		return JSON.parse(readFileSync(join(__dirname, '..', '..', '.cache', 'load-results', `${name}.json`), 'utf8')) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

/**
 * Waits until the package's declared files are in dist/ (others share this working tree and may be
 * rebuilding it: `npm run build` empties dist/ first). The harness copies dist/ when an instance is created.
 */
export async function waitForBuiltPackage(timeoutMs = 180_000): Promise<void> {
	const root = join(__dirname, '..', '..');
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[]; credentials?: string[] } };
	const files = [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])].map((file) => join(root, file));
	const started = Date.now();
	for (;;) {
		if (files.every((file) => existsSync(file))) {
			// Still there a moment later: not in the middle of a rebuild.
			await sleep(2000);
			if (files.every((file) => existsSync(file))) return;
		}
		if (Date.now() - started > timeoutMs) throw new Error(`the package is not built (missing ${files.filter((f) => !existsSync(f)).join(', ')}): run \`npm run build\``);
		await sleep(1000);
	}
}

/** A real n8n (UI off) with the built package installed: provisioned into .cache/ on first use. */
export async function startN8nWithPackage(packageDir?: string): Promise<N8nInstance> {
	const runtime = await provisionN8n();
	await waitForBuiltPackage();
	return await N8nInstance.create({ runtime, disableUi: true, ...(packageDir ? { packageDir } : {}) });
}
