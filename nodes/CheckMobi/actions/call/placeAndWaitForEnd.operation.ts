import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PreparedRequest } from '../types';
import { prepareWaitingSend } from '../wait/execute';
import { waitingDeclaration, waitingFields } from '../wait/fields';
import type { WaitBehaviour } from '../wait/types';
import * as place from './place.operation';

const properties: INodeProperties[] = waitingFields(place.placeFields);

export const description = updateDisplayOptions({ show: { resource: ['call'], operation: ['placeAndWaitForEnd'] } }, properties);

export const declaration = waitingDeclaration(place.declaration);

export async function prepare(this: IExecuteFunctions): Promise<PreparedRequest> {
	return await prepareWaitingSend.call(this, async (itemIndex) => await place.prepare.call(this, itemIndex));
}

export const wait: WaitBehaviour = {
	callbackId: (callback) => callback.id,
	timedOut: (sent) => ({ ...sent, status: 'timeout', answered: false }),
	resume(callback, sent): IDataObject | undefined {
		if (String(callback.event ?? '') !== 'hangup') return undefined;
		// Each callback is seen alone (a non-final one changes nothing stored), so "answered" comes
		// from the hangup's billed seconds; CheckMobi sends them "when available", else it is null.
		const billed = callback.duration_billed;
		const known = billed !== undefined && billed !== null && billed !== '' && Number.isFinite(Number(billed));
		return { ...sent, ...callback, status: 'ended', answered: known ? Number(billed) > 0 : null, end_time: new Date().toISOString() };
	},
};
