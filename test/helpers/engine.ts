/**
 * Runs a node inside n8n's own execution engine (n8n-core's WorkflowExecute), the way n8n runs it
 * in a workflow: parameters and expressions resolved by n8n, credentials applied by the
 * credential type's own `authenticate`, real HTTP through n8n's request helpers.
 */
import { existsSync, readFileSync } from 'node:fs';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { CheckMobiApi } from '../../credentials/CheckMobiApi.credentials';

/** What n8n's own logger wrote in this test process (test/setup-env.ts sends it to a file). */
export function readEngineLog(): string {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

const CREDENTIAL_TYPES: Record<string, ICredentialType> = { checkMobiApi: new CheckMobiApi() };

/** Applies a credential type's declared authentication, as n8n's own CredentialsHelper does. */
class EngineCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate || authenticate.type !== 'generic' || !workflow || !node) return options;
		const resolve = (value: unknown) =>
			workflow.expression.getParameterValue(
				value as string,
				null,
				0,
				0,
				node.name,
				[],
				'internal',
				{ $credentials: credentials },
			);
		const headers = authenticate.properties.headers ?? {};
		options.headers = { ...options.headers };
		for (const [name, value] of Object.entries(headers)) options.headers[name] = resolve(value);
		return options;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

class EngineNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string) {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

export interface RunNodeOptions {
	/** The node class instance under test. */
	nodeType: INodeType | IVersionedNodeType;
	parameters: INodeParameters;
	/** Input items (plain JSON objects or full items); one empty item by default. */
	input?: Array<IDataObject | INodeExecutionData>;
	/** `checkMobiApi` credential data. */
	credentials?: ICredentialDataDecryptedObject;
	/** The node setting On Error → Continue (using regular output): failed items become error items. */
	continueOnFail?: boolean;
	/** The node setting On Error as n8n stores it; overrides `continueOnFail`. */
	onError?: OnError;
	/** The node settings Retry On Fail, Max. Tries and Wait Between Tries (ms): n8n runs the whole node again when it fails. */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	typeVersion?: number;
	name?: string;
	/** Cancels the execution (as n8n's Stop button does) when it aborts. */
	cancelSignal?: AbortSignal;
}

export type OnError = NonNullable<INode['onError']>;

export interface NodeRun {
	/** Items of the node's first output. */
	items: INodeExecutionData[];
	/** Items of the error output n8n adds under On Error → Continue (using error output). */
	errorItems: INodeExecutionData[];
	/** The error the node threw, if it failed. */
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
	run: IRun;
}

const TYPE_NAME = 'test.nodeUnderTest';
let executions = 0;

function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const typeVersion = options.typeVersion ?? latestVersion(options.nodeType);
	const name = options.name ?? 'CheckMobi';
	const node: INode = {
		id: 'node-under-test',
		name,
		type: TYPE_NAME,
		typeVersion,
		position: [0, 0],
		parameters: options.parameters,
		credentials: options.credentials ? { checkMobiApi: { id: 'cred-1', name: 'CheckMobi test' } } : undefined,
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow'),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.maxTries, waitBetweenTries: options.waitBetweenTries } : {}),
	};
	const nodeTypes = new EngineNodeTypes({ [TYPE_NAME]: options.nodeType });
	const workflow = new Workflow({
		id: 'engine-test',
		name: 'engine test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});

	const input = (options.input ?? [{}]).map((entry, index): INodeExecutionData => {
		const item = 'json' in entry && typeof entry.json === 'object' ? (entry as INodeExecutionData) : { json: entry as IDataObject };
		return { ...item, pairedItem: item.pairedItem ?? { item: index } };
	});
	const executeData: IExecuteData = { node, data: { main: [input] }, source: null };
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });

	// Each run is its own execution, with an id of its own, as in n8n.
	const executionId = `engine-test-run-${++executions}`;
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'engine-test',
		name: 'engine test',
		nodes: [node],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const additionalData = {
		executionId,
		hooks,
		credentialsHelper: new EngineCredentialsHelper(options.credentials ? { checkMobiApi: options.credentials } : {}),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:1/rest',
		instanceBaseUrl: 'http://127.0.0.1:1/',
		formBaseUrl: 'http://127.0.0.1:1/form',
		formWaitingBaseUrl: 'http://127.0.0.1:1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:1/form-test',
		webhookBaseUrl: 'http://127.0.0.1:1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:1/mcp-test',
		variables: {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	options.cancelSignal?.addEventListener('abort', () => execution.cancel(), { once: true });
	await execution;
	const run = await finished;
	const task = run.data.resultData.runData[name]?.[0];
	const items = task?.data?.main?.[0] ?? [];
	const errorItems = node.onError === 'continueErrorOutput' ? (task?.data?.main?.[1] ?? []) : [];
	const error = (task?.error ?? run.data.resultData.error) as NodeRun['error'];
	return { items, errorItems, error, run };
}
