import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as check from './check.operation';

export const operations: Record<string, Operation> = { check };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['number'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Get information about a number and the validation methods available for it',
				action: 'Check a number',
			},
		],
		default: 'check',
	},
	...check.description,
];
