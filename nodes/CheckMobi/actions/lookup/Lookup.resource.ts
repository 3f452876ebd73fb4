import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import * as hlr from './hlr.operation';
import * as hlrBulk from './hlrBulk.operation';
import * as mnp from './mnp.operation';
import * as mnpBulk from './mnpBulk.operation';
import * as validate from './validate.operation';

export const operations: Record<string, Operation> = { validate, hlr, mnp, hlrBulk, mnpBulk };

const BULK: readonly string[] = ['hlrBulk', 'mnpBulk'];

const choices: INodePropertyOptions[] = [
	{
		name: 'HLR',
		value: 'hlr',
		description:
			'Ask the mobile networks live whether a number is active and reachable now, and which network it is on (charged)',
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
		description:
			'Find the network a mobile number belongs to now, after porting; no reachability check (charged, cheaper than HLR)',
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
		description:
			'Check whether a number looks valid and get its type, formats and issuing country and network from the numbering plan (free, no network query)',
		action: 'Validate a number',
	},
];

/**
 * The Operation list twice: whole for the node, without the bulk lookups for the AI agent tool
 * variant (their results go to a callback URL an agent cannot supply). Same name and values, so a
 * saved workflow reads the same.
 */
function operationField(tool: boolean): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lookup'], '@tool': [tool] } },
		options: tool ? choices.filter((choice) => !BULK.includes(choice.value as string)) : choices,
		default: 'validate',
	};
}

export const description: INodeProperties[] = [
	operationField(false),
	operationField(true),
	...validate.description,
	...hlr.description,
	...mnp.description,
	...hlrBulk.description,
	...mnpBulk.description,
];
