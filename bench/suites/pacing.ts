/** Suite 3: SMS sends paced to the account's per-minute limit, under it and over it. */
import type { ItemsRun } from '../lib/bench';
import { log } from '../lib/log';
import { median, ratio, round3, summarize } from '../lib/stats';
import { itemsBody } from '../lib/workflows';
import type { SuiteContext } from './context';

export async function pacingSuite({ bench, wfs, sizes, results }: SuiteContext) {
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
