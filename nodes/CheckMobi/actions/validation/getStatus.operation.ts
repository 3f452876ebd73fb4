import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOption, timeoutOption } from '../common.descriptions';
import type { PreparedRequest, Traffic } from '../types';
import { validationIdField, withValidationId } from './fields';
import { readValidationId } from './inputs';

const properties: INodeProperties[] = [
	validationIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [concurrencyOption, timeoutOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['validation'], operation: ['getStatus'] } },
	properties,
);

export const traffic: Traffic = 'read';

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readValidationId.call(this, itemIndex);
	return {
		request: { method: 'GET', path: `/validation/status/${encodeURIComponent(id)}` },
		toOutput: withValidationId(id),
	};
}
