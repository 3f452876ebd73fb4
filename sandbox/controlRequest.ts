// What every control endpoint shares: its handler's shape, its errors (400, 404, 409) and the
// checks of a request's body and query.

import type { SandboxState } from './state';

export class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export const bad = (message: string) => new ControlError(400, message);
export const missing = (message: string) => new ControlError(404, message);

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function requireBody(body: unknown): Record<string, unknown> {
	if (body === undefined) return {};
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('body must be a JSON object');
	return body as Record<string, unknown>;
}

export function num(value: string | null, name: string): number | undefined {
	if (value === null || value === '') return undefined;
	const n = Number(value);
	if (!Number.isFinite(n)) throw bad(`${name} must be a number`);
	return n;
}

type Handler = (args: { state: SandboxState; params: string[]; query: URLSearchParams; body: unknown }) => unknown | Promise<unknown>;

/** One control endpoint: its method, its path under /_sandbox, and what it does. */
export type ControlRoute = [method: string, pattern: RegExp, handler: Handler];
