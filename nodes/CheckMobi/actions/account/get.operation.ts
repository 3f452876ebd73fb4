import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, timeoutOption } from '../common.descriptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

const properties: INodeProperties[] = [
	optionsCollection([timeoutOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['account'], operation: ['get'] } }, properties);

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: false, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export function prepare(): PreparedRequest {
	return { request: { method: 'GET', path: '/my-account' } };
}
