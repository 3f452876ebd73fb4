// The HTTP side: reads each request, records /v1 requests, applies faults, authenticates, routes
// to the endpoint handlers and writes the answer. /_sandbox/* goes to the control API, /flags/* to
// the flag images that /countries links to.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { controlRefusal } from './controlAccess';
import type { Fault } from './faults';
import { ApiError } from './http';
import { type LoggedRequest, loggedHeaders } from './requestLog';
import { accountRoutes } from './routes/account';
import { callRoutes } from './routes/calls';
import { countryRoutes } from './routes/countries';
import { lookupRoutes } from './routes/lookup';
import type { Route, RouteResult } from './routes/route';
import { smsRoutes } from './routes/sms';
import { validationRoutes } from './routes/validation';
import { checkEnabled } from './rules';
import type { SandboxState } from './state';

const ROUTES: Route[] = [...accountRoutes, ...countryRoutes, ...validationRoutes, ...smsRoutes, ...callRoutes, ...lookupRoutes];

interface CompiledRoute {
	route: Route;
	segments: string[];
	endpoint: string;
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => ({
	route,
	segments: route.pattern.split('/').slice(1),
	endpoint: `${route.method} ${route.pattern}`,
}));

/** Finds the route for a path; `methodMismatch` when only the method differs. */
function matchRoute(method: string, path: string): { compiled: CompiledRoute; params: Record<string, string> } | 'methodMismatch' | null {
	const parts = path.split('/').slice(1);
	if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
	let mismatch = false;
	for (const compiled of COMPILED) {
		if (compiled.segments.length !== parts.length) continue;
		const params: Record<string, string> = {};
		let ok = true;
		for (let i = 0; i < parts.length; i++) {
			const seg = compiled.segments[i];
			if (seg.startsWith('{')) {
				if (parts[i] === '') {
					ok = false;
					break;
				}
				try {
					params[seg.slice(1, -1)] = decodeURIComponent(parts[i]);
				} catch {
					params[seg.slice(1, -1)] = parts[i];
				}
			} else if (seg !== parts[i]) {
				ok = false;
				break;
			}
		}
		if (!ok) continue;
		if (compiled.route.method !== method) {
			mismatch = true;
			continue;
		}
		return { compiled, params };
	}
	return mismatch ? 'methodMismatch' : null;
}

const MAX_BODY = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
		req.on('error', () => resolve(null));
	});
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Answer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
	if (status === 204) return { status, headers, body: '' };
	return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A status with no body: the reference gives error codes only with 400, 401 and 403. */
function bodilessAnswer(status: number, detail: string): Answer {
	return { status, headers: { 'X-Sandbox-Detail': detail }, body: '' };
}

function errorAnswer(error: ApiError): Answer {
	return jsonAnswer(error.status, error.body(), error.detail ? { 'X-Sandbox-Detail': error.detail.replace(/[^\x20-\x7e]/g, '?') } : {});
}

function send(res: ServerResponse, answer: Answer): void {
	const payload = Buffer.from(answer.body, 'utf8');
	res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(payload.length) });
	res.end(payload);
}

/** What a terminal fault puts on the wire; null = nothing at all (time-out, reset). */
function faultAnswer(fault: Fault, real: Answer | null): Answer | null {
	switch (fault.type) {
		case 'status':
			return fault.body === null
				? { status: fault.status, headers: { ...fault.headers }, body: '' }
				: { status: fault.status, headers: { 'Content-Type': 'application/json', ...fault.headers }, body: fault.body };
		case 'html':
			return {
				status: fault.status,
				headers: { 'Content-Type': 'text/html; charset=utf-8', ...fault.headers },
				body:
					fault.body ??
					`<html>\r\n<head><title>${fault.status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${fault.status} Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n`,
			};
		case 'malformed': {
			const full = real && real.body.length > 2 ? real.body : '{"id":"MSG-00000000-0000-0000-0000-000000000000","number_info":{}}';
			return { status: 200, headers: { 'Content-Type': 'application/json', ...fault.headers }, body: full.slice(0, Math.max(1, Math.floor(full.length / 2))) };
		}
		case 'empty':
			return { status: 200, headers: { 'Content-Type': 'application/json', ...fault.headers }, body: '' };
		default:
			return null;
	}
}

export interface ServerHandle {
	server: http.Server;
	/** Destroys held (time-out fault) and open connections. */
	closeAll(): void;
}

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => Promise<void>;

/** An unauthenticated request keeps at most this much of its path in the log. */
const UNAUTHENTICATED_PATH_CHARS = 200;

