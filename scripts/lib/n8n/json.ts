/**
 * Builders for the JSON that `n8n import:credentials` and `n8n import:workflow` take.
 * Plain objects, no n8n imports: the harness runs on the machine's Node 20.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id in n8n's own shape (16 alphanumerics); workflow ids must stay within 21 characters. */
export function n8nId(prefix = ''): string {
	const length = 16 - prefix.length;
	if (length < 4) throw new Error(`prefix "${prefix}" leaves too little room for an n8n id`);
	const bytes = randomBytes(length);
	let id = prefix;
	for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
	return id;
}

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	/** Plain values; `n8n import:credentials` encrypts them with the instance's key. */
	data: Record<string, unknown>;
}

export interface CheckMobiCredentialOptions {
	id?: string;
	name?: string;
	secretKey: string;
	signatureKey?: string;
	/** Without /v1, e.g. the sandbox's `http://127.0.0.1:<port>`. */
	baseUrl?: string;
}

export const CHECKMOBI_CREDENTIAL_TYPE = 'checkMobiApi';

export function checkMobiCredential(options: CheckMobiCredentialOptions): CredentialJson {
	const data: Record<string, unknown> = { secretKey: options.secretKey, signatureKey: options.signatureKey ?? '' };
	if (options.baseUrl !== undefined) data.baseUrl = options.baseUrl;
	return {
		id: options.id ?? n8nId('cred'),
		name: options.name ?? 'CheckMobi account',
		type: CHECKMOBI_CREDENTIAL_TYPE,
		data,
	};
}

export interface NodeCredentialRef {
	id: string;
	name: string;
}

export interface WorkflowNodeJson {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, NodeCredentialRef>;
	webhookId?: string;
	disabled?: boolean;
	continueOnFail?: boolean;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface ConnectionJson {
	node: string;
	type: string;
	index: number;
}

export type ConnectionsJson = Record<string, Record<string, ConnectionJson[][]>>;

export interface WorkflowJson {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNodeJson[];
	connections: ConnectionsJson;
	settings: Record<string, unknown>;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
}

export interface NodeOptions {
	typeVersion?: number;
	position?: [number, number];
	credentials?: Record<string, NodeCredentialRef>;
	webhookId?: string;
	id?: string;
	onError?: WorkflowNodeJson['onError'];
}

let nextX = 0;

export function node(name: string, type: string, parameters: Record<string, unknown> = {}, options: NodeOptions = {}): WorkflowNodeJson {
	const json: WorkflowNodeJson = {
		id: options.id ?? randomUUID(),
		name,
		type,
		typeVersion: options.typeVersion ?? 1,
		position: options.position ?? [(nextX = (nextX + 220) % 2200), 0],
		parameters,
	};
	if (options.credentials) json.credentials = options.credentials;
	if (options.webhookId) json.webhookId = options.webhookId;
	if (options.onError) json.onError = options.onError;
	return json;
}

/** The start node `n8n execute` needs. */
export function manualTriggerNode(name = 'Manual Trigger'): WorkflowNodeJson {
	return node(name, 'n8n-nodes-base.manualTrigger', {}, { typeVersion: 1 });
}

/** A Set ("Edit Fields") node that outputs exactly the given fields. */
export function setNode(name: string, fields: Record<string, string | number | boolean>): WorkflowNodeJson {
	const assignments = Object.entries(fields).map(([fieldName, value]) => ({
		id: randomUUID(),
		name: fieldName,
		value,
		type: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string',
	}));
	return node(name, 'n8n-nodes-base.set', { assignments: { assignments }, options: {} }, { typeVersion: 3.4 });
}

export interface WebhookNodeOptions {
	path: string;
	httpMethod?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
	/** `onReceived` answers at once; `lastNode` waits for the run. */
	responseMode?: 'onReceived' | 'lastNode' | 'responseNode';
	webhookId?: string;
}

export function webhookNode(name: string, options: WebhookNodeOptions): WorkflowNodeJson {
	return node(
		name,
		'n8n-nodes-base.webhook',
		{ httpMethod: options.httpMethod ?? 'POST', path: options.path, responseMode: options.responseMode ?? 'onReceived', options: {} },
		{ typeVersion: 2, webhookId: options.webhookId ?? randomUUID() },
	);
}

/** Connections that chain the given nodes' main outputs one after the other. */
export function chain(...names: string[]): ConnectionsJson {
	const connections: ConnectionsJson = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export interface WorkflowOptions {
	id?: string;
	name?: string;
	nodes: WorkflowNodeJson[];
	/** Defaults to chaining `nodes` in order. */
	connections?: ConnectionsJson;
	settings?: Record<string, unknown>;
}

export function workflow(options: WorkflowOptions): WorkflowJson {
	const id = options.id ?? n8nId('wf');
	if (id.length > 21) throw new Error(`workflow id "${id}" is longer than the 21 characters n8n allows`);
	return {
		id,
		name: options.name ?? `Workflow ${id}`,
		active: false,
		nodes: options.nodes,
		connections: options.connections ?? chain(...options.nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1', ...options.settings },
	};
}
