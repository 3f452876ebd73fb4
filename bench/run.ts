/**
 * `npm run bench`: every benchmark of the package against a real n8n and the CheckMobi sandbox on
 * loopback, several runs each; writes bench/results.json and bench/RESULTS.md.
 *
 *   node build/bench/bench/run.js [--quick] [--only items,perItem,pacing,bulk,trigger,memory]
 *                                 [--runs N] [--wait-quiet[=MINUTES]] [--out DIR]
 *
 * --quick: small sizes and one run each, results under build/bench/ (for building the benchmarks).
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';

import { N8N_VERSION, N8nInstance, NODE_VERSION, projectRoot } from '../scripts/lib/n8n';
import { Bench, runChild, sleep, startSink, type BenchWorkflow, type ItemsRun } from './lib/bench';
import { GroupSampler, loadAverage, peakRssBytes, resetPeak, rssBytes } from './lib/proc';
import { writeReport } from './lib/report';
import { startSandboxProcess } from './lib/sandboxProcess';
import { median, ratio, round3, summarize, type Summary } from './lib/stats';
import {
	checkMobiNode,
	credentials,
	httpRequestNode,
	itemsBody,
	aggregatedItemsWorkflow,
	itemsWorkflow,
	noOpNode,
	triggerWorkflow,
	webhookWorkflow,
	type Batching,
	type Operation,
} from './lib/workflows';

// ---------------------------------------------------------------------------------------------
// Settings

interface Sizes {
	runs: number;
	/** Items per run through the node (1, 2). */
	items: number;
	/** Items per run at one request at a time (1): items/s does not depend on the count there. */
	itemsDefault: number;
	latencyMs: number;
	concurrencies: number[];
	batchings: Array<Batching | null>;
	pacingLimit: number;
	pacingUnder: number;
	pacingOver: number;
	bulkNumbers: number;
	triggerCallbacks: number;
	triggerConcurrency: number;
	memorySmall: number;
	memoryLarge: number;
	microIterations: number;
}

const FULL: Sizes = {
	runs: 3,
	items: 2000,
	itemsDefault: 200,
	latencyMs: 50,
	concurrencies: [10, 25, 50],
	batchings: [null, { batchSize: 50, batchInterval: 100 }, { batchSize: 100, batchInterval: 100 }],
	pacingLimit: 600,
	pacingUnder: 300,
	pacingOver: 900,
	bulkNumbers: 100_000,
	triggerCallbacks: 150,
	triggerConcurrency: 20,
	memorySmall: 1000,
	memoryLarge: 10_000,
	microIterations: 50,
};

const QUICK: Sizes = {
	...FULL,
	runs: 1,
	items: 200,
	itemsDefault: 40,
	concurrencies: [10, 50],
	batchings: [null, { batchSize: 50, batchInterval: 100 }],
	pacingLimit: 60,
	pacingUnder: 30,
	pacingOver: 90,
	bulkNumbers: 10_000,
	triggerCallbacks: 100,
	memorySmall: 200,
	memoryLarge: 2000,
	microIterations: 10,
};

const SUITES = ['items', 'perItem', 'pacing', 'bulk', 'trigger', 'memory'] as const;
type SuiteName = (typeof SUITES)[number];

