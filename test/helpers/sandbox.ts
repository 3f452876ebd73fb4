// Jest helpers for the CheckMobi sandbox: useSandbox() starts one on a free port for the test
// file, resets it before each test and closes it at the end; startReceiver() is a tiny HTTP
// server that records the callbacks it gets (raw bytes included) and answers as told.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Sandbox, type SandboxConfig, startSandbox } from '../../sandbox';
import { type HttpResult, type LoggedRequestView, SandboxApi, type SandboxControl } from '../../sandbox/client';
import { assertNoProblems, checkAnswer, checkCallback } from './contract';

export interface SandboxFixture {
	/** http://127.0.0.1:PORT (the credential's Base URL, without /v1). */
	readonly url: string;
	readonly secretKey: string;
	readonly signatureKey: string;
	/** The control API's token (the client `control` sends it). */
	readonly controlToken: string;
	/** Control API client (/_sandbox), with the token. */
	readonly control: SandboxControl;
	/** Bare /v1 caller with the secret key; every answer is checked against the CheckMobi contract. */
	readonly api: SandboxApi;
	readonly sandbox: Sandbox;
	/** Resets now (state, logs, faults, config = `options.config` + `config`). */
	reset(config?: Partial<SandboxConfig>): Promise<void>;
	/** The /v1 requests the sandbox received (optionally only those of a path pattern), oldest first. */
	received(path?: string): Promise<LoggedRequestView[]>;
}

export interface UseSandboxOptions {
	/** Config applied at start and after every reset. */
	config?: Partial<SandboxConfig>;
	secretKey?: string;
	signatureKey?: string;
	/** Reset before each test (default true). */
	resetBeforeEach?: boolean;
}

/** A /v1 caller that fails the test when an answer breaks the CheckMobi contract (injected faults aside). */
class ContractCheckedApi extends SandboxApi {
	override async request(...args: Parameters<SandboxApi['request']>): Promise<HttpResult> {
		const answer = await super.request(...args);
		const [method, path] = args;
		assertNoProblems(checkAnswer(method, path, answer), `The sandbox's answer to ${method} ${path}`);
		return answer;
	}
}

/** Every callback the sandbox sent (not the hand-made ones of the control API) against the contract. */
export async function checkSandboxCallbacks(control: SandboxControl): Promise<void> {
	const problems = (await control.callbacks())
		.filter((delivery) => delivery.kind !== 'manual')
		.flatMap((delivery) => checkCallback(delivery.kind as 'validation' | 'sms' | 'call' | 'lookup', delivery.json).map((p) => `#${delivery.seq} ${p}`));
	assertNoProblems(problems, 'A callback the sandbox sent');
}

/**
 * Call at the top of a describe block or test file. Properties are available inside tests. Every
 * answer of `api` and every callback the sandbox sends is checked against the CheckMobi contract.
 */
export function useSandbox(options: UseSandboxOptions = {}): SandboxFixture {
	let sandbox: Sandbox | undefined;
	let api: SandboxApi | undefined;
	const started = (): Sandbox => {
		if (!sandbox) throw new Error('the sandbox is not started yet: use the fixture inside tests or hooks');
		return sandbox;
	};

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, secretKey: options.secretKey, signatureKey: options.signatureKey, config: options.config });
		api = new ContractCheckedApi(sandbox.url, sandbox.secretKey);
	});
	afterEach(async () => {
		if (sandbox) await checkSandboxCallbacks(sandbox.control);
	});
	if (options.resetBeforeEach !== false) {
		beforeEach(async () => {
			await started().control.reset();
		});
	}
	afterAll(async () => {
		api?.close();
		await sandbox?.close();
		sandbox = undefined;
	});

	return {
		get url() {
			return started().url;
		},
		get secretKey() {
			return started().secretKey;
		},
		get signatureKey() {
			return started().signatureKey;
		},
		get controlToken() {
			return started().controlToken;
		},
		get control() {
			return started().control;
		},
		get api() {
			started();
			return api as SandboxApi;
		},
		get sandbox() {
			return started();
		},
		async reset(config?: Partial<SandboxConfig>) {
			// What the test saw so far is checked before the reset forgets it.
			await checkSandboxCallbacks(started().control);
			await started().control.reset(config);
		},
		async received(path?: string) {
			return (await started().control.requests(path ? { path } : {})).entries;
		},
	};
}

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	/** The exact bytes received. */
	raw: Buffer;
	text: string;
	json: unknown;
	/** Date.now() at arrival. */
	at: number;
}

export type Respond = (request: ReceivedRequest, index: number) => number | { status: number; body?: string };

export interface Receiver {
	/** http://127.0.0.1:PORT/callback */
	url: string;
	received: ReceivedRequest[];
	/** Resolves once `count` requests have arrived (rejects after timeoutMs). */
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	/** Changes how the next requests are answered. */
	respondWith(respond: Respond): void;
	clear(): void;
	close(): Promise<void>;
}

/** A callback receiver on a free loopback port; answers 200 unless `respond` says otherwise. */
export async function startReceiver(respond: Respond = () => 200): Promise<Receiver> {
	const received: ReceivedRequest[] = [];
	let answer = respond;
	let waiters: Array<{ count: number; resolve: () => void }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const text = raw.toString('utf8');
			let json: unknown = undefined;
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
			const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, text, json, at: Date.now() };
			received.push(request);
			const out = answer(request, received.length - 1);
			const { status, body } = typeof out === 'number' ? { status: out, body: '' } : out;
			res.writeHead(status, { 'Content-Type': 'text/plain' });
			res.end(body ?? '');
			waiters = waiters.filter((w) => {
				if (received.length >= w.count) w.resolve();
				return received.length < w.count;
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/callback`,
		received,
		waitFor(count, timeoutMs = 5000) {
			if (received.length >= count) return Promise.resolve(received.slice());
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} requests in ${timeoutMs} ms`)), timeoutMs);
				waiters.push({
					count,
					resolve: () => {
						clearTimeout(timer);
						resolve(received.slice());
					},
				});
			});
		},
		respondWith(next) {
			answer = next;
		},
		clear() {
			received.length = 0;
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
