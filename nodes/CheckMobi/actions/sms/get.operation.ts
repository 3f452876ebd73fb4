import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idField, optionsCollection } from '../common.descriptions';
import { readId } from '../inputs';
import { getById } from '../records';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { smsId } from './fields';

const properties: INodeProperties[] = [
	idField(
		smsId,
		'The ID of the message, as SMS → Send returned it. The answer (the message detail record) has its delivery status, the destination and, once known, the units and the charge.',
	),
	optionsCollection([]),
];

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions({ show: { resource: ['sms'], operation: ['get'] } }, withSharedOptions(declaration, properties));

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, smsId);
	// GET /sms/{id}: the message detail record, with its ID in front (the record does not name it).
	return getById('/sms', id);
}
