/**
 * Smoke test of the real-n8n harness (scripts/lib/n8n.ts): a pinned n8n with this package loaded,
 * driven headless. Needs `npm run build` first (it loads dist/); provisions n8n into .cache/ once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

import {
	checkMobiCredential,
	isPortFree,
	manualTriggerNode,
	N8nInstance,
	node,
	nodeOutput,
	provisionN8n,
	setNode,
	tail,
	webhookNode,
	workflow,
	type N8nRuntime,
} from '../../scripts/lib/n8n';

const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		timings[name] = Date.now() - started;
	}
}

describe('the real-n8n harness', () => {
	let runtime: N8nRuntime;
	let n8n: N8nInstance;

	/** Failures carry the tail of n8n's own log: the reason is usually there. */
	async function withN8nLog<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw new Error(`${message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(60)}\n--- tail of ${n8n.cliLogFile}:\n${tail(n8n.cliLogFile, 30)}`);
		}
	}

	beforeAll(async () => {
		runtime = await timed('provision (or reuse)', async () => await provisionN8n());
		n8n = await N8nInstance.create({ runtime });
	}, 30 * 60_000);

	// A failed test must not leave the server up for the next one.
	afterEach(async () => {
		if (n8n?.isRunning) await n8n.stop();
	}, 60_000);

	afterAll(async () => {
		await n8n?.dispose();
		process.stderr.write(
			`[n8n-harness] timings:\n${Object.entries(timings)
				.map(([name, ms]) => `  ${name}: ${(ms / 1000).toFixed(1)} s`)
				.join('\n')}\n`,
		);
	}, 60_000);

	const credential = checkMobiCredential({
		id: 'harnessCred000001',
		name: 'CheckMobi (harness)',
		secretKey: 'secret-key-for-the-harness',
		signatureKey: 'signature-key-for-the-harness',
		baseUrl: 'http://127.0.0.1:9',
	});

	it('loads only package.json and the built files, without node_modules', () => {
		expect(n8n.packagePath).toContain('/.n8n/nodes/node_modules/n8n-nodes-checkmobi');
		expect(JSON.parse(readFileSync(`${n8n.packagePath}/package.json`, 'utf8')).name).toBe('n8n-nodes-checkmobi');
		expect(readdirSync(n8n.packagePath!).sort()).not.toContain('node_modules');
		expect(existsSync(`${n8n.packagePath}/dist/credentials/CheckMobiApi.credentials.js`)).toBe(true);
	});

	it('imports a checkMobiApi credential, which n8n stores encrypted and gives back', async () => {
		await withN8nLog(async () => {
			// The first command on a fresh folder also creates the database (migrations).
			await timed('first CLI command (import:credentials, with migrations)', async () => await n8n.importCredentials(credential));
			const exported = await n8n.exportCredentials();
			const stored = exported.find((c) => c.id === credential.id);
			expect(stored).toMatchObject({ name: credential.name, type: 'checkMobiApi', data: credential.data });
		});
	}, 300_000);

	it('runs a Manual Trigger + Set workflow headless with `n8n execute`', async () => {
		await withN8nLog(async () => {
			const wf = workflow({
				id: 'harnessExec000001',
				name: 'harness: execute',
				nodes: [manualTriggerNode(), setNode('Set', { greeting: 'hello', count: 2, ok: true })],
			});
			await n8n.importWorkflows(wf);
			const result = await timed('n8n execute (Manual Trigger + Set)', async () => await n8n.execute(wf.id));
			expect(result.ok).toBe(true); // exit 0, or the known SIGSEGV after a finished run
			expect(result.run?.status).toBe('success');
			expect(nodeOutput(result.run!, 'Set').map((item) => item.json)).toEqual([{ greeting: 'hello', count: 2, ok: true }]);
		});
	}, 300_000);

	it('reports a failing run with its error and a non-zero exit', async () => {
		await withN8nLog(async () => {
			const wf = workflow({
				id: 'harnessFail000001',
				name: 'harness: failing execute',
				nodes: [
					manualTriggerNode(),
					// A Stop and Error node fails the run on purpose.
					node('Fail', 'n8n-nodes-base.stopAndError', { errorMessage: 'harness says no' }),
				],
			});
			await n8n.importWorkflows(wf);
			const result = await n8n.execute(wf.id);
			expect(result.ok).toBe(false);
			expect(result.code).not.toBe(0);
			expect(result.run?.data.resultData.error?.message).toContain('harness says no');
		});
	}, 300_000);

	it('serves a published webhook workflow and records exactly one execution per call', async () => {
		await withN8nLog(async () => {
			const wf = workflow({
				id: 'harnessHook000001',
				name: 'harness: webhook',
				nodes: [webhookNode('Webhook', { path: 'harness-smoke' }), setNode('Set', { seen: true })],
			});
			await n8n.importWorkflows(wf);
			await n8n.publishWorkflow(wf.id);

			await timed('n8n start (first)', async () => await n8n.start());
			expect(await n8n.healthz()).toBe(true);

			// n8n loaded our package: no load error, it knows the credential type and every node the package declares.
			expect(readFileSync(n8n.logFile, 'utf8')).not.toContain('Failed to load package "n8n-nodes-checkmobi"');
			const credentialTypes = await n8n.credentialTypes();
			expect(credentialTypes.map((t) => t.name)).toContain('checkMobiApi');
			const declaredNodes = (JSON.parse(readFileSync(`${n8n.packagePath}/package.json`, 'utf8')) as { n8n: { nodes?: string[] } }).n8n.nodes ?? [];
			// (n8n adds a "<name>Tool" twin of every node that is usableAsTool.)
			const loadedNodes = new Set(
				(await n8n.nodeTypes()).map((t) => t.name).filter((name) => name.startsWith('n8n-nodes-checkmobi.') && !name.endsWith('Tool')),
			);
			expect(loadedNodes.size).toBe(declaredNodes.length);

			const response = await n8n.callWebhook('harness-smoke', {
				body: JSON.stringify({ number: '+40700000000' }),
				headers: { 'content-type': 'application/json' },
			});
			expect(response.status).toBe(200);

			await n8n.waitForExecutions(wf.id, 1);
			await new Promise((r) => setTimeout(r, 1000)); // room for a (wrong) second execution to show up
			const executions = await n8n.listExecutions(wf.id);
			expect(executions).toHaveLength(1);
			expect(executions[0]).toMatchObject({ workflowId: wf.id, mode: 'webhook', status: 'success' });

			const execution = await n8n.getExecution(executions[0].id, true);
			const received = execution.data!.resultData.runData.Webhook[0].data!.main[0]![0].json;
			expect(received.body).toEqual({ number: '+40700000000' });

			const pid = n8n.pid!;
			await timed('n8n stop', async () => await n8n.stop());
			expect(n8n.isRunning).toBe(false);
			expect(() => process.kill(-pid, 0)).toThrow(); // the whole process group is gone
			expect(await isPortFree(n8n.port)).toBe(true);
		});
	}, 300_000);

	it('starts again on the same folder, with the workflow still published', async () => {
		await withN8nLog(async () => {
			await timed('n8n start (later)', async () => await n8n.start());
			const response = await n8n.callWebhook('harness-smoke', { body: '{}', headers: { 'content-type': 'application/json' } });
			expect(response.status).toBe(200);
			await n8n.waitForExecutions('harnessHook000001', 2);
			await n8n.stop();
			expect(await isPortFree(n8n.port)).toBe(true);
		});
	}, 300_000);
});
