/**
 * The resume half of the waiting operations: n8n hands CheckMobi's callback to the waiting node's
 * `webhook()`. Only a signed, final callback for the request this node sent resumes the execution;
 * anything else is answered and leaves it waiting.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIALS_TYPE } from '../../../shared/credentials';
import { readRawBody } from '../../../shared/rawBody';
import { readSignatureHeader, verifySignature } from '../../../shared/signature';
import { resources } from '../registry';
import type { WaitBehaviour } from './types';
import { isWaitOperation } from './types';

/** What to do with a callback whose signature was checked: resume with an item, or answer and keep waiting. */
export type ResumeDecision = { resume: IDataObject } | { answer: IDataObject };

/** The decision for one callback, given what the waiting node sent (its timed-out item, the stack entry). */
export function decideResume(wait: WaitBehaviour, callback: IDataObject, sent: IDataObject): ResumeDecision {
	if (wait.callbackId(callback) !== sent.id) {
		// Another request's callback (an earlier run of this node in a loop): not this wait's end.
		return { answer: { received: true, resumed: false, reason: 'not the request this node waits for' } };
	}
	const output = wait.resume(callback, sent);
	return output ? { resume: output } : { answer: { received: true, resumed: false, reason: 'not final yet' } };
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ code: status, message });
	return { noWebhookResponse: true };
}

export async function resumeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const operation = resources[String(this.getNodeParameter('resource', ''))]?.[String(this.getNodeParameter('operation', ''))];
	if (!operation || !isWaitOperation(operation)) return refuse.call(this, 404, 'This node does not wait for a callback.');

	const rawBody = await readRawBody.call(this);
	if (rawBody === undefined) return refuse.call(this, 400, 'The callback has no body.');
	let signatureKey: unknown;
	try {
		({ signatureKey } = await this.getCredentials(CREDENTIALS_TYPE));
	} catch {
		// Not the sender's fault: CheckMobi retries anything but 200.
		return refuse.call(this, 503, 'Signature not checked: the CheckMobi API credentials could not be loaded.');
	}
	const check = verifySignature({
		rawBody,
		signature: readSignatureHeader(this.getHeaderData() as Record<string, string | string[] | undefined>),
		signatureKey: typeof signatureKey === 'string' ? signatureKey : undefined,
	});
	if (!check.valid) {
		this.logger.warn(`CheckMobi: a callback to a waiting execution was refused (401): ${check.message}`);
		return refuse.call(this, 401, check.message);
	}

	let callback: unknown;
	try {
		callback = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return refuse.call(this, 400, 'The callback body is not JSON.');
	}
	if (typeof callback !== 'object' || callback === null || Array.isArray(callback)) return refuse.call(this, 400, 'The callback body is not a JSON object.');

	const sent = JSON.parse(String(this.evaluateExpression('{{ JSON.stringify($json) }}', 0))) as IDataObject;
	const decision = decideResume(operation.wait, callback as IDataObject, sent);
	if ('answer' in decision) return { webhookResponse: decision.answer };
	return { workflowData: [[{ json: decision.resume, pairedItem: { item: 0 } }]] };
}
