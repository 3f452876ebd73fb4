import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchPlan, OperationDeclaration } from '../types';
import { bulkLookupDescription, prepareBulkLookup } from './bulkLookup';

export const description = bulkLookupDescription('hlrBulk');

export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export async function prepareBatch(this: IExecuteFunctions, itemCount: number): Promise<BatchPlan> {
	return await prepareBulkLookup.call(this, itemCount, 'hlr');
}