export function createServer(state: SandboxState, control: ControlHandler, controlToken: string): ServerHandle {
	const held = new Set<Socket>();

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer | null): Promise<void> {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const query: Record<string, string | string[]> = {};
		for (const key of url.searchParams.keys()) {
			const all = url.searchParams.getAll(key);
			query[key] = all.length === 1 ? all[0] : all;
		}
		const match = matchRoute(method, path);
		// A request without the secret key may come from anyone: it leaves no body and little else.
		const authenticated = req.headers.authorization === state.keys.secretKey;
		const entry: LoggedRequest = {
			seq: state.log.nextSeq(),
			time: state.now(),
			method,
			path: authenticated ? path : path.slice(0, UNAUTHENTICATED_PATH_CHARS),
			query: authenticated ? query : {},
			headers: loggedHeaders(req.headers, state.keys, authenticated),
			rawBody: raw && authenticated ? raw.toString('utf8') : '',
			bodyBytes: raw ? raw.length : null,
			endpoint: match && match !== 'methodMismatch' ? match.compiled.endpoint : null,
			status: null,
			errorCode: null,
			fault: null,
			durationMs: null,
		};
		state.log.add(entry);
		const finish = (answer: Answer | null, faultLabel: string | null) => {
			let errorCode: number | null = null;
			if (answer && answer.status >= 400 && faultLabel === null) {
				const m = /^\{"code":(\d+),/.exec(answer.body);
				if (m) errorCode = Number(m[1]);
			}
			state.log.finish(entry, answer ? answer.status : null, errorCode, faultLabel, Date.now() - started);
		};

		const before = state.faults.anyActive ? state.faults.select(method, path, 'before') : { latencyMs: 0, terminal: null };
		const latency = state.config.latencyMs + before.latencyMs;
		if (latency > 0) await sleep(latency);
		if (before.terminal) {
			applyFault(res, before.terminal, null, finish);
			return;
		}

		const answer = process(req, url, raw, match);
		const after = state.faults.anyActive ? state.faults.select(method, path, 'after') : { latencyMs: 0, terminal: null };
		if (after.latencyMs > 0) await sleep(after.latencyMs);
		if (after.terminal) {
			applyFault(res, after.terminal, answer, finish);
			return;
		}
		send(res, answer);
		finish(answer, null);
	}

	function applyFault(res: ServerResponse, fault: Fault, real: Answer | null, finish: (a: Answer | null, f: string | null) => void): void {
		const label = `${fault.type}:${fault.when}`;
		if (fault.type === 'timeout') {
			// Never answer; the socket stays open until the client gives up or the sandbox closes.
			const socket = res.socket;
			if (socket) {
				held.add(socket);
				socket.once('close', () => held.delete(socket));
			}
			finish(null, label);
			return;
		}
		if (fault.type === 'reset') {
			res.socket?.destroy();
			finish(null, label);
			return;
		}
		const answer = faultAnswer(fault, real) as Answer;
		// Says the answer is injected, not the API's (tests that check answers against the reference skip it).
		answer.headers['X-Sandbox-Fault'] = label;
		send(res, answer);
		finish(answer, label);
	}

	function process(req: IncomingMessage, url: URL, raw: Buffer | null, match: ReturnType<typeof matchRoute>): Answer {
		const method = (req.method ?? 'GET').toUpperCase();
		try {
			const isPublic = match !== null && match !== 'methodMismatch' && match.compiled.route.public === true;
			if (!isPublic && req.headers.authorization !== state.keys.secretKey) throw new ApiError(1, 'Authorization header missing or not the secret key');
			if (match === null) return bodilessAnswer(404, `no endpoint ${method} ${url.pathname}`);
			if (match === 'methodMismatch') return bodilessAnswer(404, `${method} not allowed on ${url.pathname}`);
			const { route } = match.compiled;
			if (route.operation !== null) checkEnabled(state, route.operation);
			let body: unknown = undefined;
			if (method === 'POST') {
				const type = String(req.headers['content-type'] ?? '').toLowerCase();
				if (!type.startsWith('application/json')) throw new ApiError(7, 'POST needs Content-Type: application/json');
				if (raw === null) throw new ApiError(7, 'body too large');
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch {
					throw new ApiError(7, 'body is not JSON');
				}
			}
			const host = req.headers.host ?? 'localhost';
			const result: RouteResult = route.handle({
				state,
				params: match.params,
				query: url.searchParams,
				headers: req.headers,
				body,
				baseUrl: `http://${host}`,
			});
			return jsonAnswer(result.status, result.body);
		} catch (error) {
			if (error instanceof ApiError) return errorAnswer(error);
			const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
			if (state.internalErrors.length < 100) state.internalErrors.push({ at: state.now(), label: `${method} ${url.pathname}`, message });
			return bodilessAnswer(500, 'sandbox bug, see /_sandbox/stats internalErrors');
		}
	}

	const server = http.createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://sandbox');
			const isControl = url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/');
			const refusal = isControl ? controlRefusal(req, controlToken) : null;
			if (refusal) {
				// Answered before the body is read; the connection closes rather than reading it.
				res.shouldKeepAlive = false;
				send(res, jsonAnswer(refusal.status, { error: refusal.error }));
				req.resume();
				return;
			}
			const raw = await readBody(req);
			try {
				if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) await handleApi(req, res, url, raw);
				else if (isControl) await control(req, res, url, raw ?? Buffer.alloc(0));
				else if (/^\/flags\/(32|128)\/[a-z]{2}\.png$/.test(url.pathname) && req.method === 'GET') {
					res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(FLAG_PNG.length) });
					res.end(FLAG_PNG);
				} else send(res, bodilessAnswer(404, 'the API lives under /v1, the control API under /_sandbox'));
			} catch (error) {
				if (!res.headersSent) send(res, jsonAnswer(500, { error: error instanceof Error ? error.message : String(error) }));
				else res.destroy();
			}
		})();
	});
	server.keepAliveTimeout = 65_000;

	return {
		server,
		closeAll() {
			for (const socket of held) socket.destroy();
			held.clear();
			server.closeAllConnections();
		},
	};
}

/** A 1×1 transparent PNG standing in for every flag image. */
const FLAG_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);
