import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CheckMobiResponse } from '../../transport';
import { concurrencyOption, idField, optionsCollection, timeoutOption } from '../common.descriptions';
import { readId } from '../inputs';
import type { PreparedRequest, Traffic } from '../types';
import { smsId } from './fields';

const properties: INodeProperties[] = [
	idField(
		smsId,
		'The ID of the message, as SMS → Send returned it. The answer (the message detail record) has its delivery status, the destination and, once known, the units and the charge.',
	),
	optionsCollection([concurrencyOption, timeoutOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['sms'], operation: ['get'] } }, properties);

export const traffic: Traffic = 'read';

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, smsId);
	return {
		request: { method: 'GET', path: `/sms/${encodeURIComponent(id)}` },
		// The record does not name the message: put its ID in front for the nodes that follow.
		toOutput: (response: CheckMobiResponse): IDataObject => ({
			id,
			...(response && !Array.isArray(response) ? response : {}),
		}),
	};
}
