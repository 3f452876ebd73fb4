/** bench/RESULTS.md from the results of one run. */
import type { Goal, Results, Row } from './results';
import type { Summary } from './stats';

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const pct = (s: Summary) => `±${fmt((s.spread * 100) / 2, 0)} %`;
const med = (s: Summary, digits = 0) => fmt(s.median, digits);
const runsOf = (s: Summary, digits = 0) => s.runs.map((v) => fmt(v, digits)).join(' / ');

function table(head: string[], rows: string[][]): string {
	return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

interface ItemsOp {
	name: string;
	rows: Row[];
	sweeps: { checkMobi: Array<{ concurrency: number; itemsPerSecond: number }>; httpRequest: Array<{ batching: string; itemsPerSecond: number }> };
	ratios: Record<string, number>;
}

function itemsSection(title: string, suite: { latencyMs: number; ops: Record<string, ItemsOp>; load?: number[]; seconds?: number }, perItem: boolean): string {
	const out: string[] = [`## ${title}`, ''];
	out.push(`Load average at the start: ${suite.load?.join(' ') ?? '?'}; ${suite.seconds ?? '?'} s.`, '');
	for (const op of Object.values(suite.ops)) {
		out.push(`### ${op.name}`, '');
		out.push(
			table(
				['Client', 'Items per run', 'Items/s (median)', 'Spread', 'Runs (items/s)', 'Node time (s)', 'n8n CPU ms/item'],
				op.rows.map((r) => [
					r.label,
					String(r.items),
					// A No Op node takes about a millisecond: a rate would mean nothing.
					r.client === 'noop' ? '–' : `**${med(r.itemsPerSecond)}**`,
					r.client === 'noop' ? '–' : pct(r.itemsPerSecond),
					r.client === 'noop' ? '–' : runsOf(r.itemsPerSecond),
					med(scale(r.nodeMs), 2),
					r.client === 'bare' ? `(client ${med(r.cpuMsPerItem!, 2)})` : med(r.cpuMsPerItem!, 2),
				]),
			),
			'',
		);
		const r = op.ratios;
		const lines = [
			`- CheckMobi best ÷ bare client (keep-alive), same concurrency: **${r.bestVsBare}**${r.bestVsBareNewConnections !== undefined ? ` (÷ bare client opening a connection per request, as n8n's helpers do: ${r.bestVsBareNewConnections})` : ''}`,
			`- CheckMobi best ÷ HTTP Request best: **${r.bestVsHttpBest}**`,
		];
		if (r.defaultVsHttpDefault !== undefined) {
			lines.push(`- CheckMobi default (1 at a time) ÷ HTTP Request default (no batching: every item at once): **${r.defaultVsHttpDefault}**; ÷ bare client at 1 at a time: ${r.defaultVsBareOne}`);
		}
		if (perItem) {
			lines.push(
				`- Per item, beyond n8n's own handling of the items (No Op subtracted): CheckMobi **${r.cpuMsPerItemCheckMobi} ms CPU**, HTTP Request **${r.cpuMsPerItemHttpRequest} ms CPU**; wall ${r.wallMsPerItemCheckMobi} vs ${r.wallMsPerItemHttpRequest} ms per item at the best settings`,
			);
		}
		out.push(...lines, '');
		out.push(
			`Sweeps (one run each): CheckMobi concurrency ${op.sweeps.checkMobi.map((s) => `${s.concurrency} → ${fmt(s.itemsPerSecond)}`).join(', ')} items/s; ` +
				`HTTP Request ${op.sweeps.httpRequest.map((s) => `${s.batching} → ${fmt(s.itemsPerSecond)}`).join(', ')} items/s.`,
			'',
		);
	}
	return out.join('\n');
}

export function writeReport(results: Results): string {
	const s = results.suites as Record<string, Record<string, unknown> | undefined>;
	const m = results.machine;
	const v = results.versions;
	const out: string[] = [];
	out.push('# Benchmarks', '');
	out.push(
		`Written by \`npm run bench\` (bench/run.ts) on ${results.date.slice(0, 10)} (${results.date}); the run took ${results.durationSeconds ?? '?'} s.${results.quick ? ' **Quick mode: small sizes, one run each; not for comparison.**' : ''}`,
		'What the figures mean, what stands in the way of the missed goals and what would fix it: [bench/README.md](README.md).',
		'',
	);
	out.push(
		table(
			['', ''],
			[
				['Machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Linux ${m.kernel}`],
				['Load average (1/5/15 min)', Object.entries(results.load).map(([k, l]) => `${k}: ${l.join(' ')}`).join('; ')],
				['n8n', `${v.n8n} on Node.js ${v.nodeForN8n}, SQLite, default settings (expression engine: ${v.expressionEngine})`],
				['HTTP Request node', `version ${v.httpRequestNodeVersion} (what n8n ${v.n8n} adds), key in a Header Auth credential`],
				['Package', `n8n-nodes-checkmobi ${v.package}, commit ${v.commit}${v.uncommittedNodeFiles ? ` + ${v.uncommittedNodeFiles} uncommitted files in nodes/ and credentials/` : ''}`],
				['Driver and sandbox', `Node.js ${v.nodeForDriverAndSandbox}`],
			],
		),
		'',
	);
	out.push('How it was measured:', '', ...results.method.map((line) => `- ${line}`), '');

	out.push('## Goals', '');
	out.push(table(['Goal', 'Measured', 'Met'], results.goals.map((g: Goal) => [g.goal, g.measured, g.met ? 'yes' : '**no**'])), '');

	const n = results.sizes.items.toLocaleString('en');
	if (s.items) {
		out.push(itemsSection(`1. Items through the node: ${n} requests with ${s.items.latencyMs} ms of API latency`, s.items as never, false));
		out.push(
			`The HTTP Request node sends every item at once unless Batching is set; Batching sends Items per Batch, then waits Batch Interval ms (requests in flight carry on). The pre-filled Batching (50 items every 1,000 ms) caps it at 50 items/s, so it is not swept. The CheckMobi node at its default sends one request at a time (${results.sizes.itemsDefault} items per run there: at one request at a time items/s does not depend on the count).`,
			'',
		);
	}
	if (s.perItem) out.push(itemsSection('2. Per-item cost: the same with no injected latency', s.perItem as never, true));

	const pacing = s.pacing as
		| {
				concurrency: number;
				latencyMs: number;
				limitPerMinute: number;
				unlimited: { sends: number; nodeMs: Summary };
				underLimit: { sends: number; nodeMs: Summary; idealMs: number; ratioToIdeal: number; errors12: number[] };
				overLimit: { sends: number; nodeMs: Summary; idealMs: number; ratioToIdeal: number; errors12: number[]; sendsPerMinute: number };
				idealDefinition: string;
				load?: number[];
		  }
		| undefined;
	if (pacing) {
		out.push('## 3. Pacing to the account\'s SMS limit', '');
		out.push(
			`SMS → Send, concurrency ${pacing.concurrency}, Pace to Account Limits on (default), ${pacing.latencyMs} ms of latency, the sandbox's \`sms_per_minute\` = ${pacing.limitPerMinute} (a sliding 60 s window, like CheckMobi's). Load at the start: ${pacing.load?.join(' ') ?? '?'}.`,
			'',
			`Ideal: ${pacing.idealDefinition}`,
			'',
		);
		out.push(
			table(
				['Run', 'Time (s, median)', 'Runs (s)', 'Ideal (s)', 'Time ÷ ideal', 'Error 12 per run'],
				[
					[`${pacing.unlimited.sends} sends, no limit (reference)`, med(scale(pacing.unlimited.nodeMs), 2), runsOf(scale(pacing.unlimited.nodeMs), 2), '–', '–', '–'],
					[`${pacing.underLimit.sends} sends at ${pacing.limitPerMinute}/min`, med(scale(pacing.underLimit.nodeMs), 2), runsOf(scale(pacing.underLimit.nodeMs), 2), fmt(pacing.underLimit.idealMs / 1000, 2), `**${pacing.underLimit.ratioToIdeal}**`, pacing.underLimit.errors12.join(' / ')],
					[`${pacing.overLimit.sends} sends at ${pacing.limitPerMinute}/min`, med(scale(pacing.overLimit.nodeMs), 2), runsOf(scale(pacing.overLimit.nodeMs), 2), fmt(pacing.overLimit.idealMs / 1000, 2), `**${pacing.overLimit.ratioToIdeal}**`, pacing.overLimit.errors12.join(' / ')],
				],
			),
			'',
			`Over the limit the node sent ${fmt(pacing.overLimit.sendsPerMinute)} SMS per minute on average over the whole run (the first ${pacing.limitPerMinute} at once, the rest as the window frees).`,
			'',
		);
	}

	const bulk = s.bulk as
		| {
				numbers: number;
				requests: number[];
				expectedRequests: number;
				nodeMs: Summary;
				executionMs: Summary;
				startRssMb: Summary;
				peakRssMb: Summary;
				groupPeakRssMb: Summary;
				cpuSeconds: Summary;
				asList: { requests: number[]; nodeMs: Summary; executionMs: Summary; peakRssMb: Summary };
				load?: number[];
		  }
		| undefined;
	if (bulk) {
		out.push('## 4. Bulk HLR from input items', '');
		out.push(
			`Lookup → HLR Bulk, numbers from each input item, ${bulk.numbers.toLocaleString('en')} items (distinct numbers), no injected latency; the sandbox holds the result callbacks back so that only the submission is measured. Load at the start: ${bulk.load?.join(' ') ?? '?'}.`,
			'',
		);
		out.push(
			table(
				['', 'Median', 'Runs'],
				[
					['Requests made (must be ' + bulk.expectedRequests + ')', bulk.requests.join(' / '), ''],
					['Node time (s)', med(scale(bulk.nodeMs), 2), runsOf(scale(bulk.nodeMs), 2)],
					[`Whole execution (s): webhook, Split Out of ${bulk.numbers.toLocaleString('en')} items, the node, saving`, med(scale(bulk.executionMs), 2), runsOf(scale(bulk.executionMs), 2)],
					['n8n process RSS before the run (MB)', med(bulk.startRssMb), runsOf(bulk.startRssMb)],
					['n8n process peak RSS during the run (MB)', `**${med(bulk.peakRssMb)}**`, runsOf(bulk.peakRssMb)],
					['n8n + task runner, sampled peak (MB)', med(bulk.groupPeakRssMb), runsOf(bulk.groupPeakRssMb)],
					['n8n CPU (s)', med(bulk.cpuSeconds, 2), runsOf(bulk.cpuSeconds, 2)],
				],
			),
			'',
			`The same ${bulk.numbers.toLocaleString('en')} numbers gathered into one list first (n8n's Aggregate node), then Numbers From = A List: requests ${bulk.asList.requests.join(' / ')}, node time **${med(scale(bulk.asList.nodeMs), 2)} s** (runs ${runsOf(scale(bulk.asList.nodeMs), 2)}), whole execution with the Aggregate node ${med(scale(bulk.asList.executionMs), 2)} s, peak RSS ${med(bulk.asList.peakRssMb)} MB.`,
			'',
		);
	}

	const trigger = s.trigger as
		| {
				inNode: { node: string; callbackBytes: number; items: number; callbackMs: Summary; signature1MbMs: Summary; bigBodyBytes: number; repeatDigest1MbMs: Summary };
				throughput: { callbacks: number; concurrency: number; rows: Array<{ label: string; acceptedPerSecond: Summary; completedPerSecond: Summary; cpuMsPerCallback: Summary }>; perCallback: Record<string, number> };
				load?: number[];
		  }
		| undefined;
	if (trigger) {
		const t = trigger.inNode;
		out.push('## 5. CheckMobi Trigger', '');
		out.push(
			`In the node (in-process on Node.js ${t.node}, n8n-core's WebhookContext, median of the runs after 5 warm-up calls). Load at the start: ${trigger.load?.join(' ') ?? '?'}.`,
			'',
			table(
				['', 'Median (ms)', 'Min–max (ms)'],
				[
					[`One HLR bulk callback of ${t.items} results (${fmt(t.callbackBytes / 1024)} KB, as the sandbox sends it) → ${t.items} items: the whole webhook() with signature check and a full repeat memory`, `**${med(t.callbackMs, 2)}**`, `${fmt(t.callbackMs.min, 2)}–${fmt(t.callbackMs.max, 2)}`],
					[`Signature check of a ${fmt(t.bigBodyBytes / 1024 / 1024, 1)} MB body (HMAC-SHA256, constant-time compare)`, `**${med(t.signature1MbMs, 2)}**`, `${fmt(t.signature1MbMs.min, 2)}–${fmt(t.signature1MbMs.max, 2)}`],
					['Repeat-memory digest (SHA-256) of the same 1 MB body', med(t.repeatDigest1MbMs, 2), `${fmt(t.repeatDigest1MbMs.min, 2)}–${fmt(t.repeatDigest1MbMs.max, 2)}`],
				],
			),
			'',
			`Sustained signed callbacks into the real n8n: ${trigger.throughput.callbacks} distinct SMS-status callbacks per run, ${trigger.throughput.concurrency} at a time, each workflow = trigger → No Op. "Answered" = every callback answered 200; "completed" = until the last execution stopped (n8n runs them after answering).`,
			'',
			table(
				['Receiver', 'Answered/s (median)', 'Completed/s (median)', 'Spread', 'Runs (completed/s)', 'n8n CPU ms/callback'],
				trigger.throughput.rows.map((r) => [r.label, med(r.acceptedPerSecond), `**${med(r.completedPerSecond)}**`, pct(r.completedPerSecond), runsOf(r.completedPerSecond), med(r.cpuMsPerCallback, 2)]),
			),
			'',
			`Time per callback, CheckMobi Trigger ÷ Webhook node: **${trigger.throughput.perCallback.completedVsWebhook}** (completed), ${trigger.throughput.perCallback.acceptedVsWebhook} (answered); with the repeat memory off: ${trigger.throughput.perCallback.completedNoMemoryVsWebhook}. Like for like: the trigger (signature checked) ÷ the Webhook node with Header Auth (both load a credential per request): **${trigger.throughput.perCallback.completedVsWebhookHeaderAuth ?? '–'}**; the trigger without signature check ÷ the Webhook node without auth: **${trigger.throughput.perCallback.completedNoSignatureVsWebhook ?? '–'}**.`,
			'',
			`Completed executions per second, the signed trigger ÷ the Webhook node with Header Auth: **${trigger.throughput.perCallback.rateVsWebhookHeaderAuth ?? '–'}** (goal ≥ 1.0); ÷ the bare Webhook node: **${trigger.throughput.perCallback.rateVsWebhook ?? '–'}** (goal ≥ 0.8).${(trigger.throughput.perCallback.rateVsWebhook ?? 0) < 0.8 ? ' Below 0.8 because of n8n, not the node: the isolates n8n creates per callback, profiled, are in [bench/README.md](README.md) (Reading the figures, Trigger).' : ''}`,
			'',
		);
	}

	const memory = s.memory as
		| {
				rows: Array<{ label: string; runs: number; small: MemorySize; large: MemorySize; bytesPerItem: number; itemJsonBytes: number }>;
				nodeOwnBytesPerItem: number;
				ratioToItemJson: number;
				ratioToHttpRequest: number;
				load?: number[];
		  }
		| undefined;
	if (memory) {
		const [small, large] = [memory.rows[0].small.items, memory.rows[0].large.items];
		out.push(`## 6. Memory: ${small.toLocaleString('en')} against ${large.toLocaleString('en')} items`, '');
		out.push(
			`HLR lookups, no injected latency, the same Webhook → Split Out → node workflow, in a fresh n8n process per node: one warm-up run of 100 items, then the runs of ${small} items, then those of ${large}. Peak = the n8n process's VmHWM (reset after the warm-up); growth = peak − RSS after the warm-up. The items' JSON is that of the node's input and output items. Load at the start: ${memory.load?.join(' ') ?? '?'}.`,
			'',
			table(
				['Node', 'Runs per size', 'RSS after warm-up (MB)', `Peak, ${small} items (MB)`, `Peak, ${large} items (MB)`, `Growth ${small} → ${large} (MB)`, 'Per extra item (bytes)', "Items' JSON (bytes/item)"],
				memory.rows.map((r) => [
					r.label,
					String(r.runs),
					fmt(r.small.baseMb),
					`${fmt(r.small.peakMb)} (+${fmt(r.small.growthMb, 1)})`,
					`${fmt(r.large.peakMb)} (+${fmt(r.large.growthMb, 1)})`,
					fmt(r.large.growthMb - r.small.growthMb, 1),
					`**${fmt(r.bytesPerItem)}**`,
					fmt(r.itemJsonBytes),
				]),
			),
			'',
			`CheckMobi node: memory per extra item ÷ the items' JSON = ${memory.ratioToItemJson}; ÷ the HTTP Request node's = **${memory.ratioToHttpRequest}**; beyond n8n's own handling of the items (No Op) the node adds ${fmt(memory.nodeOwnBytesPerItem)} bytes per item.`,
			'',
		);
	}
	return `${out.join('\n')}\n`;
}

interface MemorySize {
	items: number;
	baseMb: number;
	peakMb: number;
	growthMb: number;
	peakAfterEachRunMb: number[];
	itemJsonBytes: number;
}

function scale(s: Summary): Summary {
	return { runs: s.runs.map((x) => x / 1000), median: s.median / 1000, min: s.min / 1000, max: s.max / 1000, spread: s.spread };
}
