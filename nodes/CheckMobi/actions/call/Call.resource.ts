import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as get from './get.operation';
import * as hangUp from './hangUp.operation';
import * as place from './place.operation';
import * as placeAndWaitForEnd from './placeAndWaitForEnd.operation';
import { operationsForNodeAndTool } from '../wait/fields';

export const operations: Record<string, Operation> = { get, hangUp, place, placeAndWaitForEnd };

export const description: INodeProperties[] = [
	...operationsForNodeAndTool({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the details and cost of a call',
				action: 'Get a call',
			},
			{
				name: 'Hang Up',
				value: 'hangUp',
				description: 'End a call in progress, including IVR and missed-call validation calls',
				action: 'Hang up a call',
			},
			{
				name: 'Place',
				value: 'place',
				description: 'Call a phone number and speak, play audio or send tones',
				action: 'Place a call',
			},
			{
				name: 'Place and Wait for End',
				value: 'placeAndWaitForEnd',
				description: 'Place a call for the first input item, wait until it ends, then continue with whether it was answered, its duration and charges (for many, use Loop Over Items)',
				action: 'Place a call and wait for its end',
			},
		],
		default: 'place',
	}, ['placeAndWaitForEnd']),
	...place.description,
	...placeAndWaitForEnd.description,
	...get.description,
	...hangUp.description,
];
