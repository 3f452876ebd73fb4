// A small typed client of the sandbox's control API (SandboxControl), on node:http with keep-alive,
// for tests, benchmarks and the end-to-end suite. The bare /v1 caller (SandboxApi), the answers'
// types and the HTTP call live beside it and are exported from here too.

import http from 'node:http';

import type { ManualCallback } from './callbacks';
import { type HttpResult, type RequestOptions, sandboxRequest } from './clientHttp';
import type { SandboxConfig } from './config';
import { CONTROL_TOKEN_HEADER } from './controlAccess';
import type {
	AdvanceView,
	BulkView,
	CallbackFilter,
	CallbackLog,
	CallbackView,
	CallView,
	ClockView,
	HealthView,
	Inbox,
	MessageView,
	RequestLogPage,
	SandboxStats,
	SettleView,
	SmsStatus,
	ValidationView,
} from './controlViews';
import type { Fault, FaultSpec } from './faults';
import type { RequestFilter } from './requestLog';

export { SandboxApi } from './apiClient';
export type { HttpResult, RequestOptions } from './clientHttp';
export type * from './controlViews';

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
		return sandboxRequest(this.agent, this.baseUrl, method, `/_sandbox${path}`, body, { ...options, headers });
	}

	private async ask<T>(method: string, path: string, body?: unknown): Promise<T> {
		const result = await this.raw(method, path, body);
		if (result.status !== 200) throw new SandboxControlError(result.status, result.text, `${method} /_sandbox${path}`);
		return result.json as T;
	}

	health(): Promise<HealthView> {
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
	advance(options: { ms?: number; settle?: boolean; timeoutMs?: number } = {}): Promise<AdvanceView> {
		return this.ask('POST', '/advance', options);
	}

	/** Waits until no callback is in flight (retries included). */
	async settle(timeoutMs = 10_000): Promise<boolean> {
		return (await this.ask<SettleView>('POST', '/settle', { timeoutMs })).settled;
	}

	clock(): Promise<ClockView> {
		return this.ask('GET', '/clock');
	}

	async callbacks(filter: CallbackFilter = {}): Promise<CallbackView[]> {
		return (await this.ask<CallbackLog>('GET', `/callbacks${queryString({ ...filter })}`)).deliveries;
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

	bulks(): Promise<BulkView[]> {
		return this.ask('GET', '/bulk');
	}

	/** Closes the keep-alive sockets. */
	close(): void {
		this.agent.destroy();
	}
}
