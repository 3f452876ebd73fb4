import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { operationChoices } from '../types';
import * as getAll from './getAll.operation';

export const operations = { getAll } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['prefix'] } },
		options: operationChoices(operations, {
			getAll: {
				name: 'Get Many',
				description: 'Get every country with its ISO code and calling prefix (as a number), without flags: the lighter list',
				action: 'Get many calling prefixes',
			},
		}),
		default: 'getAll',
	},
	...getAll.description,
];
