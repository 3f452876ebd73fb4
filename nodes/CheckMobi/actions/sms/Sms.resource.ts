import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as get from './get.operation';
import * as send from './send.operation';

export { smsStatusOptions } from './fields';

export const operations: Record<string, Operation> = { get, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sms'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the delivery status and cost of a sent SMS',
				action: 'Get an SMS',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send an SMS to a phone number',
				action: 'Send an SMS',
			},
		],
		default: 'send',
	},
	...send.description,
	...get.description,
];
