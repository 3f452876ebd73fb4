/** Items through the node against the HTTP Request node, the bare client and a No Op node. */
import { join } from 'node:path';

import { runChild, type Bench, type BenchWorkflow, type ItemsRun } from '../lib/bench';
import { log } from '../lib/log';
import type { Row } from '../lib/results';
import { median, ratio, round3, summarize } from '../lib/stats';
import { batchingKey } from '../lib/workflowSet';
import { itemsBody, type Operation } from '../lib/workflows';
import type { SuiteContext } from './context';

function row(label: string, client: string, setting: string, runs: ItemsRun[], note?: string): Row {
	return {
		label,
		client,
		setting,
		items: runs[0].items,
		itemsPerSecond: summarize(runs.map((r) => r.itemsPerSecond)),
		nodeMs: summarize(runs.map((r) => r.nodeMs)),
		cpuMsPerItem: summarize(runs.map((r) => (r.memory.cpuSeconds * 1000) / r.items)),
		requestsPerRun: median(runs.map((r) => r.requests)),
		...(note ? { note } : {}),
	};
}

interface BareResult {
	wallMs: number;
	cpuMs: number;
	statuses: Record<string, number>;
	node: string;
}

async function bareRuns(bench: Bench, op: Operation, count: number, concurrency: number, keepAlive: boolean, runs: number, latencyMs: number): Promise<Row> {
	const script = join(__dirname, '..', 'bareClient.js');
	const results: ItemsRun[] = [];
	for (let i = 0; i < runs; i++) {
		await bench.sandbox.reset({ latencyMs });
		const r = await runChild<BareResult>(bench.n8n.runtime.nodeBin, script, {
			baseUrl: bench.sandbox.url,
			key: bench.sandbox.secretKey,
			operation: op,
			count,
			concurrency,
			keepAlive,
		});
		if ((r.statuses['200'] ?? 0) !== count) throw new Error(`bare client: statuses ${JSON.stringify(r.statuses)}`);
		results.push({
			items: count,
			nodeMs: r.wallMs,
			executionMs: r.wallMs,
			wallMs: r.wallMs,
			itemsPerSecond: (count / r.wallMs) * 1000,
			memory: { startRss: 0, peakRss: 0, groupPeakRss: 0, cpuSeconds: r.cpuMs / 1000, groupCpuSeconds: r.cpuMs / 1000, samples: 0 },
			requests: count,
			limitErrors: 0,
			errorCodes: {},
			outputItems: count,
			errorItems: 0,
		});
	}
	const setting = `concurrency ${concurrency}, ${keepAlive ? 'keep-alive' : 'a new connection per request'}`;
	return {
		...row(`Bare Node.js client, ${setting}`, 'bare', setting, results),
		note: 'CPU is the client process, not n8n',
	};
}

async function repeat(bench: Bench, wf: BenchWorkflow, count: number, latencyMs: number, runs: number): Promise<ItemsRun[]> {
	const out: ItemsRun[] = [];
	for (let i = 0; i < runs; i++) {
		const r = await bench.runItems(wf, itemsBody(count), count, { latencyMs });
		if (r.outputItems !== count || r.errorItems > 0) throw new Error(`${wf.workflow.name}: ${r.outputItems} items out, ${r.errorItems} errors`);
		out.push(r);
	}
	return out;
}

/** Sweeps the candidates (one run each), then runs the best `runs - 1` more times. */
async function best<K>(bench: Bench, candidates: Array<[K, BenchWorkflow]>, count: number, latencyMs: number, runs: number) {
	const sweep: Array<{ key: K; run: ItemsRun }> = [];
	for (const [key, wf] of candidates) {
		const [r] = await repeat(bench, wf, count, latencyMs, 1);
		sweep.push({ key, run: r });
		log(`  sweep ${wf.workflow.name}: ${r.itemsPerSecond.toFixed(0)} items/s`);
	}
	const winner = sweep.reduce((a, b) => (b.run.itemsPerSecond > a.run.itemsPerSecond ? b : a));
	const wf = candidates.find(([key]) => key === winner.key)![1];
	const more = await repeat(bench, wf, count, latencyMs, runs - 1);
	return { key: winner.key, runs: [winner.run, ...more], sweep };
}

