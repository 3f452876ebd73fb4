// Callbacks: signed HTTP POSTs to notification_callback URLs, retried on anything but 200
// (at most 3 retries, like the real service), every delivery and attempt recorded.

import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

import type { SandboxConfig } from './config';
import { Ring } from './ring';

export type CallbackKind = 'validation' | 'sms' | 'call' | 'lookup' | 'manual';
export type SignatureEncoding = 'hex' | 'base64';

export interface CallbackAttempt {
	/** Sandbox clock, ms. */
	at: number;
	/** HTTP status answered, or null when the attempt failed on the network. */
	status: number | null;
	error: string | null;
	durationMs: number;
	/** The first 2 KB of the receiver's answer. */
	responseBody: string | null;
}

export interface CallbackDelivery {
	seq: number;
	kind: CallbackKind;
	url: string;
	/** The id the callback is about (MSG-…, CAL-…, a validation id, a bulk request id). */
	objectId: string | null;
	/** The exact bytes sent, as UTF-8 text. */
	body: string;
	/** Value of X-CheckMobi-Signature, or null when sent unsigned. */
	signature: string | null;
	headers: Record<string, string>;
	createdAt: number;
	attempts: CallbackAttempt[];
	state: 'pending' | 'delivered' | 'failed';
}

export function sign(body: string | Buffer, key: string, encoding: SignatureEncoding): string {
	return createHmac('sha256', key).update(body).digest(encoding);
}

function isPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	const kind = isIP(host);
	if (kind === 4) {
		const [a, b] = host.split('.').map(Number);
		return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
	}
	if (kind === 6) {
		if (host === '::1' || host === '::') return true;
		if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return true;
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
		return mapped ? isPrivateHost(mapped[1]) : false;
	}
	return false;
}

/** Whether the API accepts `url` as a notification_callback (else error 9). */
export function isAcceptableCallbackUrl(url: string, config: SandboxConfig): boolean {
	if (url.length === 0 || url.length > config.callbackMaxUrlLength) return false;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
	if (!parsed.hostname) return false;
	if (!config.allowLoopbackCallbacks && isPrivateHost(parsed.hostname)) return false;
	return true;
}

export interface ManualCallback {
	url: string;
	/** Raw body, sent byte for byte. */
	body?: string;
	/** Or a value to send as JSON.stringify(json). */
	json?: unknown;
	/** Which key signs: the signature key (default), the secret key, `key`, or nothing. */
	sign?: 'signatureKey' | 'secretKey' | 'key' | 'none';
	key?: string;
	encoding?: SignatureEncoding;
	/** Sends this X-CheckMobi-Signature value as is (overrides sign). */
	signature?: string;
	headers?: Record<string, string>;
	/** Retry like a real callback (default false: one attempt). */
	retry?: boolean;
}

interface Deps {
	now: () => number;
	config: () => SandboxConfig;
	keys: () => { secretKey: string; signatureKey: string };
}

export class CallbackDispatcher {
	private readonly log: Ring<CallbackDelivery>;
	private readonly chains = new Map<string, Promise<void>>();
	private readonly inFlight = new Set<Promise<void>>();
	private readonly requests = new Set<http.ClientRequest>();
	private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
	private generation = 0;
	private seq = 0;
	private closed = false;
	readonly counters = { deliveries: 0, attempts: 0, delivered: 0, failed: 0 };

	constructor(private readonly deps: Deps) {
		this.log = new Ring(deps.config().callbackLogSize);
	}

	/**
	 * Queues a signed callback. Callbacks about the same object are delivered one after the other
	 * (a status never overtakes the previous one), callbacks about different objects in parallel.
	 */
	send(kind: CallbackKind, url: string, payload: unknown, objectId: string | null): CallbackDelivery {
		const body = JSON.stringify(payload);
		const { signatureKey } = this.deps.keys();
		const encoding = this.deps.config().signatureEncoding;
		const signature = sign(body, signatureKey, encoding);
		const delivery = this.record(kind, url, body, signature, objectId, {});
		const key = objectId ?? `#${delivery.seq}`;
		const previous = this.chains.get(key) ?? Promise.resolve();
		const generation = this.generation;
		const run = previous.then(() => this.deliver(delivery, generation, true));
		this.chains.set(key, run);
		this.track(run);
		void run.then(() => {
			if (this.chains.get(key) === run) this.chains.delete(key);
		});
		return delivery;
	}

	/** Sends an arbitrary callback (forged, unsigned, re-signed...) and waits for the outcome. */
	async sendManual(options: ManualCallback): Promise<CallbackDelivery> {
		const body = options.body ?? JSON.stringify(options.json ?? {});
		const encoding = options.encoding ?? this.deps.config().signatureEncoding;
		const keys = this.deps.keys();
		let signature: string | null;
		if (options.signature !== undefined) signature = options.signature;
		else {
			const mode = options.sign ?? 'signatureKey';
			const key = mode === 'signatureKey' ? keys.signatureKey : mode === 'secretKey' ? keys.secretKey : mode === 'key' ? (options.key ?? '') : null;
			signature = key === null ? null : sign(body, key, encoding);
		}
		const delivery = this.record('manual', options.url, body, signature, null, options.headers ?? {});
		const run = this.deliver(delivery, this.generation, options.retry === true);
		this.track(run);
		await run;
		return delivery;
	}

