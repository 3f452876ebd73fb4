/** The command line of `npm run bench` and the sizes it selects. */
import { join } from 'node:path';

import { projectRoot } from '../../scripts/lib/n8n';
import type { Batching } from './workflows';

export interface Sizes {
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

export const SUITES = ['items', 'perItem', 'pacing', 'bulk', 'trigger', 'memory'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface Args {
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

export function parseArgs(argv: string[]): Args {
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

/** The sizes of this run: --quick's or the full ones, with --runs and --bulk-numbers applied. */
export function sizesFor(args: Args): Sizes {
	return {
		...(args.quick ? QUICK : FULL),
		...(args.runs ? { runs: args.runs } : {}),
		...(args.bulkNumbers ? { bulkNumbers: args.bulkNumbers } : {}),
	};
}
