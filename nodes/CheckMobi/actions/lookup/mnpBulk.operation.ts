import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchPlan, Traffic } from '../types';
import { bulkLookupDescription, prepareBulkLookup } from './bulkLookup';

export const description = bulkLookupDescription('mnpBulk');

/** A POST that queues charged lookups: never retried. */
export const traffic: Traffic = 'create';

export function prepareBatch(this: IExecuteFunctions, itemCount: number): BatchPlan {
	return prepareBulkLookup.call(this, itemCount, 'mnp');
}
