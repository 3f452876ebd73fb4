import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { operationChoices } from '../types';
import * as check from './check.operation';

export const operations = { check } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['number'] } },
		options: operationChoices(operations, {
			check: {
				name: 'Check',
				description: 'Get information about a number and the validation methods available for it',
				action: 'Check a number',
			},
		}),
		default: 'check',
	},
	...check.description,
];
