/**
 * Time inside the CheckMobi Trigger, measured in-process on the Node.js that runs n8n, with
 * n8n-core's own WebhookContext (the context n8n gives a trigger's webhook()):
 *
 * - one bulk-lookup callback of 1,000 results → 1,000 items: the whole webhook() (raw body, signature
 *   check with the credentials, recognise, split, repeat memory holding 999 earlier deliveries);
 * - the signature check (HMAC-SHA256 + compare) of a 1 MB body, alone.
 *
 * Prints one JSON line. Job (argv[2], JSON): { root, bodyFile, signatureKey, iterations }.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Job {
	root: string;
	/** The package as installed in n8n (its dist/); the project's own dist/ when absent. */
	packageDir?: string;
	bodyFile: string;
	signatureKey: string;
	iterations: number;
}

// n8n-core writes its config into N8N_USER_FOLDER when first loaded.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'checkmobi-bench-micro-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';

/* eslint-disable @typescript-eslint/no-require-imports */
async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as Job;
	const fromRoot = (path: string) => require(join(job.root, path)) as Record<string, unknown>;
	const { Container } = fromRoot('node_modules/@n8n/di') as { Container: { set(k: unknown, v: unknown): void } };
	const { Logger } = fromRoot('node_modules/@n8n/backend-common') as { Logger: unknown };
	const silent = { error(m: string) { if (process.env.BENCH_DEBUG) process.stderr.write(`${m}\n`); }, warn() {}, info() {}, debug() {}, scoped: () => silent };
	Container.set(Logger, silent);
	const core = fromRoot('node_modules/n8n-core') as { WebhookContext: new (...args: unknown[]) => unknown };
	const wf = fromRoot('node_modules/n8n-workflow') as { Workflow: new (p: unknown) => { staticData: Record<string, unknown> } };
	const pkg = (path: string) => require(join(job.packageDir ?? job.root, path)) as Record<string, unknown>;
	const { CheckMobiTrigger } = pkg('dist/nodes/CheckMobiTrigger/CheckMobiTrigger.node.js') as {
		CheckMobiTrigger: new () => { description: { webhooks: unknown[] }; webhook(this: unknown): Promise<{ workflowData?: unknown[][] }> };
	};
	const { verifySignature } = pkg('dist/nodes/shared/signature.js') as {
		verifySignature(o: { rawBody: Buffer; signature: string; signatureKey: string }): { valid: boolean };
	};
	const { deliveryDigest } = pkg('dist/nodes/CheckMobiTrigger/deliveryMemory.js') as { deliveryDigest(b: Buffer): string };

	const nodeType = new CheckMobiTrigger();
	const body = readFileSync(job.bodyFile);
	const signature = createHmac('sha256', job.signatureKey).update(body).digest('hex');
	const node = {
		id: 'trigger',
		name: 'CheckMobi Trigger',
		type: 'bench.checkMobiTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '00000000-0000-4000-8000-000000000001',
		parameters: {},
		credentials: { checkMobiApi: { id: 'c1', name: 'CheckMobi' } },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const credentialsHelper = {
		getDecrypted: async () => ({ secretKey: 'unused', signatureKey: job.signatureKey, baseUrl: 'http://127.0.0.1:9' }),
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getCredentialsProperties: () => [],
	};
	// A full repeat memory: 999 earlier deliveries, as after a long day of callbacks.
	const now = Date.now();
	const memory = Array.from({ length: 999 }, () => [randomBytes(16).toString('base64url'), now]);

	let round = 0;
	const once = async (): Promise<{ ms: number; items: number }> => {
		// A workflow id of its own per call: the trigger's in-process repeat memory is per workflow, so
		// every call is a first delivery and takes the whole path.
		const workflowId = `benchMicro${++round}`;
		const workflow = new wf.Workflow({
			id: workflowId,
			name: 'micro',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: { 'node:CheckMobi Trigger': { acceptedDeliveries: memory.map((e) => [...e]) } },
			settings: { executionOrder: 'v1' },
		});
		const req = { rawBody: body, headers: { 'content-type': 'application/json', 'x-checkmobi-signature': signature }, body: {}, query: {}, params: {} };
		const res = { headersSent: false, answered: "", writeHead(s: number) { this.answered = String(s); return this; }, end(b?: string) { this.answered += " " + (b ?? ""); this.headersSent = true; } };
		const additionalData = { credentialsHelper, httpRequest: req, httpResponse: res, variables: {}, webhookBaseUrl: 'http://127.0.0.1/webhook' };
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${node.webhookId}/webhook`,
			webhookDescription: nodeType.description.webhooks[0],
			workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
			isTest: false,
		};
		const context = new core.WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		const t0 = performance.now();
		const result = await nodeType.webhook.call(context);
		const ms = performance.now() - t0;
		if (!result.workflowData) throw new Error(`the trigger started nothing: ${res.answered}`);
		return { ms, items: result.workflowData[0]?.length ?? 0 };
	};

	const callback: number[] = [];
	let items = 0;
	for (let i = 0; i < job.iterations + 5; i++) {
		const r = await once();
		if (i >= 5) callback.push(r.ms); // the first runs warm up
		items = r.items;
	}

	const big = Buffer.from(JSON.stringify({ lookup_method: 'hlr', error: null, results: [], pad: 'x'.repeat(1024 * 1024 - 60) }));
	const bigSignature = createHmac('sha256', job.signatureKey).update(big).digest('hex');
	const signatureMs: number[] = [];
	for (let i = 0; i < job.iterations + 5; i++) {
		const t0 = performance.now();
		const check = verifySignature({ rawBody: big, signature: bigSignature, signatureKey: job.signatureKey });
		const ms = performance.now() - t0;
		if (!check.valid) throw new Error('the 1 MB signature did not verify');
		if (i >= 5) signatureMs.push(ms);
	}
	const digestMs: number[] = [];
	for (let i = 0; i < job.iterations + 5; i++) {
		const t0 = performance.now();
		deliveryDigest(big);
		if (i >= 5) digestMs.push(performance.now() - t0);
	}
	process.stdout.write(
		`${JSON.stringify({ node: process.version, callbackBytes: body.length, items, callbackMs: callback, bigBodyBytes: big.length, signatureMs, digestMs })}\n`,
	);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
