import type { IExecuteFunctions } from 'n8n-workflow';

import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { prepareSingleLookup, singleLookupDescription } from './singleLookup';

export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = withSharedOptions(
	declaration,
	singleLookupDescription(
		'validate',
		'The number to check, in international format. Free: CheckMobi reads it against the numbering plan without querying any network, and answers whether it looks valid, its type (mobile, landline, …), formats, time zone and the country and network that issued it (which may not be its current network).',
	),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	return prepareSingleLookup.call(this, itemIndex, 'verify');
}
