import type { IExecuteFunctions } from 'n8n-workflow';

import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { prepareSingleLookup, singleLookupDescription } from './singleLookup';

export const declaration: OperationDeclaration = { sideEffect: 'charges', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = withSharedOptions(
	declaration,
	singleLookupDescription(
		'hlr',
		'The mobile number to query, in international format. Charged per lookup: CheckMobi asks the mobile networks live whether the number is active and reachable right now ("reachable"), whether it was ported, and its issuing and current network. A landline falls back to the free validation.',
	),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	return prepareSingleLookup.call(this, itemIndex, 'hlr');
}
