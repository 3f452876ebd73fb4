// The control API at /_sandbox/...: a loopback tool for tests, benchmarks and developers (no
// key). It reads and steers the simulated world: config, request log, inboxes, validations,
// messages, calls, the clock, callbacks and faults. README.md lists every endpoint;
// controlWorld.ts and controlObjects.ts hold them, this file routes a request to one.

import type { IncomingMessage, ServerResponse } from 'node:http';

import { objectRoutes } from './controlObjects';
import { ControlError, parseJson } from './controlRequest';
import { worldRoutes } from './controlWorld';
import type { ControlHandler } from './server';
import type { SandboxState } from './state';

const routes = [...worldRoutes, ...objectRoutes];

function reply(res: ServerResponse, status: number, value: unknown): void {
	const body = Buffer.from(JSON.stringify(value ?? null), 'utf8');
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
	res.end(body);
}

export function createControlHandler(state: SandboxState): ControlHandler {
	return async (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
		const method = (req.method ?? 'GET').toUpperCase() === 'PUT' ? 'PATCH' : (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.slice('/_sandbox'.length) || '/';
		let body: unknown = undefined;
		if (raw.length > 0) {
			body = parseJson(raw.toString('utf8'));
			if (body === undefined) return reply(res, 400, { error: 'body is not JSON' });
		}
		let pathMatched = false;
		for (const [m, pattern, handler] of routes) {
			const match = pattern.exec(path);
			if (!match) continue;
			pathMatched = true;
			if (m !== method && !(m === 'PATCH' && method === 'POST')) continue;
			try {
				const value = await handler({ state, params: match.slice(1), query: url.searchParams, body });
				return reply(res, 200, value);
			} catch (error) {
				if (error instanceof ControlError) return reply(res, error.status, { error: error.message });
				return reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
			}
		}
		return reply(res, pathMatched ? 405 : 404, { error: `no control endpoint ${method} ${url.pathname}` });
	};
}
