/** Execution hints (shown above the node's output) that many items may give rise to. */
import type { IExecuteFunctions } from 'n8n-workflow';

const shown = new WeakMap<object, Set<string>>();

/** Adds a warning hint once per run for each `kind`, however many items of the run call it. */
export function hintOnce(context: IExecuteFunctions, kind: string, message: string): void {
	let kinds = shown.get(context);
	if (!kinds) {
		kinds = new Set();
		shown.set(context, kinds);
	}
	if (kinds.has(kind)) return;
	kinds.add(kind);
	context.addExecutionHints({ type: 'warning', location: 'outputPane', message });
}
