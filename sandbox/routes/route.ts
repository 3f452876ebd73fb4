// The shape of one /v1 endpoint: its method, path pattern, the operation name used by
// disabledOperations (error 11), and a handler that answers from the sandbox state.

import type { IncomingHttpHeaders } from 'node:http';

import type { SandboxState } from '../state';

export interface RouteContext {
	state: SandboxState;
	/** Path parameters, URI-decoded. */
	params: Record<string, string>;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body (POST only). */
	body: unknown;
	/** http://host:port of this sandbox as the client addressed it. */
	baseUrl: string;
}

export interface RouteResult {
	status: number;
	body?: unknown;
}

export interface Route {
	method: 'GET' | 'POST' | 'DELETE';
	/** "/v1/sms/{id}" */
	pattern: string;
	/** Name for disabledOperations; null = cannot be disabled. */
	operation: string | null;
	/** Answers without the secret key (GET /countries). */
	public?: boolean;
	handle(ctx: RouteContext): RouteResult;
}
