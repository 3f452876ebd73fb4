import type { INodeProperties } from 'n8n-workflow';

import { operationFieldsForNodeAndTool } from '../operationField';
import type { Operation } from '../types';
import * as get from './get.operation';
import * as hangUp from './hangUp.operation';
import * as place from './place.operation';
import * as placeAndWaitForEnd from './placeAndWaitForEnd.operation';

export const operations = { get, hangUp, place, placeAndWaitForEnd } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	...operationFieldsForNodeAndTool(
		'call',
		operations,
		{
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
			placeAndWaitForEnd: {
				name: 'Place and Wait for End',
				description:
					'Place a call for the first input item, wait until it ends, then continue with whether it was answered, its duration and charges (for many, use Loop Over Items)',
				action: 'Place a call and wait for its end',
			},
		},
		'place',
	),
	...place.description,
	...placeAndWaitForEnd.description,
	...get.description,
	...hangUp.description,
];
