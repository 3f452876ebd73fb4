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
		displayOptions: { show: { resource: ['country'] } },
		options: operationChoices(operations, {
			getAll: {
				name: 'Get Many',
				description: 'Get many countries with their ISO code, calling code and flags',
				action: 'Get many countries',
			},
		}),
		default: 'getAll',
	},
	...getAll.description,
];
