// A small typed client of the sandbox's control API (SandboxControl) and a bare /v1 caller
// (SandboxApi), on node:http with keep-alive, for tests, benchmarks and the end-to-end suite.

import http from 'node:http';

import type { CallbackDelivery, ManualCallback } from './callbacks';
import type { SandboxConfig } from './config';
import { CONTROL_TOKEN_HEADER } from './controlAccess';
import type { Fault, FaultSpec } from './faults';
import type { CreateCounters, LoggedRequest, RequestFilter } from './requestLog';

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	/** Parsed body, or undefined when it is not JSON. */
	json: unknown;
}

export interface RequestOptions {
	headers?: Record<string, string>;
	/** Sent as is instead of JSON.stringify(body). */
	rawBody?: string | Buffer;
	timeoutMs?: number;
}

function call(agent: http.Agent, baseUrl: string, method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<HttpResult> {
	const url = new URL(path, baseUrl);
	const payload =
		options.rawBody !== undefined
			? Buffer.isBuffer(options.rawBody)
				? options.rawBody
				: Buffer.from(options.rawBody, 'utf8')
			: body === undefined
				? null
				: Buffer.from(JSON.stringify(body), 'utf8');
	const headers: Record<string, string> = {};
	if (payload !== null) {
		headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = String(payload.length);
	}
	Object.assign(headers, options.headers ?? {});
	return new Promise<HttpResult>((resolve, reject) => {
		const req = http.request(url, { method, agent, headers, timeout: options.timeoutMs ?? 30_000 }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown = undefined;
				if (text.length > 0) {
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`request timed out: ${method} ${path}`)));
		req.on('error', reject);
		req.end(payload ?? undefined);
	});
}

// ---------------------------------------------------------------------------------------------
// Shapes of the control API's answers

export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'rejected';

export interface MessageView {
	id: string;
	kind: 'api' | 'validation';
	validationId: string | null;
	from: string;
	to: string;
	text: string;
	encoding: 'GSM-7' | 'UCS-2';
	units: number;
	status: SmsStatus;
	history: Array<{ status: SmsStatus; at: number; by: 'sandbox' | 'control' }>;
	chargedAmount: number;
	chargedRate: number;
	isTransactional: boolean;
	platform: string | null;
	notificationCallback: string | null;
	requestDate: number;
	clientIp: string | null;
}

export interface CallView {
	id: string;
	kind: 'voice' | 'ivr' | 'reverse_cli';
	validationId: string | null;
	from: string;
	to: string;
	status: 'initiated' | 'ringing' | 'answered' | 'ended';
	ringTimeout: number;
	events: Array<Record<string, unknown>>;
	plannedSeconds: number | null;
	spokenText: string;
	requestDate: number;
	ringingAt: number | null;
	answeredAt: number | null;
	endedAt: number | null;
	endReason: 'completed' | 'no_answer' | 'busy' | 'rejected' | 'api' | 'user' | 'server_hangup' | 'timeout' | null;
	durationSeconds: number | null;
	durationBilled: number | null;
	chargedAmount: number | null;
	chargedRate: number;
	notificationCallback: string | null;
	notified: Array<'ringing' | 'answer' | 'hangup'>;
	driven: boolean;
	platform: string | null;
	clientIp: string | null;
}

export interface ValidationView {
	id: string;
	type: 'sms' | 'ivr' | 'reverse_cli';
	number: string;
	pin: string;
	createdAt: number;
	expiresAt: number;
	expired: boolean;
	attempts: number;
	maxAttempts: number;
	validated: boolean;
	validatedAt: number | null;
	language: string | null;
	platform: string | null;
	notificationCallback: string | null;
	androidAppHash: string | null;
	clientIp: string | null;
	callerNumber: string | null;
	pinHash: string | null;
	cliPrefix: string | null;
	serverHangup: boolean;
	verifications: Array<{ at: number; pin: string; useServerHangup: boolean; result: 'validated' | 'wrong_pin' | 'hangup' | 'already_validated' }>;
	message: MessageView | null;
	call: CallView | null;
}

export interface InboxEntry {
	kind: 'sms' | 'ivr_call' | 'missed_call' | 'call';
	id: string;
	at: number;
	from: string;
	/** SMS: its text. */
	text?: string;
	/** SMS status, or call status. */
	status: string;
	endReason?: string | null;
	answered?: boolean;
	/** Calls: what was said, once answered. */
	spokenText?: string | null;
	validationId: string | null;
	/** The PIN this entry gives its reader (validation SMS, answered IVR call, missed call's last 4 digits). */
	pin: string | null;
}

export interface Inbox {
	number: string;
	lastPin: string | null;
	entries: InboxEntry[];
}

export interface LoggedRequestView extends LoggedRequest {
	json: unknown;
}

