import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['prefix'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get every country with its ISO code and calling prefix (as a number), without flags: the lighter list',
				action: 'Get many calling prefixes',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
