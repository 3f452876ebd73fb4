import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { operationChoices } from '../types';
import * as get from './get.operation';
import * as hangUp from './hangUp.operation';
import * as place from './place.operation';

export const operations = { get, hangUp, place } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: operationChoices(operations, {
			get: {
				name: 'Get',
				description: 'Get the details and cost of a call',
				action: 'Get a call',
			},
			hangUp: {
				name: 'Hang Up',
				description: 'End a call in progress, including IVR and missed-call validation calls',
				action: 'Hang up a call',
			},
			place: {
				name: 'Place',
				description: 'Call a phone number and speak, play audio or send tones',
				action: 'Place a call',
			},
		}),
		default: 'place',
	},
	...place.description,
	...get.description,
	...hangUp.description,
];
