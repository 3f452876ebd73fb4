import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listProperties, prepareList } from '../list';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions({ show: { resource: ['prefix'], operation: ['getAll'] } }, withSharedOptions(declaration, listProperties));

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	return prepareList.call(this, itemIndex, '/prefixes');
}
