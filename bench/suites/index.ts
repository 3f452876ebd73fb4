/** Every suite by the name `--only` selects it by; the type makes a suite without a runner fail to compile. */
import type { SuiteName } from '../lib/args';
import { bulkSuite } from './bulk';
import type { SuiteContext } from './context';
import { itemsSuite } from './items';
import { memorySuite } from './memory';
import { pacingSuite } from './pacing';
import { triggerSuite } from './trigger';

export type { SuiteContext } from './context';

export const SUITE_RUNNERS: Record<SuiteName, (context: SuiteContext) => Promise<object>> = {
	items: async (context) => await itemsSuite(context, context.sizes.latencyMs),
	perItem: async (context) => await itemsSuite(context, 0),
	pacing: pacingSuite,
	bulk: bulkSuite,
	trigger: triggerSuite,
	memory: memorySuite,
};
