/** Suite 6: peak memory of n8n over small and large runs, the node against the HTTP Request node. */
import type { BenchWorkflow } from '../lib/bench';
import { log } from '../lib/log';
import { peakRssBytes, resetPeak, rssBytes } from '../lib/proc';
import { ratio, round3 } from '../lib/stats';
import { batchingKey } from '../lib/workflowSet';
import { itemsBody } from '../lib/workflows';
import type { SuiteContext } from './context';

/**
 * Peak memory of the n8n process over runs of `memorySmall` and then `memoryLarge` items, in a
 * fresh n8n process per node (a heap grown by an earlier run would hide the growth of a later one).
 * Peak = VmHWM, reset once after a warm-up run; base = RSS at that moment.
 */
export async function memorySuite({ bench, wfs, sizes, results }: SuiteContext) {
	const { goals } = results;
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
