import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { operationChoices } from '../types';
import * as get from './get.operation';

export const operations = { get } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: operationChoices(operations, {
			get: {
				name: 'Get',
				description: 'Get the account details: credit balance, usage this billing period and per-minute limits',
				action: 'Get account details',
			},
		}),
		default: 'get',
	},
	...get.description,
];
