import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../operationField';
import type { Operation } from '../types';
import * as check from './check.operation';

export const operations = { check } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	operationField(
		'number',
		operations,
		{
			check: {
				name: 'Get Validation Methods',
				description:
					'Get the number\'s country, carrier and whether it is mobile, and which validation methods (SMS, IVR call, missed call) can reach it, before a Validation → Request',
				action: 'Get the validation methods for a number',
			},
		},
		'check',
	),
	...check.description,
];
