/**
 * A real n8n for tests, the dev script and the benchmarks: the folder, the processes and the CLI
 * (process.ts, commands.ts), and the running server's HTTP side: the editor's REST API as the
 * owner, the public API, production webhooks.
 */
import { randomBytes } from 'node:crypto';

import { sleep } from './common';
import { N8nCommands } from './commands';
import type { N8nRun } from './executeOutput';
import { findFreePort } from './ports';
import type { N8nInstanceOptions } from './process';
import { provisionN8n } from './provision';
import type { N8nRuntime } from './runtime';

/** An execution as the public API (`/api/v1/executions`) lists it. */
export interface N8nExecution {
	id: string | number;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: N8nRun['data'];
	[key: string]: unknown;
}

/**
 * One n8n: a user folder (SQLite database, config, community packages, logs) and the commands that
 * run against it. `cli()` works whether or not the server runs; `start()` runs `n8n start`.
 */
export class N8nInstance extends N8nCommands {
	private cookie: string | undefined;

	private apiKeyValue: string | undefined;

	private readonly browserId = `harness-${randomBytes(6).toString('hex')}`;

	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-harness] ${line}\n`));
		const runtime = options.runtime ?? (await provisionN8n({ log }));
		const port = options.port ?? (await findFreePort());
		return new N8nInstance(runtime, port, options, log);
	}

	private constructor(runtime: N8nRuntime, port: number, options: N8nInstanceOptions, log: (line: string) => void) {
		super(runtime, port, options, log);
	}

	protected serverStopped(): void {
		this.cookie = undefined;
	}

	// ----- REST (the editor's API, cookie auth) and the public API (X-N8N-API-KEY)

	/** Logs the owner in (`POST /rest/login`) and keeps the auth cookie for `rest()`. */
	async login(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId },
			body: JSON.stringify({ emailOrLdapLoginId: this.ownerEmail, password: this.ownerPassword }),
		});
		if (!response.ok) throw new Error(`POST /rest/login: ${response.status} ${await response.text()}`);
		const cookie = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
		this.cookie = cookie;
	}

	/** The headers that make a request to `/rest/...` the logged-in owner's (logs in when needed). */
	async restHeaders(): Promise<Record<string, string>> {
		if (!this.cookie) await this.login();
		return { cookie: this.cookie!, 'browser-id': this.browserId };
	}

	/**
	 * A call to the editor's REST API (`/rest/...`) as the owner; returns the `data` of the answer.
	 * `headers` adds to the request's, e.g. `push-ref` to have the run's messages pushed to an editor.
	 */
	async rest<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: {
				...(await this.restHeaders()),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: ${response.status} ${text}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return (parsed.data ?? parsed) as T;
	}

	/** Credential types the running n8n knows (`/types/credentials.json`), e.g. to see our package loaded. */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string; [key: string]: unknown }>> {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/credentials.json`, { headers: { cookie: this.cookie!, 'browser-id': this.browserId } });
		if (!response.ok) throw new Error(`GET /types/credentials.json: ${response.status}`);
		return (await response.json()) as Array<{ name: string; displayName: string }>;
	}

	/** Node types the running n8n knows (`/types/nodes.json`). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; [key: string]: unknown }>> {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie!, 'browser-id': this.browserId } });
		if (!response.ok) throw new Error(`GET /types/nodes.json: ${response.status}`);
		return (await response.json()) as Array<{ name: string; displayName: string; version: number | number[] }>;
	}

	/** Creates a public-API key for the owner with every scope the owner may grant (kept for `publicApi()`). */
	async createApiKey(label = 'checkmobi-harness'): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label: `${label}-${Date.now()}`, scopes, expiresAt: null });
		this.apiKeyValue = created.rawApiKey;
		return created.rawApiKey;
	}

	/**
	 * A call to the public API (`/api/v1/...`); creates an API key on first use. A read that n8n
	 * answers 503 "Database is not ready" (its database ping timed out under load) is tried again.
	 */
	async publicApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const apiKey = this.apiKeyValue ?? (await this.createApiKey());
		for (let attempt = 1; ; attempt++) {
			const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
				method,
				headers: { 'X-N8N-API-KEY': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (response.status === 503 && method === 'GET' && attempt < 10) {
				await sleep(2000);
				continue;
			}
			if (!response.ok) throw new Error(`${method} /api/v1${path}: ${response.status} ${text}`);
			return (text ? JSON.parse(text) : undefined) as T;
		}
	}

	/** Every execution of a workflow, newest first (follows the API's cursor). */
	async listExecutions(workflowId: string, options: { status?: string; includeData?: boolean } = {}): Promise<N8nExecution[]> {
		const all: N8nExecution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '250' });
			if (options.status) query.set('status', options.status);
			if (options.includeData) query.set('includeData', 'true');
			if (cursor) query.set('cursor', cursor);
			const page = await this.publicApi<{ data: N8nExecution[]; nextCursor?: string | null }>('GET', `/executions?${query.toString()}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	async getExecution(id: string | number, includeData = false): Promise<N8nExecution> {
		return await this.publicApi<N8nExecution>('GET', `/executions/${id}${includeData ? '?includeData=true' : ''}`);
	}

	/** Waits until a workflow has at least `count` executions that are no longer running. */
	async waitForExecutions(workflowId: string, count = 1, options: { timeoutMs?: number } = {}): Promise<N8nExecution[]> {
		const timeoutMs = options.timeoutMs ?? 30_000;
		const started = Date.now();
		for (;;) {
			const executions = await this.listExecutions(workflowId);
			const done = executions.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
			if (done.length >= count) return done;
			if (Date.now() - started > timeoutMs) {
				throw new Error(`workflow ${workflowId}: ${done.length} of ${count} executions finished after ${timeoutMs} ms (${executions.length} in all)`);
			}
			await sleep(250);
		}
	}

	/** Publishes a workflow on the running server (`POST /api/v1/workflows/:id/activate`); no restart needed. */
	async activateWorkflow(id: string): Promise<void> {
		await this.publicApi('POST', `/workflows/${id}/activate`);
	}

	webhookUrl(path: string): string {
		return `${this.baseUrl}/webhook/${path.replace(/^\/+/, '')}`;
	}

	/**
	 * Calls a production webhook. n8n 2.x registers published workflows' triggers in the background
	 * after it starts, so an answer of 404 "not registered" is retried until `timeoutMs`; such an
	 * answer creates no execution.
	 */
	async callWebhook(path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Response> {
		const timeoutMs = init.timeoutMs ?? 30_000;
		const started = Date.now();
		for (;;) {
			const raw = init.body;
			// A copy in a plain ArrayBuffer: what fetch's types (with or without the DOM lib) accept.
			const body: string | Uint8Array<ArrayBuffer> | undefined = raw instanceof Uint8Array ? Uint8Array.from(raw) : raw;
			const response = await fetch(this.webhookUrl(path), { method: init.method ?? 'POST', headers: init.headers, body });
			if (response.status !== 404 || Date.now() - started > timeoutMs) return response;
			const text = await response.clone().text();
			if (!/not registered/i.test(text)) return response;
			await sleep(250);
		}
	}
}
