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
				name: 'Get Validation Methods',
				description:
					'Get the number\'s country, carrier and whether it is mobile, and which validation methods (SMS, IVR call, missed call) can reach it, before a Validation → Request',
				action: 'Get the validation methods for a number',
			},
		}),
		default: 'check',
	},
	...check.description,
];
