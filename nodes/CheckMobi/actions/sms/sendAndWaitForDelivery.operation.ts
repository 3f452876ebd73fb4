import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { FINAL_SMS_STATUSES } from '../../../shared/callbackStatuses';
import type { PreparedRequest } from '../types';
import { waitingDeclaration, waitingFields } from '../wait/fields';
import { prepareWaitingSend } from '../wait/execute';
import type { WaitBehaviour } from '../wait/types';
import * as send from './send.operation';

/** The statuses after which an SMS's status no longer changes. */
const FINAL_STATUSES = new Set(FINAL_SMS_STATUSES);

const properties: INodeProperties[] = waitingFields(send.sendFields);

export const description = updateDisplayOptions({ show: { resource: ['sms'], operation: ['sendAndWaitForDelivery'] } }, properties);

export const declaration = waitingDeclaration(send.declaration);

export async function prepare(this: IExecuteFunctions): Promise<PreparedRequest> {
	return await prepareWaitingSend.call(this, async (itemIndex) => await send.prepare.call(this, itemIndex));
}

export const wait: WaitBehaviour = {
	callbackId: (callback) => callback.id,
	timedOut: (sent) => ({ ...sent, status: 'timeout', delivered: false }),
	resume(callback, sent): IDataObject | undefined {
		const status = String(callback.status ?? '');
		if (!FINAL_STATUSES.has(status)) return undefined;
		// The delivery report has the status and charges; the time is when it reached n8n.
		return { ...sent, ...callback, delivered: status === 'delivered', status_time: new Date().toISOString() };
	},
};