/** Suites 1 and 2: items through the node with the standing latency (`items`), and without (`perItem`). */
export async function itemsSuite({ bench, wfs, sizes, results }: SuiteContext, latencyMs: number) {
	const { goals } = results;
	const ops: Operation[] = ['hlr', 'sms'];
	const suite: Record<string, unknown> = { latencyMs, ops: {} };
	const tag = latencyMs > 0 ? `${latencyMs} ms` : 'no latency';
	for (const op of ops) {
		const name = op === 'hlr' ? 'HLR lookups' : 'SMS sends';
		log(`${name}, ${tag}`);
		const rows: Row[] = [];
		const n = sizes.items;

		// The CheckMobi node at its best concurrency (sweep, then runs). With no latency the sweep is
		// shorter: concurrency matters less when answers come at once.
		const concurrencies = latencyMs > 0 ? sizes.concurrencies : [sizes.concurrencies[0], Math.max(...sizes.concurrencies)];
		const cm = await best(bench, concurrencies.map((c) => [c, wfs.checkMobi[op].get(c)!] as [number, BenchWorkflow]), n, latencyMs, sizes.runs);
		const cmBest = row(`CheckMobi node, concurrency ${cm.key} (best)`, 'checkmobi', `concurrency ${cm.key}`, cm.runs);
		// The HTTP Request node at its best batching (sweep, then runs).
		const hr = await best(bench, sizes.batchings.map((b) => [batchingKey(b), wfs.http[op].get(batchingKey(b))!] as [string, BenchWorkflow]), n, latencyMs, sizes.runs);
		const hrBest = row(`HTTP Request node, ${hr.key} (best)`, 'httpRequest', hr.key, hr.runs);
		const hrDefault = hr.key === batchingKey(null) ? hrBest : row('HTTP Request node, no batching (default)', 'httpRequest', batchingKey(null), [hr.sweep.find((s) => s.key === batchingKey(null))!.run], 'one run (sweep)');
		// The floor.
		const bare = await bareRuns(bench, op, n, cm.key, true, sizes.runs, latencyMs);
		// n8n's own cost for the same items with a node that does nothing (per-item CPU baseline).
		const noop = row('No Op node (n8n baseline, no requests)', 'noop', '-', await repeat(bench, wfs.noop, n, latencyMs, sizes.runs));
		rows.push(cmBest);
		let cmDefault: Row | undefined;
		let bareNew: Row | undefined;
		let bareOne: Row | undefined;
		if (latencyMs > 0) {
			// The CheckMobi node at its default (one request at a time), and the floors that go with it.
			cmDefault = row('CheckMobi node, concurrency 1 (default)', 'checkmobi', 'concurrency 1', await repeat(bench, wfs.checkMobi[op].get(1)!, sizes.itemsDefault, latencyMs, sizes.runs));
			bareOne = await bareRuns(bench, op, sizes.itemsDefault, 1, true, 1, latencyMs);
			bareNew = await bareRuns(bench, op, n, cm.key, false, 1, latencyMs);
			rows.push(cmDefault);
		}
		rows.push(hrBest);
		if (hrDefault !== hrBest) rows.push(hrDefault);
		rows.push(bare);
		if (bareNew) rows.push(bareNew);
		if (bareOne) rows.push(bareOne);
		rows.push(noop);
		const sweeps = {
			checkMobi: cm.sweep.map((s) => ({ concurrency: s.key, itemsPerSecond: round3(s.run.itemsPerSecond) })),
			httpRequest: hr.sweep.map((s) => ({ batching: s.key, itemsPerSecond: round3(s.run.itemsPerSecond) })),
		};
		const ratios: Record<string, number> = {
			bestVsBare: ratio(cmBest.itemsPerSecond.median, bare.itemsPerSecond.median),
			bestVsHttpBest: ratio(cmBest.itemsPerSecond.median, hrBest.itemsPerSecond.median),
			...(cmDefault && bareOne && bareNew
				? {
						defaultVsHttpDefault: ratio(cmDefault.itemsPerSecond.median, hrDefault.itemsPerSecond.median),
						defaultVsBareOne: ratio(cmDefault.itemsPerSecond.median, bareOne.itemsPerSecond.median),
						bestVsBareNewConnections: ratio(cmBest.itemsPerSecond.median, bareNew.itemsPerSecond.median),
					}
				: {}),
			// Per item, what the node costs in n8n's process beyond n8n's own handling of the items.
			cpuMsPerItemCheckMobi: round3(cmBest.cpuMsPerItem!.median - noop.cpuMsPerItem!.median),
			cpuMsPerItemHttpRequest: round3(hrBest.cpuMsPerItem!.median - noop.cpuMsPerItem!.median),
			wallMsPerItemCheckMobi: round3(cmBest.nodeMs.median / n),
			wallMsPerItemHttpRequest: round3(hrBest.nodeMs.median / n),
		};
		(suite.ops as Record<string, unknown>)[op] = { name, rows, sweeps, ratios };
		if (latencyMs > 0) {
			goals.push(
				{ id: `${op}-bare`, goal: `${name}: best concurrency ≥ 0.9 × the bare client at the same concurrency`, measured: `${ratios.bestVsBare}`, met: ratios.bestVsBare >= 0.9 },
				{ id: `${op}-http`, goal: `${name}: best concurrency ≥ 1.0 × HTTP Request at its best batching`, measured: `${ratios.bestVsHttpBest}`, met: ratios.bestVsHttpBest >= 1 },
				{ id: `${op}-default`, goal: `${name}: default ≥ 1.0 × HTTP Request's default`, measured: `${ratios.defaultVsHttpDefault}`, met: ratios.defaultVsHttpDefault >= 1 },
			);
		} else {
			goals.push({
				id: `${op}-cpu`,
				goal: `${name}, no latency: CPU per item ≤ the HTTP Request node's`,
				measured: `${ratios.cpuMsPerItemCheckMobi} vs ${ratios.cpuMsPerItemHttpRequest} ms`,
				met: ratios.cpuMsPerItemCheckMobi <= ratios.cpuMsPerItemHttpRequest,
			});
		}
	}
	return suite;
}