	/** Re-sends a recorded delivery's exact bytes and signature (a replay). */
	async resend(seq: number): Promise<CallbackDelivery | undefined> {
		const original = this.get(seq);
		if (!original) return undefined;
		const delivery = this.record('manual', original.url, original.body, original.signature, original.objectId, original.headers);
		const run = this.deliver(delivery, this.generation, false);
		this.track(run);
		await run;
		return delivery;
	}

	list(filter: { kind?: string; objectId?: string; url?: string; since?: number } = {}): CallbackDelivery[] {
		return this.log.toArray().filter(
			(d) =>
				(filter.kind === undefined || d.kind === filter.kind) &&
				(filter.objectId === undefined || d.objectId === filter.objectId) &&
				(filter.url === undefined || d.url === filter.url) &&
				(filter.since === undefined || d.seq > filter.since),
		);
	}

	get(seq: number): CallbackDelivery | undefined {
		return this.log.toArray().find((d) => d.seq === seq);
	}

	get pending(): number {
		return this.inFlight.size;
	}

	get dropped(): number {
		return this.log.dropped;
	}

	/** Resolves true once no delivery is in flight (retries included), false on timeout. */
	async settle(timeoutMs = 10_000): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (this.inFlight.size > 0) {
			const left = deadline - Date.now();
			if (left <= 0) return false;
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<void>((resolve) => {
				timer = setTimeout(resolve, left);
			});
			await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
			clearTimeout(timer);
		}
		return true;
	}

	/** Forgets every record; deliveries still running stop retrying and are not recorded. */
	reset(): void {
		this.generation++;
		for (const request of this.requests) request.destroy(new Error('sandbox reset'));
		this.requests.clear();
		this.chains.clear();
		this.log.clear(this.deps.config().callbackLogSize);
		this.counters.deliveries = this.counters.attempts = this.counters.delivered = this.counters.failed = 0;
		this.seq = 0;
	}

	resize(capacity: number): void {
		this.log.resize(capacity);
	}

	close(): void {
		this.closed = true;
		this.generation++;
		for (const request of this.requests) request.destroy(new Error('sandbox closed'));
		this.requests.clear();
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}

	private track(run: Promise<void>): void {
		this.inFlight.add(run);
		void run.finally(() => this.inFlight.delete(run));
	}

	private record(
		kind: CallbackKind,
		url: string,
		body: string,
		signature: string | null,
		objectId: string | null,
		extraHeaders: Record<string, string>,
	): CallbackDelivery {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'User-Agent': 'CheckMobi-Sandbox',
			...extraHeaders,
		};
		if (signature !== null) headers['X-CheckMobi-Signature'] = signature;
		const delivery: CallbackDelivery = {
			seq: ++this.seq,
			kind,
			url,
			objectId,
			body,
			signature,
			headers,
			createdAt: this.deps.now(),
			attempts: [],
			state: 'pending',
		};
		this.log.push(delivery);
		this.counters.deliveries++;
		return delivery;
	}

	private async deliver(delivery: CallbackDelivery, generation: number, retry: boolean): Promise<void> {
		const maxRetries = retry ? this.deps.config().callbackMaxRetries : 0;
		for (let attempt = 0; ; attempt++) {
			if (generation !== this.generation || this.closed) return;
			const result = await this.attempt(delivery);
			if (generation !== this.generation) return;
			delivery.attempts.push(result);
			this.counters.attempts++;
			if (result.status === 200) {
				delivery.state = 'delivered';
				this.counters.delivered++;
				return;
			}
			if (attempt >= maxRetries) {
				delivery.state = 'failed';
				this.counters.failed++;
				return;
			}
			const delays = this.deps.config().callbackRetryDelaysMs;
			const delay = delays[Math.min(attempt, delays.length - 1)];
			await new Promise<void>((resolve) => setTimeout(resolve, delay).unref());
		}
	}

	private attempt(delivery: CallbackDelivery): Promise<CallbackAttempt> {
		const at = this.deps.now();
		const started = Date.now();
		const bytes = Buffer.from(delivery.body, 'utf8');
		return new Promise<CallbackAttempt>((resolve) => {
			let settled = false;
			const finish = (status: number | null, error: string | null, responseBody: string | null) => {
				if (settled) return;
				settled = true;
				resolve({ at, status, error, durationMs: Date.now() - started, responseBody });
			};
			let url: URL;
			try {
				url = new URL(delivery.url);
			} catch {
				finish(null, 'invalid URL', null);
				return;
			}
			const secure = url.protocol === 'https:';
			const request = (secure ? https : http).request(
				url,
				{
					method: 'POST',
					agent: secure ? this.httpsAgent : this.httpAgent,
					headers: { ...delivery.headers, 'Content-Length': String(bytes.length) },
					timeout: this.deps.config().callbackTimeoutMs,
				},
				(response) => {
					const chunks: Buffer[] = [];
					let size = 0;
					response.on('data', (chunk: Buffer) => {
						if (size < 2048) chunks.push(chunk);
						size += chunk.length;
					});
					response.on('end', () => finish(response.statusCode ?? null, null, Buffer.concat(chunks).toString('utf8').slice(0, 2048)));
					response.on('error', (error) => finish(response.statusCode ?? null, error.message, null));
				},
			);
			this.requests.add(request);
			request.on('close', () => this.requests.delete(request));
			request.on('timeout', () => {
				request.destroy(new Error('timeout'));
			});
			request.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message, null));
			request.end(bytes);
		});
	}
}
