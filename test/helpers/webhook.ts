/**
 * Runs a trigger node's webhook the way a production n8n does, over real HTTP on loopback.
 *
 * A tiny node:http server plays n8n's webhook server: it reads the body into `req.rawBody` (the
 * exact bytes) and parses JSON into `req.body`, builds the workflow with the static data "stored"
 * after the previous request, runs the node's real `webhook()` in n8n-core's `WebhookContext`,
 * saves static data when n8n would (it changed), then answers as n8n does: not at all when the node
 * answered itself (`noWebhookResponse`), otherwise per the webhook's responseMode/responseData.
 * Activation runs `webhookMethods` in n8n-core's `HookContext`, as n8n does on publish.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow } from 'n8n-workflow';

import { CheckMobiApi } from '../../credentials/CheckMobiApi.credentials';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB): bigger bodies never reach a node. */
const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;
const TYPE_NAME = 'test.triggerUnderTest';
const WORKFLOW_ID = 'webhookTest01';
/** Pairs a request sent by post() with what the server did with it. */
const REQUEST_ID_HEADER = 'x-test-request-id';

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
}

/** What nodes log through `this.logger` (n8n-core's Logger from its DI container), kept for assertions. */
const nodeLogs: LogEntry[] = [];
const capturingLogger = {
	error: (message: string) => nodeLogs.push({ level: 'error', message }),
	warn: (message: string) => nodeLogs.push({ level: 'warn', message }),
	info: (message: string) => nodeLogs.push({ level: 'info', message }),
	debug: (message: string) => nodeLogs.push({ level: 'debug', message }),
	scoped: () => capturingLogger,
};
Container.set(Logger, capturingLogger as unknown as Logger);

