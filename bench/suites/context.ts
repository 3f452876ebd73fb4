/** What every suite gets: the running n8n and sandbox, the workflows, the sizes, the results so far. */
import type { Sizes } from '../lib/args';
import type { Bench, Sink } from '../lib/bench';
import type { Results } from '../lib/results';
import type { Workflows } from '../lib/workflowSet';

export interface SuiteContext {
	bench: Bench;
	wfs: Workflows;
	sizes: Sizes;
	/** The results so far: a suite adds its goals, and may read an earlier suite's figures. */
	results: Results;
	/** Where the sandbox posts callbacks (bulk results). */
	sink: Sink;
}