interface Args {
	quick: boolean;
	only: SuiteName[];
	runs?: number;
	waitQuietMinutes: number;
	out: string;
	/** Write V8 CPU profiles of n8n (and its task runner) into this folder. */
	cpuProf?: string;
	bulkNumbers?: number;
	/** Load this package folder (package.json + dist/) instead of the project, e.g. to measure a change. */
	packageDir?: string;
	/** Extra environment for n8n, e.g. N8N_EXPRESSION_ENGINE=legacy. */
	n8nEnv: Record<string, string>;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { quick: false, only: [...SUITES], waitQuietMinutes: 0, out: join(projectRoot(), 'bench'), n8nEnv: {} };
	const takesValue = new Set(['--only', '--runs', '--out', '--bulk-numbers', '--package-dir', '--n8n-env']);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const key = eq < 0 ? arg : arg.slice(0, eq);
		const value = eq >= 0 ? arg.slice(eq + 1) : takesValue.has(key) ? argv[++i] : undefined;
		if (takesValue.has(key) && !value) throw new Error(`${key} needs a value`);
		if (key === '--quick') args.quick = true;
		else if (key === '--only') args.only = value!.split(',').map((s) => s.trim()) as SuiteName[];
		else if (key === '--runs') args.runs = Number(value);
		else if (key === '--wait-quiet') args.waitQuietMinutes = value ? Number(value) : 10;
		else if (key === '--out') args.out = value!;
		else if (key === '--cpu-prof') args.cpuProf = value || join(projectRoot(), 'build', 'bench', 'profiles');
		else if (key === '--bulk-numbers') args.bulkNumbers = Number(value);
		else if (key === '--package-dir') args.packageDir = value;
		else if (key === '--n8n-env') {
			const [name, ...rest] = value!.split('=');
			args.n8nEnv[name] = rest.join('=');
		}
		else throw new Error(`unknown argument ${arg}`);
	}
	for (const suite of args.only) if (!SUITES.includes(suite)) throw new Error(`unknown suite ${suite} (${SUITES.join(', ')})`);
	const experiment = args.quick || args.only.length < SUITES.length || args.packageDir || Object.keys(args.n8nEnv).length > 0;
	// Only a full, unmodified run replaces bench/results.json and bench/RESULTS.md.
	if (experiment && !argv.some((a) => a.startsWith('--out'))) args.out = join(projectRoot(), 'build', 'bench', args.quick ? 'quick' : 'partial');
	return args;
}

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Result shapes (results.json)

export interface Row {
	label: string;
	/** 'checkmobi' | 'httpRequest' | 'bare' | 'noop' */
	client: string;
	setting: string;
	items: number;
	itemsPerSecond: Summary;
	nodeMs: Summary;
	/** n8n main process CPU during the run, ms per item. */
	cpuMsPerItem?: Summary;
	requestsPerRun?: number;
	note?: string;
}

export interface Goal {
	id: string;
	goal: string;
	measured: string;
	met: boolean;
}

export interface Results {
	date: string;
	quick: boolean;
	durationSeconds?: number;
	machine: Record<string, unknown>;
	versions: Record<string, unknown>;
	load: Record<string, [number, number, number]>;
	sizes: Sizes;
	method: string[];
	suites: Record<string, unknown>;
	goals: Goal[];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const sizes: Sizes = {
		...(args.quick ? QUICK : FULL),
		...(args.runs ? { runs: args.runs } : {}),
		...(args.bulkNumbers ? { bulkNumbers: args.bulkNumbers } : {}),
	};
	const started = Date.now();

	if (args.waitQuietMinutes > 0) await waitForQuiet(args.waitQuietMinutes);

	const results: Results = {
		date: new Date().toISOString(),
		quick: args.quick,
		machine: machineInfo(),
		versions: {},
		load: { start: loadAverage() },
		sizes,
		method: [],
		suites: {},
		goals: [],
	};

