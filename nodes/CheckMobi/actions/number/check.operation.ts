import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, phoneNumberField } from '../common.descriptions';
import { readPhoneNumber } from '../inputs';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

const properties: INodeProperties[] = [
	phoneNumberField(
		'The phone number to check, in international form with its country code (E.164). Nothing is sent to it. The answer gives its country, carrier, whether it is mobile, and which validation methods (SMS, IVR, Missed Call) can reach it.',
	),
	optionsCollection([]),
];

// A POST, but it only reads: a failed one is sent again.
export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = updateDisplayOptions({ show: { resource: ['number'], operation: ['check'] } }, withSharedOptions(declaration, properties));

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const number = readPhoneNumber.call(this, itemIndex);
	return { request: { method: 'POST', path: '/checknumber', body: { number }} };
}
