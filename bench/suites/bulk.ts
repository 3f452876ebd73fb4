/** Suite 4: a bulk HLR lookup of many numbers, one item each and as one list. */
import type { ItemsRun } from '../lib/bench';
import { log } from '../lib/log';
import { summarize } from '../lib/stats';
import { itemsBody } from '../lib/workflows';
import type { SuiteContext } from './context';

export async function bulkSuite({ bench, wfs, sizes, sink }: SuiteContext) {
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
		callbackUrl: sink.url.replace(/:\d+/, ':PORT'),
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
