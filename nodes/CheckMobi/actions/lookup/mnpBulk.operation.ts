import type { IExecuteFunctions } from 'n8n-workflow';

import { withSharedOptions } from '../sharedOptions';
import type { BatchPlan, OperationDeclaration } from '../types';
import { bulkLookupDescription, prepareBulkLookup } from './bulkLookup';

export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = withSharedOptions(declaration, bulkLookupDescription('mnpBulk'));

export async function prepareBatch(this: IExecuteFunctions, itemCount: number): Promise<BatchPlan> {
	return await prepareBulkLookup.call(this, itemCount, 'mnp');
}