class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(): Promise<never> {
		throw new Error('triggers under test make no requests');
	}
	async preAuthentication(): Promise<undefined> {
		return undefined;
	}
	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}
	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No credentials of type ${type}`);
		return { ...data };
	}
	async updateCredentials(): Promise<void> {}
	async updateCredentialsOauthTokenData(): Promise<void> {}
	getCredentialsProperties(type: string): INodeProperties[] {
		return type === 'checkMobiApi' ? new CheckMobiApi().properties : [];
	}
}

class OneNodeType implements INodeTypes {
	constructor(private readonly nodeType: INodeType) {}
	getByName() {
		return this.nodeType;
	}
	getByNameAndVersion() {
		return this.nodeType;
	}
	getKnownTypes() {
		return {};
	}
}

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

export interface TriggerOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	/** `checkMobiApi` credential data. */
	credentials?: ICredentialDataDecryptedObject;
	/** 'webhook' (production URL, the default) or 'manual' (test URL). */
	mode?: Extract<WorkflowExecuteMode, 'webhook' | 'manual'>;
	name?: string;
}

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
	/** Runs webhookMethods like n8n on publish: checkExists, then create when needed. */
	activate(): Promise<{ existed: boolean; created?: boolean }>;
	/** Runs webhookMethods.delete like n8n on unpublish. */
	deactivate(): Promise<boolean>;
	/** The result of checkExists now. */
	checkExists(): Promise<boolean>;
	close(): Promise<void>;
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

function waitForFinish(res: http.ServerResponse): Promise<void> {
	if (res.writableFinished) return Promise.resolve();
	return new Promise((resolve) => res.once('finish', () => resolve()));
}

export async function startTriggerServer(options: TriggerOptions): Promise<TriggerServer> {
	const mode = options.mode ?? 'webhook';
	const isTest = mode === 'manual';
	const description = options.nodeType.description.webhooks?.[0] as IWebhookDescription;
	if (!description) throw new Error('the node has no webhook');
	const node: INode = {
		id: 'trigger-under-test',
		name: options.name ?? 'CheckMobi Trigger',
		type: TYPE_NAME,
		typeVersion: 1.1,
		position: [0, 0],
		webhookId: '6a1f3c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
		// Only what the user set, as n8n stores it; the Workflow adds the defaults.
		parameters: options.parameters,
		credentials: options.credentials ? { checkMobiApi: { id: 'cred-1', name: 'CheckMobi test' } } : undefined,
	};
	const nodeTypes = new OneNodeType(options.nodeType);
	const credentialsHelper = new CredentialsHelper(options.credentials ? { checkMobiApi: options.credentials } : {});

	nodeLogs.length = 0;
	let savedStaticData: IDataObject = {};
	const calls: WebhookCall[] = [];
	const executions: INodeExecutionData[][] = [];
	const waiting = new Map<string, (call: WebhookCall) => void>();

	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const additionalDataFor = (extra: Partial<IWorkflowExecuteAdditionalData>) =>
		({
			credentialsHelper,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${base}/rest`,
			instanceBaseUrl: `${base}/`,
			formBaseUrl: `${base}/form`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			formTestBaseUrl: `${base}/form-test`,
			webhookBaseUrl: `${base}/webhook`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			mcpBaseUrl: `${base}/mcp`,
			mcpTestBaseUrl: `${base}/mcp-test`,
			variables: {},
			logAiEvent: () => {},
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;

	// A fresh workflow per request with the stored static data, as n8n loads it from its database.
	const loadWorkflow = () =>
		new Workflow({
			id: WORKFLOW_ID,
			name: 'webhook test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(JSON.stringify(savedStaticData)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});

	// As n8n's saveStaticData: written back only when something in it changed.
	const saveStaticData = (workflow: Workflow) => {
		if ((workflow.staticData as IDataObject).__dataChanged === true) {
			savedStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		}
	};

	const webhookData = (additionalData: IWorkflowExecuteAdditionalData): IWebhookData => ({
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: node.name,
		path: `${node.webhookId}/${description.path}`,
		webhookDescription: description,
		workflowId: WORKFLOW_ID,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest,
	});

	const webhookPath = `/${isTest ? 'webhook-test' : 'webhook'}/${node.webhookId}/${description.path}`;

	const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<WebhookCall> => {
		const call: WebhookCall = { answer: { status: 0, headers: {}, body: '' } };
		const url = new URL(req.url ?? '/', base);
		if (url.pathname !== webhookPath || req.method !== description.httpMethod) {
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

		const workflow = loadWorkflow();
		const additionalData = additionalDataFor({ httpRequest: request as never, httpResponse: res as never });
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData(additionalData), [], null);
		let result;
		try {
			result = await options.nodeType.webhook!.call(context);
		} catch (error) {
			call.error = error as Error;
			saveStaticData(workflow);
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"Error in workflow"}');
			return call;
		}
		saveStaticData(workflow);

		if (result.noWebhookResponse === true) {
			if (!res.headersSent) throw new Error('the node claimed to answer but did not');
		} else if (result.workflowData === undefined) {
			res.writeHead(200, { 'Content-Type': 'application/json' }).end(
				JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }),
			);
		}
		if (result.workflowData !== undefined) {
			call.execution = result.workflowData[0] ?? [];
			executions.push(call.execution);
			if (!res.headersSent) {
				if (description.responseMode !== 'onReceived') throw new Error('this harness answers onReceived webhooks only');
				// onReceived: 'noData' answers an empty body; otherwise the first item's JSON.
				if (description.responseData === 'noData') res.writeHead(200).end();
				else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(call.execution[0]?.json ?? {}));
			}
		}
		return call;
	};

	server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		handle(req, res)
			.then(async (call) => {
				await waitForFinish(res);
				call.answer.status = res.statusCode;
				calls.push(call);
				const requestId = req.headers[REQUEST_ID_HEADER];
				if (typeof requestId === 'string') waiting.get(requestId)?.(call);
			})
			.catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500).end(error.message);
			});
	});

	let nextRequestId = 0;
	const post = async (body: string | Buffer, headers: Record<string, string> = {}, query = ''): Promise<WebhookCall> => {
		const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
		const requestId = String(++nextRequestId);
		return await new Promise<WebhookCall>((resolve, reject) => {
			let serverSide: WebhookCall | undefined;
			let clientSide: WebhookAnswer | undefined;
			const settle = () => {
				if (!serverSide || !clientSide) return;
				serverSide.answer = clientSide;
				resolve(serverSide);
			};
			waiting.set(requestId, (call) => {
				waiting.delete(requestId);
				serverSide = call;
				settle();
			});
			const request = http.request(
				`${base}${webhookPath}${query}`,
				{
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': String(bytes.length),
						[REQUEST_ID_HEADER]: requestId,
						...headers,
					},
				},
				(response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => {
						clientSide = {
							status: response.statusCode ?? 0,
							headers: response.headers,
							body: Buffer.concat(chunks).toString('utf8'),
						};
						settle();
					});
				},
			);
			request.on('error', reject);
			request.end(bytes);
		});
	};

	const hookContext = () => {
		const workflow = loadWorkflow();
		const additionalData = additionalDataFor({});
		const context = new HookContext(workflow, node, additionalData, mode, 'activate', webhookData(additionalData));
		return { workflow, context };
	};
	const methods = () => {
		const group = options.nodeType.webhookMethods?.default;
		if (!group) throw new Error('the node has no webhookMethods.default');
		return group;
	};

	return {
		url: `${base}${webhookPath}`,
		calls,
		executions,
		logs: nodeLogs,
		staticData: () => JSON.parse(JSON.stringify(savedStaticData)) as IDataObject,
		setStaticData: (data) => {
			savedStaticData = JSON.parse(JSON.stringify(data)) as IDataObject;
		},
		post,
		async checkExists() {
			const { context } = hookContext();
			return await methods().checkExists.call(context);
		},
		async activate() {
			const { workflow, context } = hookContext();
			const existed = await methods().checkExists.call(context);
			if (existed) return { existed };
			const created = await methods().create.call(context);
			saveStaticData(workflow);
			return { existed, created };
		},
		async deactivate() {
			const { workflow, context } = hookContext();
			const deleted = await methods().delete.call(context);
			saveStaticData(workflow);
			return deleted;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
