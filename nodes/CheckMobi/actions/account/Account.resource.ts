import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../operationField';
import type { Operation } from '../types';
import * as get from './get.operation';

export const operations = { get } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	operationField(
		'account',
		operations,
		{
			get: {
				name: 'Get',
				description: 'Get the account details: credit balance, usage this billing period and per-minute limits',
				action: 'Get account details',
			},
		},
		'get',
	),
	...get.description,
];
