import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { operationChoices } from '../types';
import * as get from './get.operation';
import * as send from './send.operation';

export { smsStatusOptions } from './fields';

export const operations = { get, send } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sms'] } },
		options: operationChoices(operations, {
			get: {
				name: 'Get',
				description: 'Get the delivery status and cost of a sent SMS',
				action: 'Get an SMS',
			},
			send: {
				name: 'Send',
				description: 'Send an SMS to a phone number',
				action: 'Send an SMS',
			},
		}),
		default: 'send',
	},
	...send.description,
	...get.description,
];
