/** The send half of the waiting operations: the resume URL, the wait limit, and the wait itself. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { hintOnce } from '../../helpers/hints';
import { checkCallbackReach, invalidValue, MAX_CALLBACK_URL_LENGTH } from '../inputs';
import type { PreparedRequest } from '../types';
import type { WaitOperation } from './types';

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * Where CheckMobi posts the callbacks: this execution's resume URL (it carries the execution's
 * secret token in ?signature=) with this node's id added to the path, so that a late callback
 * reaches only this node's wait. CheckMobi must reach it and takes at most 255 characters.
 */
async function resumeCallbackUrl(this: IExecuteFunctions): Promise<string> {
	const node = this.getNode();
	const url = new URL(String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname += `/${encodeURIComponent(node.id)}`;
	const text = url.toString();
	if (text.length > MAX_CALLBACK_URL_LENGTH) {
		throw new NodeOperationError(node, `n8n's resume URL for this execution has ${text.length} characters; CheckMobi accepts at most ${MAX_CALLBACK_URL_LENGTH}`, {
			description: `Shorten n8n's WEBHOOK_URL (or N8N_ENDPOINT_WEBHOOK_WAIT). Nothing was sent.`,
		});
	}
	await checkCallbackReach.call(this, text, (description) =>
		new NodeOperationError(node, "CheckMobi cannot reach this n8n's resume URL", { description }),
	);
	return text;
}

/** When the wait ends without a final callback (Limit Wait Time), read before anything is sent. */
export function readWaitTill(this: IExecuteFunctions): Date {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const limit = (options.limitWaitTime as IDataObject | undefined)?.values as IDataObject | undefined;
	if (!limit) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const value = limit.maxDateAndTime;
		const date = new Date(typeof value === 'string' || typeof value === 'number' ? value : NaN);
		if (Number.isNaN(date.getTime())) {
			throw invalidValue(this, 0, 'Limit Wait Time → Max Date and Time', value, 'It must be a date and time, for example 2030-01-31T18:00:00Z. Nothing was sent.');
		}
		if (date.getTime() <= Date.now()) {
			throw invalidValue(this, 0, 'Limit Wait Time → Max Date and Time', value, 'It is in the past: the wait would end before CheckMobi answers. Nothing was sent.');
		}
		return date;
	}
	const amount = Number(limit.resumeAmount);
	const unit = UNIT_MS[String(limit.resumeUnit ?? 'minutes')];
	if (!(amount > 0) || unit === undefined) {
		throw invalidValue(this, 0, 'Limit Wait Time → Amount', limit.resumeAmount, 'It must be a number of minutes, hours or days above 0. Nothing was sent.');
	}
	return new Date(Date.now() + amount * unit);
}

/**
 * The send of a waiting operation: the operation's own request, with the resume URL as its
 * notification callback; the checks (limit, resume URL) come first, so a bad one sends nothing.
 */
export async function prepareWaitingSend(this: IExecuteFunctions, send: (itemIndex: number) => Promise<PreparedRequest>): Promise<PreparedRequest> {
	readWaitTill.call(this);
	const callback = await resumeCallbackUrl.call(this);
	const prepared = await send(0);
	prepared.request.body = { ...prepared.request.body, notification_callback: callback };
	const count = this.getInputData().length;
	if (count > 1) {
		hintOnce(this, 'firstItemOnly', `This operation ran for the first of the ${count} input items only. For many recipients, put it inside a Loop Over Items node (batch size 1).`);
	}
	return prepared;
}

/**
 * Puts the execution to wait after the send. When Limit Wait Time expires n8n does not run the
 * node again: it outputs the waiting node's input. So the timed-out item replaces that input
 * (a new array: the old one is the previous node's output). Until then the node's output is the
 * same item with status "waiting" (what a Webhook set to respond when the last node finishes answers
 * as soon as the execution waits). A failed send (Continue On Fail) does not wait.
 */
export async function waitAfterSend(this: IExecuteFunctions, operation: WaitOperation, output: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const [sent] = output;
	if (!sent || 'error' in sent.json) return output;
	const timedOut: INodeExecutionData = { json: operation.wait.timedOut(sent.json), pairedItem: { item: 0 } };
	this.getExecuteData().data.main[0] = [timedOut];
	await this.putExecutionToWait(readWaitTill.call(this));
	return [{ ...timedOut, json: { ...timedOut.json, status: 'waiting' } }];
}
