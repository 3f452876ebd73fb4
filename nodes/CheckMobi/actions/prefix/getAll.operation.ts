import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listProperties, prepareList } from '../list';
import type { OperationDeclaration, PreparedRequest } from '../types';

export const description = updateDisplayOptions({ show: { resource: ['prefix'], operation: ['getAll'] } }, listProperties);

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	return prepareList.call(this, itemIndex, '/prefixes');
}
