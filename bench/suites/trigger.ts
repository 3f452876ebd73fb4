/** Suite 5: time inside the CheckMobi Trigger, and signed callbacks into n8n against its Webhook node. */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';

import { projectRoot } from '../../scripts/lib/n8n';
import { runChild, sleep, type Bench, type BenchWorkflow } from '../lib/bench';
import { log } from '../lib/log';
import { GroupSampler } from '../lib/proc';
import { ratio, summarize } from '../lib/stats';
import type { SuiteContext } from './context';

interface MicroResult {
	node: string;
	callbackBytes: number;
	items: number;
	callbackMs: number[];
	bigBodyBytes: number;
	signatureMs: number[];
	digestMs: number[];
}

export async function triggerSuite({ bench, wfs, sizes, sink, results }: SuiteContext) {
	const { goals } = results;
	// A real callback of 1,000 HLR results, as the sandbox signs and sends it.
	await bench.sandbox.reset({ bulkBatchSize: 1000, bulkBatchDelayMs: 1 });
	const before = sink.count();
	const numbers = Array.from({ length: 1000 }, (_, i) => `+40750${String(i).padStart(6, '0')}`);
	const accepted = await bench.sandbox.api.post('/lookup/hlr', { numbers, notification_callback: sink.url });
	if (accepted.status !== 200) throw new Error(`bulk request: ${accepted.status} ${accepted.text}`);
	for (let i = 0; sink.count() === before; i++) {
		if (i > 200) throw new Error('no lookup callback arrived');
		await sleep(50);
	}
	const dir = mkdtempSync(join(os.tmpdir(), 'checkmobi-bench-'));
	const bodyFile = join(dir, 'callback-1000.json');
	writeFileSync(bodyFile, sink.last()!);
	await bench.sandbox.reset({});

	// Time inside the node, in-process, on n8n's Node.js, with the package as installed in n8n.
	const micro = await runChild<MicroResult>(
		bench.n8n.runtime.nodeBin,
		join(__dirname, '..', 'triggerMicro.js'),
		{ root: projectRoot(), packageDir: bench.n8n.packagePath, bodyFile, signatureKey: bench.sandbox.signatureKey, iterations: sizes.microIterations },
		{ ...process.env, NODE_PATH: join(projectRoot(), 'node_modules') },
	);

	// Sustained callbacks into the real n8n: the CheckMobi Trigger (signature checked) against n8n's Webhook node.
	const headerAuth = { Authorization: bench.sandbox.secretKey };
	const targets: Array<[string, BenchWorkflow, Record<string, string>?]> = [
		['CheckMobi Trigger (signature checked, repeat memory on: default)', wfs.trigger],
		['CheckMobi Trigger (signature checked, repeat memory off)', wfs.triggerNoMemory],
		['CheckMobi Trigger (no signature check: no credential loaded)', wfs.triggerNoSignature],
		["n8n's Webhook node (no check)", wfs.webhook],
		["n8n's Webhook node (Header Auth: a credential loaded per request)", wfs.webhookHeaderAuth, headerAuth],
	];
	const throughput: Record<string, { accepted: number[]; completed: number[]; cpuMsPerCallback: number[] }> = {};
	for (const [label, wf, headers] of targets) {
		throughput[label] = { accepted: [], completed: [], cpuMsPerCallback: [] };
		// Warm-up (registration, first use), not counted.
		await callbackBurst(bench, wf, 2 * sizes.triggerConcurrency, sizes.triggerConcurrency, headers);
	}
	for (let i = 0; i < sizes.runs; i++) {
		for (const [label, wf, headers] of targets) {
			const r = await callbackBurst(bench, wf, sizes.triggerCallbacks, sizes.triggerConcurrency, headers);
			throughput[label].accepted.push(r.acceptedPerSecond);
			throughput[label].completed.push(r.completedPerSecond);
			throughput[label].cpuMsPerCallback.push(r.cpuMsPerCallback);
			log(`  ${label}: ${r.acceptedPerSecond.toFixed(0)} accepted/s, ${r.completedPerSecond.toFixed(0)} completed/s`);
		}
	}
	const rows = targets.map(([label]) => ({
		label,
		acceptedPerSecond: summarize(throughput[label].accepted),
		completedPerSecond: summarize(throughput[label].completed),
		cpuMsPerCallback: summarize(throughput[label].cpuMsPerCallback),
	}));
	const [trigger, triggerNoMemory, triggerNoSignature, webhook, webhookHeaderAuth] = rows;
	// Per callback: time = 1 / rate; the ratio of times is the inverse ratio of rates.
	const perCallback = {
		acceptedVsWebhook: ratio(webhook.acceptedPerSecond.median, trigger.acceptedPerSecond.median),
		completedVsWebhook: ratio(webhook.completedPerSecond.median, trigger.completedPerSecond.median),
		completedNoMemoryVsWebhook: ratio(webhook.completedPerSecond.median, triggerNoMemory.completedPerSecond.median),
		// Like for like: both load a credential per request, or neither does.
		completedVsWebhookHeaderAuth: ratio(webhookHeaderAuth.completedPerSecond.median, trigger.completedPerSecond.median),
		completedNoSignatureVsWebhook: ratio(webhook.completedPerSecond.median, triggerNoSignature.completedPerSecond.median),
		// Rates (completed executions per second), the signed trigger's ÷ the other's: higher is better.
		rateVsWebhookHeaderAuth: ratio(trigger.completedPerSecond.median, webhookHeaderAuth.completedPerSecond.median),
		rateVsWebhook: ratio(trigger.completedPerSecond.median, webhook.completedPerSecond.median),
	};
	goals.push({
		id: 'trigger',
		goal: "Trigger: time per callback ≤ 1.2 × n8n's Webhook node, signature checked",
		measured: `${perCallback.completedVsWebhook} × (completed runs), ${perCallback.acceptedVsWebhook} × (answers)`,
		met: perCallback.completedVsWebhook <= 1.2 && perCallback.acceptedVsWebhook <= 1.2,
	});
	goals.push({
		id: 'triggerLikeForLike',
		goal: "Trigger, like for like: signature checked ≤ 1.2 × the Webhook node with Header Auth; no check ≤ 1.2 × the Webhook node without",
		measured: `${perCallback.completedVsWebhookHeaderAuth} ×; ${perCallback.completedNoSignatureVsWebhook} × (completed runs)`,
		met: perCallback.completedVsWebhookHeaderAuth <= 1.2 && perCallback.completedNoSignatureVsWebhook <= 1.2,
	});
	goals.push({
		id: 'triggerRateHeaderAuth',
		goal: 'Trigger, signature checked: completed executions/s ≥ 1.0 × the Webhook node with Header Auth',
		measured: `${perCallback.rateVsWebhookHeaderAuth} ×`,
		met: perCallback.rateVsWebhookHeaderAuth >= 1.0,
	});
	goals.push({
		id: 'triggerRateWebhook',
		goal: "Trigger, signature checked: completed executions/s ≥ 0.8 × n8n's bare Webhook node",
		measured: `${perCallback.rateVsWebhook} × (n8n spends an expression isolate per request on every webhook node but its own: see bench/README.md)`,
		met: perCallback.rateVsWebhook >= 0.8,
	});
	return {
		inNode: {
			node: micro.node,
			callbackBytes: micro.callbackBytes,
			items: micro.items,
			callbackMs: summarize(micro.callbackMs),
			signature1MbMs: summarize(micro.signatureMs),
			bigBodyBytes: micro.bigBodyBytes,
			repeatDigest1MbMs: summarize(micro.digestMs),
		},
		throughput: { callbacks: sizes.triggerCallbacks, concurrency: sizes.triggerConcurrency, rows, perCallback },
	};
}