export interface RequestLogPage {
	total: number;
	lastSeq: number;
	dropped: number;
	entries: LoggedRequestView[];
}

export interface SandboxStats {
	now: number;
	requests: number;
	retainedRequests: number;
	droppedRequests: number;
	byEndpoint: Record<string, { count: number; statuses: Record<string, number> }>;
	errorCodes: Record<string, number>;
	limitErrors: number;
	creates: CreateCounters;
	account: { sms_validations: number; ivr_validations: number; cli_validations: number; sms_api: number; voice_api: number; creditBalance: number };
	callbacks: { deliveries: number; attempts: number; delivered: number; failed: number; inFlight: number; droppedRecords: number };
	pendingTransitions: number;
	objects: { validations: number; messages: number; calls: number; bulkLookups: number };
	internalErrors: Array<{ at: number; label: string; message: string }>;
}

export interface CallbackView extends CallbackDelivery {
	json: unknown;
}

export interface CallbackFilter {
	kind?: 'validation' | 'sms' | 'call' | 'lookup' | 'manual';
	objectId?: string;
	url?: string;
	since?: number;
}

export class SandboxControlError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		what: string,
	) {
		super(`${what}: HTTP ${status} ${body}`);
	}
}

function queryString(params: Record<string, string | number | undefined>): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
	const text = search.toString();
	return text ? `?${text}` : '';
}

export class SandboxControl {
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

	/** `baseUrl`: the sandbox's URL (http://127.0.0.1:PORT), without /_sandbox; `token`: its control token. */
	constructor(
		readonly baseUrl: string,
		private readonly token: string,
	) {}

