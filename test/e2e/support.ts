/**
 * What the end-to-end test files share: one real n8n per file, failures that carry n8n's own log,
 * timings, and reading items out of runs and executions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { nodeOutput, tail, type N8nExecution, type N8nInstance, type N8nItem, type N8nRun } from '../../scripts/lib/n8n';

/** Budgets: generous because n8n starts slowly on a loaded 2-core machine, but bounded. */
export const PROVISION_TIMEOUT_MS = 30 * 60_000;
export const N8N_STEP_TIMEOUT_MS = 5 * 60_000;

export class Timings {
	private readonly entries: Array<[string, number]> = [];

	async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
		const started = Date.now();
		try {
			return await fn();
		} finally {
			this.entries.push([name, Date.now() - started]);
		}
	}

	report(title: string): void {
		process.stderr.write(`[${title}] timings:\n${this.entries.map(([name, ms]) => `  ${name}: ${(ms / 1000).toFixed(1)} s`).join('\n')}\n`);
	}
}

/** Runs `fn`; a failure carries the tails of n8n's server and CLI logs (the reason is usually there). */
export async function withN8nLog<T>(n8n: N8nInstance | undefined, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		if (!n8n) throw error;
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		throw new Error(`${message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(40)}\n--- tail of ${n8n.cliLogFile}:\n${tail(n8n.cliLogFile, 30)}`);
	}
}

/** The JSON of the items a node put out in a run. */
export function jsonOf(run: N8nRun, nodeName: string, output = 0): Array<Record<string, unknown>> {
	return nodeOutput(run, nodeName, output).map((item: N8nItem) => item.json);
}

/** The run data of an execution read with `includeData`. */
export function runOf(execution: N8nExecution): N8nRun {
	if (!execution.data) throw new Error(`execution ${execution.id} was read without its data`);
	return { data: execution.data } as N8nRun;
}

/** Reads every execution of a workflow with its data, oldest first, only those started in `mode`. */
export async function executionsWithData(n8n: N8nInstance, workflowId: string, mode?: string): Promise<N8nExecution[]> {
	const listed = await n8n.listExecutions(workflowId);
	const chosen = listed.filter((e) => mode === undefined || e.mode === mode).sort((a, b) => Number(a.id) - Number(b.id));
	return await Promise.all(chosen.map(async (e) => await n8n.getExecution(e.id, true)));
}

/**
 * Waits until a workflow has `count` finished executions in `mode` (never fewer; more are returned
 * too, so the caller can assert "exactly").
 */
export async function waitForModeExecutions(n8n: N8nInstance, workflowId: string, mode: string, count: number, timeoutMs = 60_000): Promise<N8nExecution[]> {
	const started = Date.now();
	for (;;) {
		const listed = (await n8n.listExecutions(workflowId)).filter((e) => e.mode === mode);
		const finished = listed.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (finished.length >= count && finished.length === listed.length) return finished.sort((a, b) => Number(a.id) - Number(b.id));
		if (Date.now() - started > timeoutMs) {
			throw new Error(`workflow ${workflowId}: ${finished.length} of ${count} ${mode} executions finished after ${timeoutMs} ms (${listed.length} listed)`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Polls an execution until `done` says so (failing after `timeoutMs`), and returns it with its data. */
export async function executionWhen(n8n: N8nInstance, id: string, done: (e: N8nExecution) => boolean, timeoutMs = 60_000): Promise<N8nExecution> {
	const started = Date.now();
	for (;;) {
		const execution = await n8n.getExecution(id, true);
		if (done(execution)) return execution;
		if (Date.now() - started > timeoutMs) throw new Error(`execution ${id} is still ${execution.status} after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

export interface ForwardingProxy {
	url: string;
	/** Status the proxy answered to each request, in order. */
	answered: number[];
	/** Status n8n answered to each forwarded request, in order. */
	upstream: number[];
	close(): Promise<void>;
}

/**
 * Stands between the sandbox and n8n and forwards every request (exact bytes, same headers), but
 * answers the first `failFirst` with 500 whatever n8n said: n8n accepted the delivery, CheckMobi
 * did not see the 200 and sends it again, as after a lost answer or a time-out.
 */
export async function startForwardingProxy(target: string, failFirst = 1): Promise<ForwardingProxy> {
	const answered: number[] = [];
	const upstream: number[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const headers: Record<string, string> = {};
			for (const [key, value] of Object.entries(req.headers)) {
				if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(key)) headers[key] = value;
			}
			void fetch(target, { method: req.method, headers, body: Uint8Array.from(body) })
				.then(async (response) => {
					const text = await response.text();
					upstream.push(response.status);
					const status = answered.length < failFirst ? 500 : response.status;
					answered.push(status);
					res.writeHead(status, { 'content-type': 'text/plain' });
					res.end(status === response.status ? text : 'lost answer (test proxy)');
				})
				.catch((error: unknown) => {
					answered.push(502);
					res.writeHead(502);
					res.end(String(error));
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/proxied`,
		answered,
		upstream,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export interface PushMessage {
	type: string;
	data: Record<string, unknown>;
}

export interface EditorPush {
	/** What n8n pushed so far, oldest first. */
	messages: PushMessage[];
	/** The first message of `type` pushed (waits for it; rejects after `timeoutMs`). */
	waitFor(type: string, timeoutMs?: number): Promise<PushMessage>;
	close(): void;
}

/**
 * Connects to n8n's push channel as an open editor does, so a test sees what the editor is told.
 * The n8n must run with N8N_PUSH_BACKEND=sse (Server-Sent Events: plain HTTP, no WebSocket client).
 * Runs started with the header `push-ref: <pushRef>` report to this channel.
 */
export async function openEditorPush(n8n: N8nInstance, pushRef: string): Promise<EditorPush> {
	const controller = new AbortController();
	const response = await fetch(`${n8n.baseUrl}/rest/push?pushRef=${encodeURIComponent(pushRef)}`, {
		headers: { ...(await n8n.restHeaders()), origin: n8n.baseUrl, accept: 'text/event-stream' },
		signal: controller.signal,
	});
	if (!response.ok || !response.body) throw new Error(`GET /rest/push: ${response.status} ${await response.text()}`);
	const messages: PushMessage[] = [];
	let changed: () => void = () => {};
	const body = response.body;
	void (async () => {
		const decoder = new TextDecoder();
		let buffer = '';
		try {
			for await (const chunk of body) {
				buffer += decoder.decode(chunk as Uint8Array, { stream: true });
				for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
					const data = buffer
						.slice(0, end)
						.split('\n')
						.filter((line) => line.startsWith('data: '))
						.map((line) => line.slice('data: '.length))
						.join('\n');
					buffer = buffer.slice(end + 2);
					if (data) messages.push(JSON.parse(data) as PushMessage);
				}
				changed();
			}
		} catch {
			// closed
		}
	})();
	return {
		messages,
		async waitFor(type, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = messages.find((m) => m.type === type);
				if (found) return found;
				if (Date.now() > deadline) throw new Error(`no "${type}" push message in ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`);
				await new Promise<void>((resolve) => {
					changed = resolve;
					setTimeout(resolve, 250);
				});
			}
		},
		close: () => controller.abort(),
	};
}
