import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';

export const operations: Record<string, Operation> = {};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lookup'] } },
		options: [
			{
				name: 'HLR',
				value: 'hlr',
				description: 'Ask the mobile network whether a number is live, and on which network (charged)',
				action: 'Run an HLR lookup of a number',
			},
			{
				name: 'HLR Bulk',
				value: 'hlrBulk',
				description: 'Queue HLR lookups of up to 1000 numbers per request; results arrive at a CheckMobi Trigger',
				action: 'Run bulk HLR lookups of many numbers',
			},
			{
				name: 'MNP',
				value: 'mnp',
				description: 'Find the network a mobile number is currently ported to (charged, cheaper than HLR)',
				action: 'Run an MNP lookup of a number',
			},
			{
				name: 'MNP Bulk',
				value: 'mnpBulk',
				description: 'Queue MNP lookups of up to 1000 numbers per request; results arrive at a CheckMobi Trigger',
				action: 'Run bulk MNP lookups of many numbers',
			},
			{
				name: 'Validate',
				value: 'validate',
				description: 'Check whether a number looks valid and get its formats, type and country (free)',
				action: 'Validate a number',
			},
		],
		default: 'validate',
	},
];
