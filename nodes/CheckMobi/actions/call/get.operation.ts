import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idField, optionsCollection } from '../common.descriptions';
import { readId } from '../inputs';
import { getById } from '../records';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { callId } from './fields';

const properties: INodeProperties[] = [
	idField(
		callId,
		'The ID of the call, as Call → Place returned it. The answer (the call detail record) has the destination and, once the call is over, the billed duration and the charge.',
	),
	optionsCollection([]),
];

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions({ show: { resource: ['call'], operation: ['get'] } }, withSharedOptions(declaration, properties));

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, callId);
	// GET /call/{id}: the call detail record, with its ID in front (the record does not name it).
	return getById('/call', id);
}
