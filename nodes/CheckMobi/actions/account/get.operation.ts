import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../common.descriptions';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

const properties: INodeProperties[] = [
	optionsCollection([]),
];

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions({ show: { resource: ['account'], operation: ['get'] } }, withSharedOptions(declaration, properties));

export function prepare(): PreparedRequest {
	return { request: { method: 'GET', path: '/my-account' } };
}
