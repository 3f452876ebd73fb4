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
				description: 'Get every country CheckMobi serves with its ISO code, calling code (as text) and flag images, e.g. for a country picker with flags',
				action: 'Get many countries',
			},
		}),
		default: 'getAll',
	},
	...getAll.description,
];