/** Posts `count` distinct signed SMS-status callbacks, `concurrency` at a time; waits for every execution. */
async function callbackBurst(bench: Bench, wf: BenchWorkflow, count: number, concurrency: number, extraHeaders: Record<string, string> = {}) {
	const { n8n, sandbox } = bench;
	await bench.deleteExecutions(wf.workflow.id);
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const url = new URL(n8n.webhookUrl(wf.path));
	const bodies = Array.from({ length: count }, (_, i) =>
		Buffer.from(JSON.stringify({ id: `MSG-${randomUUID().toUpperCase()}`, to: `+40750${String(i).padStart(6, '0')}`, description: 'RO - Orange', status: 'delivered', charged_amount: 0.05, units: 1 })),
	);
	const post = (body: Buffer) =>
		new Promise<number>((resolve, reject) => {
			const req = http.request(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					agent,
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': String(body.length),
						'X-CheckMobi-Signature': createHmac('sha256', sandbox.signatureKey).update(body).digest('hex'),
						...extraHeaders,
					},
				},
				(res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	const sampler = new GroupSampler(n8n.pid!);
	sampler.start();
	const t0 = Date.now();
	let next = 0;
	const statuses: Record<number, number> = {};
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const status = await post(bodies[next++]);
				statuses[status] = (statuses[status] ?? 0) + 1;
			}
		}),
	);
	const acceptedMs = Date.now() - t0;
	agent.destroy();
	if ((statuses[200] ?? 0) !== count) throw new Error(`${wf.workflow.name}: answers ${JSON.stringify(statuses)}`);
	const executions = await n8n.waitForExecutions(wf.workflow.id, count, { timeoutMs: 300_000 });
	const memory = sampler.stop();
	const failed = executions.filter((e) => e.status !== 'success');
	if (failed.length > 0 || executions.length !== count) throw new Error(`${wf.workflow.name}: ${executions.length} executions, ${failed.length} failed`);
	const lastStop = Math.max(...executions.map((e) => new Date(e.stoppedAt!).getTime()));
	const completedMs = lastStop - t0;
	await bench.deleteExecutions(wf.workflow.id);
	return {
		acceptedPerSecond: (count / acceptedMs) * 1000,
		completedPerSecond: (count / completedMs) * 1000,
		cpuMsPerCallback: (memory.cpuSeconds * 1000) / count,
	};
}
