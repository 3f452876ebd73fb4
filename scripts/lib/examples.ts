/**
 * The example workflows of `examples/` and the credential they use: what `npm run dev` imports and
 * what the end-to-end suite runs. Plain JSON files, importable from n8n's UI as they are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CONTROL_TOKEN_HEADER } from '../../sandbox/controlAccess';
import { curlLine } from '../../sandbox/curl';
import { CHECKMOBI_CREDENTIAL_TYPE, projectRoot, type CredentialJson, type WorkflowJson, type WorkflowNodeJson } from './n8n';

/** The credential every example names (`credentials.checkMobiApi`); `npm run dev` creates it. */
export const DEV_CREDENTIAL = { id: 'cmSandboxCred001', name: 'CheckMobi sandbox' } as const;

/**
 * The sandbox URL written in the examples (the sandbox's default). Where a sandbox runs elsewhere,
 * `loadExamples()` puts its URL in instead.
 */
export const EXAMPLES_SANDBOX_URL = 'http://127.0.0.1:4010';

export const CHECKMOBI_NODE_TYPE = 'n8n-nodes-checkmobi.checkMobi';
export const CHECKMOBI_TRIGGER_TYPE = 'n8n-nodes-checkmobi.checkMobiTrigger';
/** The trigger's current version (what n8n puts into a new workflow). */
export const CHECKMOBI_TRIGGER_VERSION = 1.1;

export interface ExampleWorkflow {
	/** The file name in examples/. */
	file: string;
	workflow: WorkflowJson;
}

export function examplesDir(): string {
	return join(projectRoot(), 'examples');
}

/**
 * The example workflows, sorted by file name. With `sandboxUrl`, every occurrence of the default
 * sandbox URL is replaced by it (the examples that read a PIN from the sandbox's inbox).
 */
export function loadExamples(options: { sandboxUrl?: string } = {}): ExampleWorkflow[] {
	const dir = examplesDir();
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			let text = readFileSync(join(dir, file), 'utf8');
			if (options.sandboxUrl && options.sandboxUrl !== EXAMPLES_SANDBOX_URL) text = text.split(EXAMPLES_SANDBOX_URL).join(options.sandboxUrl.replace(/\/+$/, ''));
			return { file, workflow: JSON.parse(text) as WorkflowJson };
		});
}

export function exampleById(examples: ExampleWorkflow[], id: string): WorkflowJson {
	const found = examples.find((e) => e.workflow.id === id);
	if (!found) throw new Error(`no example workflow with id ${id} in ${examplesDir()}`);
	return found.workflow;
}

/** The Header Auth credential the examples' webhooks check (header `WEBHOOK_KEY_HEADER`). */
export const WEBHOOK_KEY_CREDENTIAL = { id: 'cmExWebhookKey01', name: 'CheckMobi examples: webhook key' } as const;
export const WEBHOOK_KEY_HEADER = 'X-Api-Key';

/** The Header Auth credential with the sandbox's control token, for the Try It path that reads PINs from its inbox. */
export const SANDBOX_CONTROL_CREDENTIAL = { id: 'cmSandboxCtrl001', name: 'CheckMobi sandbox control' } as const;

/** The CheckMobi credential the examples use, pointing at a sandbox. */
export function devCredential(sandbox: { url: string; secretKey: string; signatureKey: string }): CredentialJson {
	return {
		id: DEV_CREDENTIAL.id,
		name: DEV_CREDENTIAL.name,
		type: CHECKMOBI_CREDENTIAL_TYPE,
		data: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
	};
}

/**
 * Every credential the examples name: the CheckMobi one, the sandbox's control token and the key of
 * their webhooks (`webhookKey`, which callers send as `X-Api-Key`).
 */
