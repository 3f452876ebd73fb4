/** The shape of bench/results.json, which the suites fill and lib/report.ts turns into RESULTS.md. */
import type { Sizes } from './args';
import type { Summary } from './stats';

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
