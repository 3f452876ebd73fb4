import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../common.descriptions';
import { readId } from '../inputs';
import { getById } from '../records';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { validationId, validationIdField } from './fields';

const properties: INodeProperties[] = [
	validationIdField,
	optionsCollection([]),
];

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions(
	{ show: { resource: ['validation'], operation: ['getStatus'] } },
	withSharedOptions(declaration, properties),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, validationId);
	// GET /validation/status/{id}, with the validation's ID in front (the answer does not name it).
	return getById('/validation/status', id);
}