	/**
	 * A control API request as given, with the token unless `options.headers` sets the token header
	 * itself ("" sends none): for requests the typed methods do not make.
	 */
	raw(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult> {
		const headers: Record<string, string> = { [CONTROL_TOKEN_HEADER]: this.token, ...(options.headers ?? {}) };
		if (headers[CONTROL_TOKEN_HEADER] === '') delete headers[CONTROL_TOKEN_HEADER];
		return call(this.agent, this.baseUrl, method, `/_sandbox${path}`, body, { ...options, headers });
	}

	private async ask<T>(method: string, path: string, body?: unknown): Promise<T> {
		const result = await this.raw(method, path, body);
		if (result.status !== 200) throw new SandboxControlError(result.status, result.text, `${method} /_sandbox${path}`);
		return result.json as T;
	}

	health(): Promise<{ ok: boolean; now: number; uptimeMs: number; secretKey: string; signatureKey: string }> {
		return this.ask('GET', '/health');
	}

	/** Everything back to a fresh start; `config` is applied on top of the start options' config. */
	async reset(config?: Partial<SandboxConfig>): Promise<void> {
		await this.ask('POST', '/reset', config ? { config } : {});
	}

	config(): Promise<SandboxConfig> {
		return this.ask('GET', '/config');
	}

	setConfig(patch: Partial<SandboxConfig>): Promise<SandboxConfig> {
		return this.ask('PATCH', '/config', patch);
	}

	requests(filter: RequestFilter = {}): Promise<RequestLogPage> {
		return this.ask('GET', `/requests${queryString({ ...filter })}`);
	}

	stats(): Promise<SandboxStats> {
		return this.ask('GET', '/stats');
	}

	inbox(number: string): Promise<Inbox> {
		return this.ask('GET', `/inbox/${encodeURIComponent(number)}`);
	}

	/** The newest PIN the phone received (SMS, answered IVR call or missed call), or null. */
	async lastPin(number: string): Promise<string | null> {
		return (await this.inbox(number)).lastPin;
	}

	validation(id: string): Promise<ValidationView> {
		return this.ask('GET', `/validations/${encodeURIComponent(id)}`);
	}

	validations(number?: string): Promise<ValidationView[]> {
		return this.ask('GET', `/validations${queryString({ number })}`);
	}

	/** Verifies like the user's app would (default: the right PIN). Answer = what /v1/validation/verify would say. */
	verifyAsUser(id: string, pin?: string, useServerHangup = false): Promise<{ status: number; body: Record<string, unknown> }> {
		return this.ask('POST', `/validations/${encodeURIComponent(id)}/verify`, { pin, use_server_hangup: useServerHangup });
	}

	sms(id: string): Promise<MessageView> {
		return this.ask('GET', `/sms/${encodeURIComponent(id)}`);
	}

	smsTo(number?: string): Promise<MessageView[]> {
		return this.ask('GET', `/sms${queryString({ to: number })}`);
	}

	setSmsStatus(id: string, status: SmsStatus): Promise<MessageView & { final: boolean }> {
		return this.ask('POST', `/sms/${encodeURIComponent(id)}/status`, { status });
	}

	call(id: string): Promise<CallView> {
		return this.ask('GET', `/calls/${encodeURIComponent(id)}`);
	}

	callsTo(number?: string): Promise<CallView[]> {
		return this.ask('GET', `/calls${queryString({ to: number })}`);
	}

	answerCall(id: string): Promise<CallView> {
		return this.ask('POST', `/calls/${encodeURIComponent(id)}/answer`, {});
	}

	rejectCall(id: string, reason: 'rejected' | 'busy' = 'rejected'): Promise<CallView> {
		return this.ask('POST', `/calls/${encodeURIComponent(id)}/reject`, { reason });
	}

	/** The callee hangs up. */
	hangupCall(id: string): Promise<CallView> {
		return this.ask('POST', `/calls/${encodeURIComponent(id)}/hangup`, {});
	}

	/** Stops the automatic answer: the call rings until answered/rejected here or ring_timeout. */
	holdCall(id: string): Promise<CallView> {
		return this.ask('POST', `/calls/${encodeURIComponent(id)}/hold`, {});
	}

	/**
	 * Runs timed transitions now: all pending ones (default), or those due within `ms` after moving
	 * the clock forward by `ms`. `settle` also waits for the callbacks they sent.
	 */
	advance(options: { ms?: number; settle?: boolean; timeoutMs?: number } = {}): Promise<{ ran: number; now: number; pending: number; settled: boolean | null }> {
		return this.ask('POST', '/advance', options);
	}

	/** Waits until no callback is in flight (retries included). */
	async settle(timeoutMs = 10_000): Promise<boolean> {
		return (await this.ask<{ settled: boolean }>('POST', '/settle', { timeoutMs })).settled;
	}

	clock(): Promise<{ now: number; pending: Array<{ id: number; label: string; dueInMs: number }> }> {
		return this.ask('GET', '/clock');
	}

	async callbacks(filter: CallbackFilter = {}): Promise<CallbackView[]> {
		return (await this.ask<{ deliveries: CallbackView[] }>('GET', `/callbacks${queryString({ ...filter })}`)).deliveries;
	}

	callback(seq: number): Promise<CallbackView> {
		return this.ask('GET', `/callbacks/${seq}`);
	}

	/** Sends an arbitrary (forged, unsigned, re-signed...) callback and returns how it went. */
	sendCallback(options: ManualCallback): Promise<CallbackView> {
		return this.ask('POST', '/callbacks/send', options);
	}

	resendCallback(seq: number): Promise<CallbackView> {
		return this.ask('POST', `/callbacks/${seq}/resend`, {});
	}

	faults(): Promise<Fault[]> {
		return this.ask('GET', '/faults');
	}

	addFault(spec: FaultSpec): Promise<Fault> {
		return this.ask('POST', '/faults', spec);
	}

	addFaults(specs: FaultSpec[]): Promise<Fault[]> {
		return this.ask('POST', '/faults', specs);
	}

	async clearFaults(): Promise<void> {
		await this.ask('DELETE', '/faults');
	}

	async removeFault(id: number): Promise<void> {
		await this.ask('DELETE', `/faults/${id}`);
	}

	/**
	 * Posts number validation results in batches (`lookup_method: "verify"`) to a callback, as a
	 * bulk lookup does: the reference documents such callbacks but no request that starts them.
	 */
	bulkVerify(numbers: string[], notificationCallback: string): Promise<Record<string, unknown>> {
		return this.ask('POST', '/bulk/verify', { numbers, notification_callback: notificationCallback });
	}

	bulks(): Promise<Array<{ id: string; method: 'hlr' | 'mnp' | 'verify'; notificationCallback: string; createdAt: number; accepted: number; batches: number; batchesDone: number; error: unknown }>> {
		return this.ask('GET', '/bulk');
	}

	/** Closes the keep-alive sockets. */
	close(): void {
		this.agent.destroy();
	}
}

/** A bare caller of the sandbox's /v1 API with the secret key, for tests that speak the wire. */
export class SandboxApi {
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

	constructor(
		readonly baseUrl: string,
		readonly secretKey: string,
	) {}

	/**
	 * `path` is relative to /v1 ("/sms/send"). headers.Authorization overrides the key; set it to
	 * "" to send none.
	 */
	request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult> {
		const headers: Record<string, string> = { Authorization: this.secretKey, ...(options.headers ?? {}) };
		if (headers.Authorization === '') delete headers.Authorization;
		return call(this.agent, this.baseUrl, method, `/v1${path}`, body, { ...options, headers });
	}

	get(path: string, options?: RequestOptions): Promise<HttpResult> {
		return this.request('GET', path, undefined, options);
	}

	post(path: string, body: unknown, options?: RequestOptions): Promise<HttpResult> {
		return this.request('POST', path, body, options);
	}

	delete(path: string, options?: RequestOptions): Promise<HttpResult> {
		return this.request('DELETE', path, undefined, options);
	}

	close(): void {
		this.agent.destroy();
	}
}
