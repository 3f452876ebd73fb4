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
		displayOptions: { show: { resource: ['country'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many countries with their ISO code, calling code and flags',
				action: 'Get many countries',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