export function exampleCredentials(
	sandbox: { url: string; secretKey: string; signatureKey: string; controlToken: string },
	webhookKey: string,
): CredentialJson[] {
	return [
		devCredential(sandbox),
		{ ...SANDBOX_CONTROL_CREDENTIAL, type: 'httpHeaderAuth', data: { name: CONTROL_TOKEN_HEADER, value: sandbox.controlToken } },
		{ ...WEBHOOK_KEY_CREDENTIAL, type: 'httpHeaderAuth', data: { name: WEBHOOK_KEY_HEADER, value: webhookKey } },
	];
}

export interface ProductionWebhook {
	node: string;
	type: string;
	method: string;
	/** Path after `<n8n>/webhook/`. */
	path: string;
	/** Webhook nodes: a JSON body to try it with (`<…>`: a value an earlier call gives). */
	sampleBody?: Record<string, string | string[]>;
}

/** Placeholders in the sample bodies, filled from earlier calls. */
export const SAMPLE_PLACEHOLDERS = { validationId: '<id from Start>', pin: '<PIN from the inbox>' } as const;

/** A body for each example Webhook node, by its path (examples/README.md describes them). */
const SAMPLE_BODIES: Record<string, Record<string, string | string[]>> = {
	'checkmobi-signup/start': { phone: '+40745123456', method: 'sms', ip: '203.0.113.7' },
	'checkmobi-signup/verify': { validationId: SAMPLE_PLACEHOLDERS.validationId, pin: SAMPLE_PLACEHOLDERS.pin },
	'checkmobi-call': { to: '+40745400001', text: 'Database db-1 is down' },
	'checkmobi-escalate': { people: ['+40745999921', '+40745400010'], text: 'Database db-1 is down' },
};

/** The curl line `npm run dev` prints for an example's Webhook node: its method, key header and sample body. */
export function webhookCurl(url: string, hook: ProductionWebhook, webhookKey: string): string {
	return curlLine(url, {
		method: hook.method,
		headers: { [WEBHOOK_KEY_HEADER]: webhookKey, 'Content-Type': 'application/json' },
		body: JSON.stringify(hook.sampleBody ?? {}),
	});
}

/**
 * The production webhooks of a workflow: Webhook nodes at `<path>`, CheckMobi Triggers at
 * `<webhookId>/webhook` (the trigger's webhook has the fixed path "webhook" and n8n puts the node's
 * webhookId in front of it).
 */
export function productionWebhooks(workflow: WorkflowJson): ProductionWebhook[] {
	const hooks: ProductionWebhook[] = [];
	for (const node of workflow.nodes) {
		if (node.disabled) continue;
		if (node.type === 'n8n-nodes-base.webhook') {
			const path = String(node.parameters.path);
			const sampleBody = SAMPLE_BODIES[path];
			if (!sampleBody) throw new Error(`${workflow.id}: the Webhook "${node.name}" (${path}) has no sample body in scripts/lib/examples.ts`);
			hooks.push({ node: node.name, type: node.type, method: String(node.parameters.httpMethod ?? 'GET'), path, sampleBody });
		} else if (node.type === CHECKMOBI_TRIGGER_TYPE) {
			if (!node.webhookId) throw new Error(`${workflow.id}: the CheckMobi Trigger "${node.name}" has no fixed webhookId`);
			hooks.push({ node: node.name, type: node.type, method: 'POST', path: `${node.webhookId}/webhook` });
		}
	}
	return hooks;
}

export function triggerPath(workflow: WorkflowJson, nodeName?: string): string {
	const hook = productionWebhooks(workflow).find((h) => h.type === CHECKMOBI_TRIGGER_TYPE && (nodeName === undefined || h.node === nodeName));
	if (!hook) throw new Error(`${workflow.id} has no CheckMobi Trigger${nodeName ? ` named "${nodeName}"` : ''}`);
	return hook.path;
}

/** Whether a workflow can be published: it has a trigger other than the Manual Trigger. */
export function hasActivatableTrigger(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((n: WorkflowNodeJson) => !n.disabled && (n.type === 'n8n-nodes-base.webhook' || n.type === CHECKMOBI_TRIGGER_TYPE));
}
