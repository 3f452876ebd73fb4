/** What the three single lookups (Validate, HLR, MNP) share: one number, one GET. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, phoneNumberField } from '../common.descriptions';
import { simplifyFields, simplifyLookupResult } from '../../../shared/lookupSummary';
import { readPhoneNumber } from '../inputs';
import { asObject } from '../records';
import type { PreparedRequest } from '../types';

export type LookupMethod = 'verify' | 'hlr' | 'mnp';

export function singleLookupDescription(
	operation: 'validate' | 'hlr' | 'mnp',
	numberDescription: string,
): INodeProperties[] {
	const properties: INodeProperties[] = [
		phoneNumberField(numberDescription),
		...simplifyFields(2, [1]),
		optionsCollection([]),
	];
	return updateDisplayOptions({ show: { resource: ['lookup'], operation: [operation] } }, properties);
}

/**
 * The path of a single lookup. The number goes as digits only (no "+"): CheckMobi adds the "+"
 * itself, and bare digits cannot be re-read by any proxy or framework on the way ("+" is a space
 * in form decoding; "%2B" is left undecoded by some routers).
 */
export function lookupPath(method: LookupMethod, e164: string): string {
	return `/lookup/${method}/${encodeURIComponent(e164.replace(/^\+/, ''))}`;
}

export function prepareSingleLookup(this: IExecuteFunctions, itemIndex: number, method: LookupMethod): PreparedRequest {
	const e164 = readPhoneNumber.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, false) === true;
	return {
		request: { method: 'GET', path: lookupPath(method, e164) },
		toOutput: simplify ? (response) => simplifyLookupResult(asObject(response)) : undefined,
	};
}
