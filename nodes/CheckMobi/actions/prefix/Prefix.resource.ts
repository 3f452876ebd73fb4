import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../operationField';
import type { Operation } from '../types';
import * as getAll from './getAll.operation';

export const operations = { getAll } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	operationField(
		'prefix',
		operations,
		{
			getAll: {
				name: 'Get Many',
				description: 'Get every country with its ISO code and calling prefix (as a number), without flags: the lighter list',
				action: 'Get many calling prefixes',
			},
		},
		'getAll',
	),
	...getAll.description,
];
