// A bare caller of the sandbox's /v1 API with the secret key, for tests that speak the wire.

import http from 'node:http';

import { type HttpResult, type RequestOptions, sandboxRequest } from './clientHttp';

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
		return sandboxRequest(this.agent, this.baseUrl, method, `/v1${path}`, body, { ...options, headers });
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
