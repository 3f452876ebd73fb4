/**
 * n8n's webhook server, for one request to the trigger under test: read the body into
 * `req.rawBody` (the exact bytes) and JSON into `req.body`, run the node's real `webhook()` on the
 * workflow as stored, save static data when n8n would, then answer as n8n does: not at all when the
 * node answered itself (`noWebhookResponse`), otherwise per the webhook's responseMode/responseData.
 */
import type http from 'node:http';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TriggerWorkflow } from './triggerWorkflow';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB): bigger bodies never reach a node. */
const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

export interface WebhookAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The answer's body as text ('' when empty). */
	body: string;
}

/** What n8n would have done with one request. */
export interface WebhookCall {
	answer: WebhookAnswer;
	/** The items the execution started with, or undefined when none was started. */
	execution?: INodeExecutionData[];
	/** What the node's webhook() threw (n8n answers 500 and records a failed execution). */
	error?: Error;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function waitForFinish(res: http.ServerResponse): Promise<void> {
	if (res.writableFinished) return Promise.resolve();
	return new Promise((resolve) => res.once('finish', () => resolve()));
}

/**
 * Handles one request as n8n does; `onExecution` gets the items of an execution the moment it is
 * started. The returned call's answer status is filled in by the caller once the answer is sent.
 */
export async function handleWebhookRequest(
	trigger: TriggerWorkflow,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	onExecution: (items: INodeExecutionData[]) => void,
): Promise<WebhookCall> {
	const call: WebhookCall = { answer: { status: 0, headers: {}, body: '' } };
	const { description } = trigger;
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	if (url.pathname !== trigger.path || req.method !== description.httpMethod) {
		res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"webhook not registered"}');
		return call;
	}
	const body = await readBody(req, N8N_PAYLOAD_SIZE_MAX);
	if (body === 'tooLarge') {
		res.writeHead(413).end();
		return call;
	}
	const request = req as http.IncomingMessage & IDataObject;
	request.rawBody = body;
	request.query = Object.fromEntries(url.searchParams);
	request.params = {};
	request.body = {};
	if (body.length > 0 && (req.headers['content-type'] ?? '').split(';')[0].trim() === 'application/json') {
		try {
			request.body = JSON.parse(body.toString('utf8')) as IDataObject;
		} catch {
			// n8n refuses unparsable JSON before any node sees it.
			res.writeHead(422, { 'Content-Type': 'application/json' }).end('{"message":"Failed to parse request body"}');
			return call;
		}
	}

	const workflow = trigger.load();
	const context = trigger.webhookContext(workflow, request, res);
	let result;
	try {
		result = await trigger.nodeType.webhook!.call(context);
	} catch (error) {
		call.error = error as Error;
		trigger.save(workflow);
		if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"Error in workflow"}');
		return call;
	}
	trigger.save(workflow);

	if (result.noWebhookResponse === true) {
		if (!res.headersSent) throw new Error('the node claimed to answer but did not');
	} else if (result.workflowData === undefined) {
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
	}
	if (result.workflowData !== undefined) {
		call.execution = result.workflowData[0] ?? [];
		onExecution(call.execution);
		if (!res.headersSent) {
			if (description.responseMode !== 'onReceived') throw new Error('this harness answers onReceived webhooks only');
			// onReceived: 'noData' answers an empty body; otherwise the first item's JSON.
			if (description.responseData === 'noData') res.writeHead(200).end();
			else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(call.execution[0]?.json ?? {}));
		}
	}
	return call;
}
