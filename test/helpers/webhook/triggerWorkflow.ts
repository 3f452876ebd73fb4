/**
 * The trigger under test in its workflow, as a production n8n keeps it: the node as stored, the
 * workflow's static data as last saved, and the contexts n8n-core gives the node's `webhook()` and
 * `webhookMethods`.
 */
import type http from 'node:http';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, CHECKMOBI_API_TYPE, checkMobiCredentials, TestNodeTypes } from '../n8nHost';

const TYPE_NAME = 'test.triggerUnderTest';
const WORKFLOW_ID = 'webhookTest01';

export interface TriggerOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	/** `checkMobiApi` credential data. */
	credentials?: ICredentialDataDecryptedObject;
	/** 'webhook' (production URL, the default) or 'manual' (test URL). */
	mode?: Extract<WorkflowExecuteMode, 'webhook' | 'manual'>;
	name?: string;
	/** The node's version, as a saved workflow holds it; 1.1 unless given. */
	typeVersion?: number;
}

/** Each trigger gets its own credential, as distinct triggers with distinct credentials in one n8n. */
let credentialCount = 0;

const copy = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;

export class TriggerWorkflow {
	readonly nodeType: INodeType;

	readonly description: IWebhookDescription;

	/** Where n8n serves the webhook (production or test URL, per mode), below the server's base URL. */
	readonly path: string;

	private readonly node: INode;

	private readonly mode: Extract<WorkflowExecuteMode, 'webhook' | 'manual'>;

	private readonly nodeTypes: TestNodeTypes;

	private readonly credentials: ReturnType<typeof checkMobiCredentials>;

	private savedStaticData: IDataObject = {};

	constructor(
		options: TriggerOptions,
		/** The n8n these webhooks belong to: its URLs are what the node sees as n8n's. */
		private readonly baseUrl: string,
	) {
		const description = options.nodeType.description.webhooks?.[0] as IWebhookDescription;
		if (!description) throw new Error('the node has no webhook');
		this.nodeType = options.nodeType;
		this.description = description;
		this.mode = options.mode ?? 'webhook';
		this.credentials = checkMobiCredentials(options.credentials, `cred-${++credentialCount}`);
		this.node = {
			id: 'trigger-under-test',
			name: options.name ?? 'CheckMobi Trigger',
			type: TYPE_NAME,
			typeVersion: options.typeVersion ?? 1.1,
			position: [0, 0],
			webhookId: '6a1f3c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
			// Only what the user set, as n8n stores it; the Workflow adds the defaults.
			parameters: options.parameters,
			credentials: this.credentials.nodeCredentials,
		};
		this.nodeTypes = new TestNodeTypes({ [TYPE_NAME]: options.nodeType });
		this.path = `/${this.mode === 'manual' ? 'webhook-test' : 'webhook'}/${this.node.webhookId}/${description.path}`;
	}

	/** The workflow's static data as n8n last saved it (a copy). */
	staticData(): IDataObject {
		return copy(this.savedStaticData);
	}

	/** Replaces the saved static data (as if stored by an earlier run). */
	setStaticData(data: IDataObject): void {
		this.savedStaticData = copy(data);
	}

	/** Replaces the credential's data, as a user saving it in the editor (the node keeps its reference). */
	setCredentials(data: ICredentialDataDecryptedObject): void {
		this.credentials.credentialsHelper.replace(CHECKMOBI_API_TYPE, data);
	}

	/** How many times the node loaded its credentials. */
	credentialLoads(): number {
		return this.credentials.credentialsHelper.loads;
	}

	/** A fresh workflow with the stored static data, as n8n loads it from its database. */
	load(): Workflow {
		return new Workflow({
			id: WORKFLOW_ID,
			name: 'webhook test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: copy(this.savedStaticData),
			settings: { executionOrder: 'v1' },
		});
	}

	/** As n8n's saveStaticData: written back only when something in it changed. */
	save(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject).__dataChanged === true) this.savedStaticData = copy(workflow.staticData as IDataObject);
	}

	/** The context n8n-core gives `webhook()` for one request, with the request and response n8n's server holds. */
	webhookContext(workflow: Workflow, request: http.IncomingMessage, response: http.ServerResponse): WebhookContext {
		const data = this.additionalData({ httpRequest: request as never, httpResponse: response as never });
		return new WebhookContext(workflow, this.node, data, this.mode, this.webhookData(data), [], null);
	}

	/** Runs webhookMethods like n8n on publish: checkExists, then create when needed. */
	async activate(): Promise<{ existed: boolean; created?: boolean }> {
		const { workflow, context } = this.hookContext();
		const existed = await this.methods().checkExists.call(context);
		if (existed) return { existed };
		const created = await this.methods().create.call(context);
		this.save(workflow);
		return { existed, created };
	}

	/** Runs webhookMethods.delete like n8n on unpublish. */
	async deactivate(): Promise<boolean> {
		const { workflow, context } = this.hookContext();
		const deleted = await this.methods().delete.call(context);
		this.save(workflow);
		return deleted;
	}

	/** The result of checkExists now. */
	async checkExists(): Promise<boolean> {
		return await this.methods().checkExists.call(this.hookContext().context);
	}

	private hookContext(): { workflow: Workflow; context: HookContext } {
		const workflow = this.load();
		const data = this.additionalData();
		return { workflow, context: new HookContext(workflow, this.node, data, this.mode, 'activate', this.webhookData(data)) };
	}

	private methods() {
		const group = this.nodeType.webhookMethods?.default;
		if (!group) throw new Error('the node has no webhookMethods.default');
		return group;
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return additionalData(this.baseUrl, this.credentials.credentialsHelper, extra);
	}

	private webhookData(data: IWorkflowExecuteAdditionalData): IWebhookData {
		return {
			httpMethod: this.description.httpMethod as IWebhookData['httpMethod'],
			node: this.node.name,
			path: `${this.node.webhookId}/${this.description.path}`,
			webhookDescription: this.description,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: data,
			webhookId: this.node.webhookId,
			isTest: this.mode === 'manual',
		};
	}
}
