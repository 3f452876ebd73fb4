// The HTTP call under both sandbox clients (client.ts, apiClient.ts): node:http on a keep-alive
// agent, JSON in and out, a timeout.

import http from 'node:http';

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

export function sandboxRequest(agent: http.Agent, baseUrl: string, method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<HttpResult> {
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
