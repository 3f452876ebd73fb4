/**
 * Runs a node inside n8n's own execution engine (n8n-core's WorkflowExecute), the way n8n runs it
 * in a workflow: parameters and expressions resolved by n8n, credentials applied by the
 * credential type's own `authenticate`, real HTTP through n8n's request helpers.
 */
import { existsSync, readFileSync } from 'node:fs';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { additionalData, checkMobiCredentials, TestNodeTypes } from './n8nHost';

/** What n8n's own logger wrote in this test process (test/setup-env.ts sends it to a file). */
export function readEngineLog(): string {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
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
	/** The node's type name; one ending in `Tool` is how n8n names a node's AI-agent tool variant. */
	typeName?: string;
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
	const credentials = checkMobiCredentials(options.credentials);
	const typeName = options.typeName ?? TYPE_NAME;
	const node: INode = {
		id: 'node-under-test',
		name,
		type: typeName,
		typeVersion,
		position: [0, 0],
		parameters: options.parameters,
		credentials: credentials.nodeCredentials,
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow'),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.maxTries, waitBetweenTries: options.waitBetweenTries } : {}),
	};
	const nodeTypes = new TestNodeTypes({ [typeName]: options.nodeType });
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

	// No server behind these URLs: a node that calls one fails at once.
	const data = additionalData('http://127.0.0.1:1', credentials.credentialsHelper, {
		executionId,
		hooks,
		getRunExecutionData: async () => undefined,
	});

	const execution = new WorkflowExecute(data, 'manual', runExecutionData).processRunExecutionData(workflow);
	options.cancelSignal?.addEventListener('abort', () => execution.cancel(), { once: true });
	await execution;
	const run = await finished;
	const task = run.data.resultData.runData[name]?.[0];
	const items = task?.data?.main?.[0] ?? [];
	const errorItems = node.onError === 'continueErrorOutput' ? (task?.data?.main?.[1] ?? []) : [];
	const error = (task?.error ?? run.data.resultData.error) as NodeRun['error'];
	return { items, errorItems, error, run };
}
