import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../operationField';
import type { Operation } from '../types';
import * as getAll from './getAll.operation';

export const operations = { getAll } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	operationField(
		'country',
		operations,
		{
			getAll: {
				name: 'Get Many',
				description: 'Get every country CheckMobi serves with its ISO code, calling code (as text) and flag images, e.g. for a country picker with flags',
				action: 'Get many countries',
			},
		},
		'getAll',
	),
	...getAll.description,
];
