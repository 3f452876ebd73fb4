import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PreparedRequest } from '../types';
import { prepareWaitingSend } from '../wait/execute';
import { waitingDeclaration, waitingFields } from '../wait/fields';
import type { WaitBehaviour } from '../wait/types';
import * as request from './request.operation';

const properties: INodeProperties[] = waitingFields(request.requestFields);

export const description = updateDisplayOptions({ show: { resource: ['validation'], operation: ['requestAndWaitForVerification'] } }, properties);

export const declaration = waitingDeclaration(request.declaration);

export async function prepare(this: IExecuteFunctions): Promise<PreparedRequest> {
	return await prepareWaitingSend.call(this, async (itemIndex) => await request.prepare.call(this, itemIndex));
}

export const wait: WaitBehaviour = {
	// A validation's callback names it "key", not "id".
	callbackId: (callback) => callback.key,
	timedOut: (sent) => ({ ...sent, status: 'timeout', validated: false }),
	// CheckMobi calls back only once a validation is completed.
	resume: (callback, sent) => ({ ...sent, ...callback, status: 'validated', validated: true, validated_at: new Date().toISOString() }),
};