	const sandbox = await startSandboxProcess({ smsAutoProgress: false });
	const sink = await startSink();
	log(`sandbox ${sandbox.url} (pid ${sandbox.pid})`);
	if (args.cpuProf) mkdirSync(args.cpuProf, { recursive: true });
	const n8n = await N8nInstance.create({
		disableUi: true,
		log,
		env: { ...args.n8nEnv, ...(args.cpuProf ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${args.cpuProf}` } : {}) },
		...(args.packageDir ? { packageDir: args.packageDir } : {}),
	});
	results.versions = { ...versions(n8n), ...(args.packageDir ? { packageDirOverride: args.packageDir } : {}), ...(Object.keys(args.n8nEnv).length ? { n8nEnv: args.n8nEnv } : {}) };
	const bench = new Bench(n8n, sandbox, log);

	try {
		// ---- the workflows, imported once, published on the running server
		const wfs = buildWorkflows(sizes, sandbox.url, sink.url);
		await n8n.importCredentials(credentials(sandbox));
		await n8n.importWorkflows(allWorkflows(wfs).map((w) => w.workflow));
		await n8n.start();
		for (const w of allWorkflows(wfs)) await n8n.activateWorkflow(w.workflow.id);
		log(`n8n ${N8N_VERSION} up (pid ${n8n.pid}); ${allWorkflows(wfs).length} workflows published`);

		// ---- warm-up: every items workflow once (first runs load modules and compile code)
		await sandbox.reset({ latencyMs: 0 });
		for (const w of itemWorkflows(wfs)) await bench.runItems(w, itemsBody(100), 100, { latencyMs: 0 });
		log('warmed up');

		const run = async (name: SuiteName, fn: () => Promise<unknown>) => {
			if (!args.only.includes(name)) return;
			const load = loadAverage();
			log(`suite ${name} (load ${load.join(' ')})`);
			const t = Date.now();
			results.suites[name] = await fn();
			(results.suites[name] as Record<string, unknown>).load = load;
			(results.suites[name] as Record<string, unknown>).seconds = Math.round((Date.now() - t) / 1000);
			results.load[name] = load;
			log(`suite ${name} done in ${Math.round((Date.now() - t) / 1000)} s`);
		};

		await run('items', async () => await itemsSuite(bench, wfs, sizes, sizes.latencyMs, results.goals));
		await run('perItem', async () => await itemsSuite(bench, wfs, sizes, 0, results.goals));
		await run('pacing', async () => await pacingSuite(bench, wfs, sizes, results));
		await run('bulk', async () => await bulkSuite(bench, wfs, sizes, sink.url));
		await run('trigger', async () => await triggerSuite(bench, wfs, sizes, sink, results.goals));
		await run('memory', async () => await memorySuite(bench, wfs, sizes, results.goals));
	} catch (error) {
		log(`failed: ${(error as Error).stack ?? (error as Error).message}\n--- n8n log tail:\n${n8n.logTail(40)}`);
		throw error;
	} finally {
		await n8n.dispose().catch(() => undefined);
		await sandbox.close().catch(() => undefined);
		await sink.close().catch(() => undefined);
	}

	results.load.end = loadAverage();
	results.durationSeconds = Math.round((Date.now() - started) / 1000);
	results.method = method(sizes);
	mkdirSync(args.out, { recursive: true });
	writeFileSync(join(args.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(join(args.out, 'RESULTS.md'), writeReport(results));
	log(`wrote ${join(args.out, 'results.json')} and RESULTS.md in ${results.durationSeconds} s`);
}

// ---------------------------------------------------------------------------------------------
// Workflows

interface Workflows {
	checkMobi: Record<Operation, Map<number, BenchWorkflow>>;
	http: Record<Operation, Map<string, BenchWorkflow>>;
	noop: BenchWorkflow;
	bulk: BenchWorkflow;
	bulkList: BenchWorkflow;
	trigger: BenchWorkflow;
	triggerNoMemory: BenchWorkflow;
	triggerNoSignature: BenchWorkflow;
	webhook: BenchWorkflow;
	webhookHeaderAuth: BenchWorkflow;
}

function batchingKey(batching: Batching | null): string {
	return batching ? `batch ${batching.batchSize} every ${batching.batchInterval} ms` : 'no batching (default)';
}

function buildWorkflows(sizes: Sizes, sandboxUrl: string, sinkUrl: string): Workflows {
	const ops: Operation[] = ['hlr', 'sms'];
	const wfs: Workflows = {
		checkMobi: { hlr: new Map(), sms: new Map() },
		http: { hlr: new Map(), sms: new Map() },
		noop: itemsWorkflow('benchNoOp0000001', 'bench: No Op (baseline)', noOpNode()),
		bulk: itemsWorkflow('benchBulkHlr0001', 'bench: CheckMobi HLR Bulk', checkMobiNode({ operation: 'hlrBulk', callbackUrl: sinkUrl })),
		bulkList: aggregatedItemsWorkflow('benchBulkHlr0002', 'bench: Aggregate → CheckMobi HLR Bulk (list)', checkMobiNode({ operation: 'hlrBulkList', callbackUrl: sinkUrl })),
		trigger: triggerWorkflow('benchTrigger0001'),
		triggerNoMemory: triggerWorkflow('benchTrigger0002', { ignoreRepeatedDeliveries: false }),
		triggerNoSignature: triggerWorkflow('benchTrigger0003', { verifySignature: false }),
		webhook: webhookWorkflow('benchWebhook0001'),
		webhookHeaderAuth: webhookWorkflow('benchWebhook0002', { headerAuth: true }),
	};
	for (const op of ops) {
		for (const c of [1, ...sizes.concurrencies]) {
			const id = `benchCm${op}C${String(c).padStart(3, '0')}`;
			wfs.checkMobi[op].set(c, itemsWorkflow(id, `bench: CheckMobi ${op} concurrency ${c}`, checkMobiNode({ operation: op, concurrency: c })));
		}
		for (const [index, batching] of sizes.batchings.entries()) {
			const id = `benchHttp${op}B${String(index).padStart(2, '0')}`;
			wfs.http[op].set(batchingKey(batching), itemsWorkflow(id, `bench: HTTP Request ${op} ${batchingKey(batching)}`, httpRequestNode(op, sandboxUrl, batching ?? undefined)));
		}
	}
	return wfs;
}

function itemWorkflows(wfs: Workflows): BenchWorkflow[] {
	return [
		...Object.values(wfs.checkMobi).flatMap((m) => [...m.values()]),
		...Object.values(wfs.http).flatMap((m) => [...m.values()]),
		wfs.noop,
	];
}

function allWorkflows(wfs: Workflows): BenchWorkflow[] {
	const all = [...itemWorkflows(wfs), wfs.bulk, wfs.bulkList, wfs.trigger, wfs.triggerNoMemory, wfs.triggerNoSignature, wfs.webhook, wfs.webhookHeaderAuth];
	const ids = new Set(all.map((w) => w.workflow.id));
	if (ids.size !== all.length) throw new Error('two benchmark workflows share an id');
	return all;
}

// ---------------------------------------------------------------------------------------------
// 1 and 2: items through the node

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
	const script = join(__dirname, 'bareClient.js');
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

async function itemsSuite(bench: Bench, wfs: Workflows, sizes: Sizes, latencyMs: number, goals: Goal[]) {
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

// ---------------------------------------------------------------------------------------------
// 3: pacing

async function pacingSuite(bench: Bench, wfs: Workflows, sizes: Sizes, results: Results) {
	const itemsSms = (results.suites.items as { ops?: { sms?: { sweeps: { checkMobi: Array<{ concurrency: number; itemsPerSecond: number }> } } } } | undefined)?.ops?.sms;
	const concurrency = itemsSms
		? itemsSms.sweeps.checkMobi.reduce((a, b) => (b.itemsPerSecond > a.itemsPerSecond ? b : a)).concurrency
		: Math.max(...sizes.concurrencies);
	const wf = wfs.checkMobi.sms.get(concurrency)!;
	const latencyMs = sizes.latencyMs;
	const limit = sizes.pacingLimit;
	const sends = async (count: number, perMinute: number) => {
		const out: ItemsRun[] = [];
		for (let i = 0; i < sizes.runs; i++) {
			const r = await bench.runItems(wf, itemsBody(count), count, { latencyMs, smsPerMinute: perMinute });
			if (r.outputItems !== count || r.errorItems > 0) throw new Error(`pacing: ${r.outputItems} items out, ${r.errorItems} errors`);
			out.push(r);
			log(`  ${count} sends at ${perMinute || 'no limit'}/min: ${(r.nodeMs / 1000).toFixed(2)} s, error 12: ${r.limitErrors}`);
		}
		return out;
	};
	const freeUnder = await sends(sizes.pacingUnder, 0);
	const under = await sends(sizes.pacingUnder, limit);
	const over = await sends(sizes.pacingOver, limit);
	const tFree = median(freeUnder.map((r) => r.nodeMs));
	// Ideal: the account lets `limit` sends through in any 60 s. Up to the limit that is the
	// unlimited time; beyond it, send k waits until send k-limit left the window, so with the first
	// `limit` sent at full speed the run ends 60 s after the first (over - limit) sends were made.
	const overBeyond = sizes.pacingOver - limit;
	const tFreeBeyond = tFree * (overBeyond / sizes.pacingUnder);
	const idealUnder = tFree;
	const idealOver = 60_000 + tFreeBeyond;
	const underMs = summarize(under.map((r) => r.nodeMs));
	const overMs = summarize(over.map((r) => r.nodeMs));
	const errors12 = [...under, ...over].reduce((s, r) => s + r.limitErrors, 0);
	const suite = {
		concurrency,
		latencyMs,
		limitPerMinute: limit,
		unlimited: { sends: sizes.pacingUnder, nodeMs: summarize(freeUnder.map((r) => r.nodeMs)) },
		underLimit: { sends: sizes.pacingUnder, nodeMs: underMs, idealMs: round3(idealUnder), ratioToIdeal: ratio(underMs.median, idealUnder), errors12: under.map((r) => r.limitErrors), requests: under.map((r) => r.requests) },
		overLimit: {
			sends: sizes.pacingOver,
			nodeMs: overMs,
			idealMs: round3(idealOver),
			ratioToIdeal: ratio(overMs.median, idealOver),
			errors12: over.map((r) => r.limitErrors),
			requests: over.map((r) => r.requests),
			// Sends per minute over the run, against the account's limit.
			sendsPerMinute: round3((sizes.pacingOver / overMs.median) * 60_000),
		},
		idealDefinition: `Up to the limit, the time the same sends take with no limit (${sizes.pacingUnder} sends, measured in this run). Over it: ${sizes.pacingOver} sends at ${limit}/min cannot end before the (${overBeyond}) sends beyond the limit find room in the sliding 60 s window: ideal = 60 s + the unlimited time of ${overBeyond} sends.`,
	};
	results.goals.push(
		{
			id: 'pacing-under',
			goal: `Pacing: ${sizes.pacingUnder} sends at ${limit}/min within 5 % of ideal, zero error 12`,
			measured: `${suite.underLimit.ratioToIdeal} × ideal, error 12: ${suite.underLimit.errors12.join('/')}`,
			met: suite.underLimit.ratioToIdeal <= 1.05 && suite.underLimit.errors12.every((e) => e === 0),
		},
		{
			id: 'pacing-over',
			goal: `Pacing: ${sizes.pacingOver} sends at ${limit}/min within 5 % of ideal, zero error 12`,
			measured: `${suite.overLimit.ratioToIdeal} × ideal, error 12: ${suite.overLimit.errors12.join('/')}`,
			met: suite.overLimit.ratioToIdeal <= 1.05 && suite.overLimit.errors12.every((e) => e === 0),
		},
	);
	if (errors12 > 0) log(`  WARNING: ${errors12} error 12`);
	return suite;
}

// ---------------------------------------------------------------------------------------------
// 4: bulk HLR

async function bulkSuite(bench: Bench, wfs: Workflows, sizes: Sizes, sinkUrl: string) {
	const count = sizes.bulkNumbers;
	const body = itemsBody(count);
	// A fresh n8n process, so that its peak memory is this suite's alone.
	await bench.restart();
	await bench.runItems(wfs.bulk, itemsBody(100), 100, { latencyMs: 0 });
	const runs: ItemsRun[] = [];
	for (let i = 0; i < sizes.runs; i++) {
		// Results are posted later in batches; hold them back so the sandbox stays quiet during the run.
		const r = await bench.runItems(wfs.bulk, body, count, { latencyMs: 0, bulkBatchDelayMs: 600_000 });
		runs.push(r);
		log(`  ${count} numbers: ${r.requests} requests, node ${(r.nodeMs / 1000).toFixed(2)} s, peak ${(r.memory.peakRss / 1e6).toFixed(0)} MB`);
		if (r.requests !== Math.ceil(count / 1000)) throw new Error(`bulk: ${r.requests} requests for ${count} numbers`);
	}
	// The same numbers gathered into one list first (n8n's Aggregate node), read by the node with one
	// expression instead of one per item.
	await bench.runItems(wfs.bulkList, itemsBody(100), 100, { latencyMs: 0 });
	const listRuns: ItemsRun[] = [];
	for (let i = 0; i < Math.min(2, sizes.runs); i++) {
		const r = await bench.runItems(wfs.bulkList, body, 1, { latencyMs: 0, bulkBatchDelayMs: 600_000 });
		listRuns.push(r);
		log(`  ${count} numbers as one list: ${r.requests} requests, node ${(r.nodeMs / 1000).toFixed(2)} s`);
		if (r.requests !== Math.ceil(count / 1000)) throw new Error(`bulk (list): ${r.requests} requests for ${count} numbers`);
	}
	await bench.sandbox.reset({});
	return {
		asList: {
			requests: listRuns.map((r) => r.requests),
			nodeMs: summarize(listRuns.map((r) => r.nodeMs)),
			executionMs: summarize(listRuns.map((r) => r.executionMs)),
			peakRssMb: summarize(listRuns.map((r) => r.memory.peakRss / 1e6)),
		},
		numbers: count,
		callbackUrl: sinkUrl.replace(/:\d+/, ':PORT'),
		requests: runs.map((r) => r.requests),
		expectedRequests: Math.ceil(count / 1000),
		nodeMs: summarize(runs.map((r) => r.nodeMs)),
		executionMs: summarize(runs.map((r) => r.executionMs)),
		wallMs: summarize(runs.map((r) => r.wallMs)),
		startRssMb: summarize(runs.map((r) => r.memory.startRss / 1e6)),
		peakRssMb: summarize(runs.map((r) => r.memory.peakRss / 1e6)),
		groupPeakRssMb: summarize(runs.map((r) => r.memory.groupPeakRss / 1e6)),
		cpuSeconds: summarize(runs.map((r) => r.memory.cpuSeconds)),
	};
}

// ---------------------------------------------------------------------------------------------
// 5: trigger

interface MicroResult {
	node: string;
	callbackBytes: number;
	items: number;
	callbackMs: number[];
	bigBodyBytes: number;
	signatureMs: number[];
	digestMs: number[];
}

async function triggerSuite(bench: Bench, wfs: Workflows, sizes: Sizes, sink: Awaited<ReturnType<typeof startSink>>, goals: Goal[]) {
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
		join(__dirname, 'triggerMicro.js'),
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

// ---------------------------------------------------------------------------------------------
// 6: memory

/**
 * Peak memory of the n8n process over runs of `memorySmall` and then `memoryLarge` items, in a
 * fresh n8n process per node (a heap grown by an earlier run would hide the growth of a later one).
 * Peak = VmHWM, reset once after a warm-up run; base = RSS at that moment.
 */
async function memorySuite(bench: Bench, wfs: Workflows, sizes: Sizes, goals: Goal[]) {
	const cases: Array<[string, BenchWorkflow, number]> = [
		[`CheckMobi node, HLR, concurrency ${Math.max(...sizes.concurrencies)}`, wfs.checkMobi.hlr.get(Math.max(...sizes.concurrencies))!, Math.min(2, sizes.runs)],
		['HTTP Request node, HLR, no batching', wfs.http.hlr.get(batchingKey(null))!, 1],
		['No Op node (n8n baseline)', wfs.noop, Math.min(2, sizes.runs)],
	];
	const rows = [];
	for (const [label, wf, runs] of cases) {
		await bench.restart();
		await bench.runItems(wf, itemsBody(100), 100, { latencyMs: 0 });
		const pid = bench.n8n.pid!;
		resetPeak(pid);
		const base = rssBytes(pid);
		const measure = async (count: number) => {
			const peaks: number[] = [];
			let jsonBytes = 0;
			for (let i = 0; i < runs; i++) {
				const r = await bench.runItems(wf, itemsBody(count), count, { latencyMs: 0 }, { sizes: true, keepPeak: true });
				peaks.push(peakRssBytes(pid));
				jsonBytes = ((r.inputJsonBytes ?? 0) + (r.outputJsonBytes ?? 0)) / count;
				log(`  ${label}, ${count} items: peak so far ${(peaks[peaks.length - 1] / 1e6).toFixed(0)} MB (base ${(base / 1e6).toFixed(0)} MB)`);
			}
			return { items: count, baseMb: round3(base / 1e6), peakMb: round3(Math.max(...peaks) / 1e6), growthMb: round3((Math.max(...peaks) - base) / 1e6), peakAfterEachRunMb: peaks.map((p) => round3(p / 1e6)), itemJsonBytes: round3(jsonBytes) };
		};
		const small = await measure(sizes.memorySmall);
		const large = await measure(sizes.memoryLarge);
		rows.push({
			label,
			runs,
			small,
			large,
			/** Growth per extra item between the two sizes (bytes). */
			bytesPerItem: round3(((large.growthMb - small.growthMb) * 1e6) / (sizes.memoryLarge - sizes.memorySmall)),
			/** The items' own data: JSON of the node's input and output item (bytes per item). */
			itemJsonBytes: large.itemJsonBytes,
		});
	}
	const [cm, hr, noop] = rows;
	const ratioToData = ratio(cm.bytesPerItem, cm.itemJsonBytes);
	goals.push({
		id: 'memory',
		goal: "Memory grows no faster than the items' own data (judged against the HTTP Request node making the same requests)",
		measured: `${Math.round(cm.bytesPerItem)} B per extra item (${ratioToData} × the items' JSON); HTTP Request ${Math.round(hr.bytesPerItem)} B`,
		met: cm.bytesPerItem <= hr.bytesPerItem * 1.1,
	});
	return {
		rows,
		/** What the node adds per item beyond n8n's own handling of the items (No Op). */
		nodeOwnBytesPerItem: round3(cm.bytesPerItem - noop.bytesPerItem),
		ratioToItemJson: ratioToData,
		ratioToHttpRequest: ratio(cm.bytesPerItem, hr.bytesPerItem),
	};
}

// ---------------------------------------------------------------------------------------------
// Context

async function waitForQuiet(maxMinutes: number): Promise<void> {
	const until = Date.now() + maxMinutes * 60_000;
	for (;;) {
		const [one] = loadAverage();
		if (one < 1.5) return;
		if (Date.now() > until) {
			log(`load still ${one} after ${maxMinutes} min; running anyway (recorded)`);
			return;
		}
		log(`waiting for a quiet machine (load ${one})`);
		await sleep(30_000);
	}
}

function machineInfo(): Record<string, unknown> {
	let osName = os.type();
	try {
		osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
	} catch {
		// keep os.type()
	}
	return {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		memoryGb: round3(os.totalmem() / 1024 ** 3),
		os: osName,
		kernel: os.release(),
	};
}

function versions(n8n: N8nInstance): Record<string, unknown> {
	const root = projectRoot();
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
	const git = (args: string[]) => {
		try {
			return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
		} catch {
			return '';
		}
	};
	const changed = git(['status', '--porcelain', '--', 'nodes', 'credentials']).split('\n').filter(Boolean).length;
	return {
		n8n: N8N_VERSION,
		nodeForN8n: NODE_VERSION,
		nodeForDriverAndSandbox: process.version,
		package: pkg.version,
		commit: git(['rev-parse', '--short', 'HEAD']),
		uncommittedNodeFiles: changed,
		httpRequestNodeVersion: 4.5,
		expressionEngine: "n8n's default (vm)",
		packageDir: n8n.packagePath ? 'dist/ as built by npm run build, copied into n8n' : 'none',
	};
}

function method(sizes: Sizes): string[] {
	return [
		`One n8n ${N8N_VERSION} (\`n8n start\`, SQLite, default settings, the package installed as a community package) and one CheckMobi sandbox, both on loopback; the sandbox in its own process.`,
		'Each items run is a published workflow Webhook → Split Out → node under test; the bench posts the items and the webhook answers when the run is over. Figures are the node under test\'s own time in the saved execution (runData executionTime), so no CLI start-up and no webhook or Split Out time is in them.',
		`Every workflow runs once with 100 items before any figure is taken (module loading, JIT). Each figure is the median of ${sizes.runs} runs; spread = (max − min) / median.`,
		'Best settings are found by a sweep (one run per candidate); the best is then run again, and its sweep run counts as one of its runs.',
		'The sandbox is reset before every run (objects, rate windows, request log); its `latencyMs` adds the standing latency to every API request.',
		'CPU and memory are read from /proc for the n8n process (peak = VmHWM after resetting it through clear_refs), the group peak (n8n and its task runner) by sampling every 50 ms.',
		'Ratios compare medians measured in the same run of `npm run bench`.',
	];
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
