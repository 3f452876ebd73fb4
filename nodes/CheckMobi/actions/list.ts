/** The "Return All / Limit" pair of n8n's Get Many operations, for CheckMobi's unpaged lists. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CheckMobiResponse } from '../transport';
import { optionsCollection } from './common.descriptions';
import type { PreparedRequest } from './types';

export const listProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { returnAll: [false] } },
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
	optionsCollection([]),
];

/** One GET of a whole list; each entry becomes an output item. */
export function prepareList(this: IExecuteFunctions, itemIndex: number, path: string): PreparedRequest {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return {
		request: { method: 'GET', path },
		toOutput: (response: CheckMobiResponse) => (Array.isArray(response) ? response : []).slice(0, limit) as IDataObject[],
	};
}
