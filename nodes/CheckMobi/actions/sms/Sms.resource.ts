import type { INodeProperties } from 'n8n-workflow';

import { operationFieldsForNodeAndTool } from '../operationField';
import type { Operation } from '../types';
import * as get from './get.operation';
import * as send from './send.operation';
import * as sendAndWaitForDelivery from './sendAndWaitForDelivery.operation';

export const operations = { get, send, sendAndWaitForDelivery } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	...operationFieldsForNodeAndTool(
		'sms',
		operations,
		{
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
			sendAndWaitForDelivery: {
				name: 'Send and Wait for Delivery',
				description:
					'Send an SMS for the first input item, wait until CheckMobi reports it delivered or failed, then continue with that status (for many recipients, use Loop Over Items)',
				action: 'Send an SMS and wait for delivery',
			},
		},
		'send',
	),
	...send.description,
	...sendAndWaitForDelivery.description,
	...get.description,
];
