/**
 * One real n8n (with this package) and one sandbox, and the measurements the suites share.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';

import type { SandboxConfig } from '../../sandbox/config';
import { N8nInstance, type N8nExecution, type WorkflowJson } from '../../scripts/lib/n8n';
import { GroupSampler, type MemoryWindow } from './proc';
import type { SandboxProcess } from './sandboxProcess';
import { TARGET } from './workflows';

export interface BenchWorkflow {
	workflow: WorkflowJson;
	path: string;
}

export interface ItemsRun {
	items: number;
	/** The node under test's own time (runData executionTime), ms. */
	nodeMs: number;
	/** The execution's stoppedAt - startedAt, ms. */
	executionMs: number;
	/** The webhook call as the client saw it, ms. */
	wallMs: number;
	itemsPerSecond: number;
	memory: MemoryWindow;
	/** What the sandbox saw. */
	requests: number;
	limitErrors: number;
	errorCodes: Record<string, number>;
	/** Output items of the node under test. */
	outputItems: number;
	/** Output items that are error items. */
	errorItems: number;
	/** JSON size of the node's input and output items (bytes). */
	inputJsonBytes?: number;
	outputJsonBytes?: number;
}

export class Bench {
	constructor(
		readonly n8n: N8nInstance,
		readonly sandbox: SandboxProcess,
		readonly log: (line: string) => void,
	) {}

	/**
	 * Runs an items workflow once: resets the sandbox (objects, rate windows, request log) with
	 * `config`, posts the items, waits for the run, and reads the node's time from the execution.
	 */
	async runItems(wf: BenchWorkflow, body: string, items: number, config: Partial<SandboxConfig>, options: { sizes?: boolean; keepPeak?: boolean } = {}): Promise<ItemsRun> {
		await this.sandbox.reset(config);
		const sampler = new GroupSampler(this.n8n.pid!);
		sampler.start({ resetPeak: !options.keepPeak });
		const t0 = performance.now();
		const response = await this.n8n.callWebhook(wf.path, { body, headers: { 'content-type': 'application/json' }, timeoutMs: 60_000 });
		const text = await response.text();
		const wallMs = performance.now() - t0;
		const memory = sampler.stop();
		const execution = await this.latestExecution(wf.workflow.id);
		if (response.status !== 200 || execution.status !== 'success') {
			const error = execution.data?.resultData.error;
			throw new Error(`${wf.workflow.name}: HTTP ${response.status} ${text.slice(0, 200)}; execution ${execution.status}: ${error?.message ?? ''} ${error?.description ?? ''}`);
		}
		const task = execution.data!.resultData.runData[TARGET]?.[0];
		if (!task) throw new Error(`${wf.workflow.name}: the node under test did not run`);
		const output = task.data?.main?.[0] ?? [];
		const stats = (await this.sandbox.control.stats()) as unknown as { requests: number; limitErrors: number; errorCodes: Record<string, number> };
		const run: ItemsRun = {
			items,
			nodeMs: task.executionTime,
			executionMs: new Date(execution.stoppedAt!).getTime() - new Date(execution.startedAt).getTime(),
			wallMs,
			itemsPerSecond: (items / task.executionTime) * 1000,
			memory,
			requests: stats.requests,
			limitErrors: stats.limitErrors,
			errorCodes: stats.errorCodes,
			outputItems: output.length,
			errorItems: output.filter((item) => item.json && 'error' in item.json).length,
		};
		if (options.sizes) {
			const input = execution.data!.resultData.runData['Split Out']?.[0]?.data?.main?.[0] ?? [];
			run.inputJsonBytes = Buffer.byteLength(JSON.stringify(input.map((i) => i.json)));
			run.outputJsonBytes = Buffer.byteLength(JSON.stringify(output.map((i) => i.json)));
		}
		await this.n8n.publicApi('DELETE', `/executions/${execution.id}`).catch(() => undefined);
		return run;
	}

	/** A fresh n8n process on the same folder (published workflows come back on their own). */
	async restart(): Promise<void> {
		await this.n8n.stop();
		await this.n8n.start();
	}

	/** The newest execution of a workflow, with its data, once it is no longer running. */
	async latestExecution(workflowId: string): Promise<N8nExecution> {
		for (let attempt = 0; ; attempt++) {
			const [latest] = await this.n8n.listExecutions(workflowId);
			if (latest && !['new', 'running', 'waiting'].includes(latest.status)) return await this.n8n.getExecution(latest.id, true);
			if (attempt > 600) throw new Error(`no finished execution of ${workflowId}`);
			await sleep(100);
		}
	}

	/** Deletes every execution of a workflow (keeps the database small between suites). */
	async deleteExecutions(workflowId: string): Promise<void> {
		for (const execution of await this.n8n.listExecutions(workflowId)) {
			await this.n8n.publicApi('DELETE', `/executions/${execution.id}`).catch(() => undefined);
		}
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Runs a script of this folder as its own process on the given Node.js; returns its one JSON line. */
export async function runChild<T>(nodeBin: string, script: string, job: unknown, env: NodeJS.ProcessEnv = process.env): Promise<T> {
	return await new Promise<T>((resolve, reject) => {
		const child = spawn(nodeBin, [script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'], env });
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
			} catch (error) {
				reject(new Error(`${script}: no JSON result (${(error as Error).message}): ${out} ${err}`));
			}
		});
	});
}

export interface Sink {
	url: string;
	count: () => number;
	last: () => Buffer | undefined;
	close: () => Promise<void>;
}

/** A loopback HTTP server that answers 200 to everything and keeps the last body (callback sink). */
export async function startSink(): Promise<Sink> {
	let count = 0;
	let last: Buffer | undefined;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			count++;
			last = Buffer.concat(chunks);
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`,
		count: () => count,
		last: () => last,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((r) => server.close(() => r()));
		},
	};
}
