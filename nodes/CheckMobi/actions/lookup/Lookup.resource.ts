import type { INodeProperties } from 'n8n-workflow';

import { operationFieldsForNodeAndTool } from '../operationField';
import type { Operation } from '../types';
import * as hlr from './hlr.operation';
import * as hlrBulk from './hlrBulk.operation';
import * as mnp from './mnp.operation';
import * as mnpBulk from './mnpBulk.operation';
import * as validate from './validate.operation';

export const operations = { validate, hlr, mnp, hlrBulk, mnpBulk } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	...operationFieldsForNodeAndTool(
		'lookup',
		operations,
		{
			hlr: {
				name: 'HLR',
				description:
					'Ask the mobile networks live whether a number is active and reachable now, and which network it is on (charged)',
				action: 'Run an HLR lookup of a number',
			},
			hlrBulk: {
				name: 'HLR Bulk',
				description: 'Queue HLR lookups of up to 1000 numbers per request; results arrive at a CheckMobi Trigger',
				action: 'Run bulk HLR lookups of many numbers',
			},
			mnp: {
				name: 'MNP',
				description:
					'Find the network a mobile number belongs to now, after porting; no reachability check (charged, cheaper than HLR)',
				action: 'Run an MNP lookup of a number',
			},
			mnpBulk: {
				name: 'MNP Bulk',
				description: 'Queue MNP lookups of up to 1000 numbers per request; results arrive at a CheckMobi Trigger',
				action: 'Run bulk MNP lookups of many numbers',
			},
			validate: {
				name: 'Check Format',
				description:
					'Free check against the numbering plan: whether the number looks valid, its type, formats, country and original network. No network query and no PIN (for a PIN, use Validation → Request).',
				action: 'Check the format of a number',
			},
		},
		'validate',
	),
	...validate.description,
	...hlr.description,
	...mnp.description,
	...hlrBulk.description,
	...mnpBulk.description,
];
