/**
 * `npm run bench`: every benchmark of the package against a real n8n and the CheckMobi sandbox on
 * loopback, several runs each; writes bench/results.json and bench/RESULTS.md.
 *
 *   node build/bench/bench/run.js [--quick] [--only items,perItem,pacing,bulk,trigger,memory]
 *                                 [--runs N] [--wait-quiet[=MINUTES]] [--out DIR]
 *
 * --quick: small sizes and one run each, results under build/bench/ (for building the benchmarks).
 * The arguments are read in lib/args.ts, each suite is a file of suites/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8N_VERSION, N8nInstance } from '../scripts/lib/n8n';
import { parseArgs, sizesFor, SUITES, type Sizes, type SuiteName } from './lib/args';
import { Bench, startSink } from './lib/bench';
import { log } from './lib/log';
import { machineInfo, versions, waitForQuiet } from './lib/machine';
import { loadAverage } from './lib/proc';
import { writeReport } from './lib/report';
import type { Results } from './lib/results';
import { startSandboxProcess } from './lib/sandboxProcess';
import { allWorkflows, buildWorkflows, itemWorkflows } from './lib/workflowSet';
import { credentials, itemsBody } from './lib/workflows';
import { SUITE_RUNNERS, type SuiteContext } from './suites';

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const sizes = sizesFor(args);
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

		// In SUITES' order: pacing reads the items suite's best concurrency.
		const context: SuiteContext = { bench, wfs, sizes, results, sink };
		for (const name of SUITES) await run(name, async () => await SUITE_RUNNERS[name](context));
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
