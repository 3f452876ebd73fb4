import type { IExecuteFunctions } from 'n8n-workflow';

import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { prepareSingleLookup, singleLookupDescription } from './singleLookup';

export const declaration: OperationDeclaration = { sideEffect: 'charges', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = withSharedOptions(
	declaration,
	singleLookupDescription(
		'mnp',
		'The mobile number to query, in international format. Charged per lookup, cheaper than HLR: CheckMobi gives the network the number belongs to now, after any porting (current MCCMNC), without checking whether the phone is reachable. A landline falls back to the free validation.',
	),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	return prepareSingleLookup.call(this, itemIndex, 'mnp');
}
