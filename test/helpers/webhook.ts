/**
 * Runs a trigger node's webhook the way a production n8n does, over real HTTP on loopback.
 *
 * A tiny node:http server plays n8n's webhook server (webhook/requests.ts): for each request it
 * loads the workflow with the static data "stored" after the previous one (webhook/triggerWorkflow.ts),
 * runs the node's real `webhook()` in n8n-core's `WebhookContext`, saves static data when n8n would
 * and answers as n8n does. Activation runs `webhookMethods` in n8n-core's `HookContext`, as n8n does
 * on publish. What the node logs is kept (webhook/nodeLogs.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { clearNodeLogs, nodeLogs, type LogEntry } from './webhook/nodeLogs';
import { RequestPairing } from './webhook/post';
import { handleWebhookRequest, waitForFinish, type WebhookCall } from './webhook/requests';
import { TriggerWorkflow, type TriggerOptions } from './webhook/triggerWorkflow';

export type { LogEntry } from './webhook/nodeLogs';
export type { WebhookAnswer, WebhookCall } from './webhook/requests';
export type { TriggerOptions } from './webhook/triggerWorkflow';

export interface TriggerServer {
	/** The webhook URL (production or test, per mode) on loopback. */
	url: string;
	/** Every request handled, in order. */
	calls: WebhookCall[];
	/** The items of every started execution, in order. */
	executions: INodeExecutionData[][];
	/** What the node logged since this server started. */
	logs: LogEntry[];
	/** The workflow's static data as n8n last saved it. */
	staticData(): IDataObject;
	/** Replaces the saved static data (as if stored by an earlier run). */
	setStaticData(data: IDataObject): void;
	/**
	 * POSTs a body to the webhook URL (with `query`, e.g. "?order=1", after it); resolves once n8n's
	 * part is done (answer sent, static data saved).
	 */
	post(body: string | Buffer, headers?: Record<string, string>, query?: string): Promise<WebhookCall>;
	/** Replaces the credential's data, as a user saving it in the editor. */
	setCredentials(data: ICredentialDataDecryptedObject): void;
	/** How many times the node loaded its credentials so far. */
	credentialLoads(): number;
	/** Runs webhookMethods like n8n on publish: checkExists, then create when needed. */
	activate(): Promise<{ existed: boolean; created?: boolean }>;
	/** Runs webhookMethods.delete like n8n on unpublish. */
	deactivate(): Promise<boolean>;
	/** The result of checkExists now. */
	checkExists(): Promise<boolean>;
	close(): Promise<void>;
}

async function listenOnLoopback(): Promise<{ server: http.Server; base: string }> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: http.Server): Promise<void> {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startTriggerServer(options: TriggerOptions): Promise<TriggerServer> {
	const { server, base } = await listenOnLoopback();
	let trigger: TriggerWorkflow;
	try {
		trigger = new TriggerWorkflow(options, base);
	} catch (error) {
		await close(server);
		throw error;
	}
	clearNodeLogs();
	const calls: WebhookCall[] = [];
	const executions: INodeExecutionData[][] = [];
	const pairing = new RequestPairing();

	server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		handleWebhookRequest(trigger, req, res, (items) => executions.push(items))
			.then(async (call) => {
				await waitForFinish(res);
				call.answer.status = res.statusCode;
				calls.push(call);
				pairing.handled(req, call);
			})
			.catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500).end(error.message);
			});
	});

	return {
		url: `${base}${trigger.path}`,
		calls,
		executions,
		logs: nodeLogs,
		staticData: () => trigger.staticData(),
		setStaticData: (data) => trigger.setStaticData(data),
		post: async (body, headers = {}, query = '') => await pairing.post(`${base}${trigger.path}${query}`, body, headers),
		setCredentials: (data) => trigger.setCredentials(data),
		credentialLoads: () => trigger.credentialLoads(),
		checkExists: async () => await trigger.checkExists(),
		activate: async () => await trigger.activate(),
		deactivate: async () => await trigger.deactivate(),
		close: async () => await close(server),
	};
}
