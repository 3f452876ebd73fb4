/** Every workflow one run of the benchmarks imports and publishes, by the suite that uses it. */
import type { Sizes } from './args';
import type { BenchWorkflow } from './bench';
import {
	aggregatedItemsWorkflow,
	checkMobiNode,
	httpRequestNode,
	itemsWorkflow,
	noOpNode,
	triggerWorkflow,
	webhookWorkflow,
	type Batching,
	type Operation,
} from './workflows';

export interface Workflows {
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

export function batchingKey(batching: Batching | null): string {
	return batching ? `batch ${batching.batchSize} every ${batching.batchInterval} ms` : 'no batching (default)';
}

export function buildWorkflows(sizes: Sizes, sandboxUrl: string, sinkUrl: string): Workflows {
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

export function itemWorkflows(wfs: Workflows): BenchWorkflow[] {
	return [
		...Object.values(wfs.checkMobi).flatMap((m) => [...m.values()]),
		...Object.values(wfs.http).flatMap((m) => [...m.values()]),
		wfs.noop,
	];
}

export function allWorkflows(wfs: Workflows): BenchWorkflow[] {
	const all = [...itemWorkflows(wfs), wfs.bulk, wfs.bulkList, wfs.trigger, wfs.triggerNoMemory, wfs.triggerNoSignature, wfs.webhook, wfs.webhookHeaderAuth];
	const ids = new Set(all.map((w) => w.workflow.id));
	if (ids.size !== all.length) throw new Error('two benchmark workflows share an id');
	return all;
}
