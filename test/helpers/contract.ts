/**
 * Checks against the contract (contract/checkmobi.ts, CheckMobi's reference as data): an answer
 * of the sandbox, a callback it sent, a request the node made. Each returns the problems found,
 * every one naming where it is; the `assert…` forms throw them.
 */
import { CONTRACT } from '../../contract/checkmobi';
import type { Callback, Endpoint, Field, Fields } from '../../contract/types';

type Mode = 'answer' | 'request';

function typeProblem(field: Field, value: unknown): string | undefined {
	const seen = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
	switch (field.type) {
		case 'string':
		case 'boolean':
			return typeof value === field.type ? undefined : `is ${seen}, not ${field.type}`;
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value) ? undefined : `is ${JSON.stringify(value)}, not an integer`;
		case 'float':
			return typeof value === 'number' && Number.isFinite(value) ? undefined : `is ${seen}, not a number`;
		case 'object':
			return seen === 'object' ? undefined : `is ${seen}, not an object`;
		case 'array':
			return seen === 'array' ? undefined : `is ${seen}, not an array`;
	}
}

/** Problems of one value against its field (the reference's shape, or a documented choice). */
export function checkValue(field: Field, value: unknown, at: string, mode: Mode): string[] {
	const problems = checkShape(field, value, at, mode);
	if (problems.length === 0 || !field.choice?.field) return problems;
	const asChosen = checkShape({ ...field.choice.field, optional: field.optional, required: field.required }, value, at, mode);
	return asChosen.length === 0 ? [] : problems;
}

function checkShape(field: Field, value: unknown, at: string, mode: Mode): string[] {
	if (value === null) return field.nullable ? [] : [`${at} is null`];
	const wrongType = typeProblem(field, value);
	if (wrongType) return [`${at} ${wrongType}`];
	if (field.values && !field.values.includes(value as string | number)) {
		return [`${at} is ${JSON.stringify(value)}, not one of ${field.values.map((v) => JSON.stringify(v)).join(', ')}`];
	}
	if (typeof value === 'number' && ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max))) {
		return [`${at} is ${value}, outside ${field.min ?? '…'}–${field.max ?? '…'}`];
	}
	if (Array.isArray(value) && field.items) {
		const items = field.items;
		return value.flatMap((item, index) => checkValue(items, item, `${at}[${index}]`, mode));
	}
	if (field.type === 'object') {
		const object = value as Record<string, unknown>;
		if (field.variants) {
			const key = object[field.variants.by];
			const shape = typeof key === 'string' ? field.variants.shapes[key] : undefined;
			if (!shape) return [`${at}.${field.variants.by} is ${JSON.stringify(key)}, not one of ${Object.keys(field.variants.shapes).join(', ')}`];
			return checkFields(shape, object, at, mode);
		}
		if (field.fields) return checkFields(field.fields, object, at, mode);
	}
	return [];
}

/** An object against its fields: none unknown, none missing, each of its shape. */
export function checkFields(fields: Fields, object: Record<string, unknown>, at: string, mode: Mode): string[] {
	const problems: string[] = [];
	for (const key of Object.keys(object)) {
		if (!(key in fields)) problems.push(`${at}.${key} is not in the contract`);
	}
	for (const [key, field] of Object.entries(fields)) {
		if (!(key in object) || object[key] === undefined) {
			const missing = mode === 'request' ? field.required === true : field.optional !== true;
			if (missing) problems.push(`${at}.${key} is missing`);
			continue;
		}
		problems.push(...checkValue(field, object[key], `${at}.${key}`, mode));
	}
	return problems;
}

function matches(pattern: string, path: string): Record<string, string> | undefined {
	const want = pattern.split('/');
	const got = path.split('/');
	if (want.length !== got.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < want.length; i++) {
		if (want[i].startsWith('{')) {
			if (got[i] === '') return undefined;
			params[want[i].slice(1, -1)] = decodeURIComponent(got[i]);
		} else if (want[i] !== got[i]) return undefined;
	}
	return params;
}

/** The contract's endpoint of a request (path under /v1 or with it; a query is ignored). */
export function findEndpoint(method: string, path: string): { endpoint: Endpoint; params: Record<string, string> } | undefined {
	const bare = path.split('?')[0].replace(/^\/v1(?=\/)/, '').replace(/(.)\/$/, '$1');
	for (const endpoint of CONTRACT.endpoints) {
		if (endpoint.method !== method.toUpperCase()) continue;
		const params = matches(endpoint.path, bare);
		if (params) return { endpoint, params };
	}
	return undefined;
}

export interface Answer {
	status: number;
	text: string;
	json: unknown;
	headers: Record<string, string | string[] | undefined>;
}

/** An error answer: exactly {code, error}, a code that concerns the endpoint, the reference's text, its status. */
function checkError(answer: Answer, codes: number[], where: string): string[] {
	const body = answer.json as Record<string, unknown> | undefined;
	if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).sort().join() !== 'code,error') {
		return [`${where}: HTTP ${answer.status} with ${JSON.stringify(answer.text.slice(0, 80))}, not {"code", "error"}`];
	}
	const code = body.code as number;
	if (!codes.includes(code)) return [`${where}: error code ${JSON.stringify(code)} is not one the contract gives for it (${codes.join(', ')})`];
	const problems: string[] = [];
	const { message } = CONTRACT.errors[code];
	if (body.error !== message) problems.push(`${where}: error ${code} says ${JSON.stringify(body.error)}, the reference ${JSON.stringify(message)}`);
	const statuses = (CONTRACT.errorStatuses[code] ?? [{ status: 400 }]).map((s) => s.status);
	if (!statuses.includes(answer.status)) problems.push(`${where}: error ${code} comes with HTTP ${answer.status}, not ${statuses.join(' or ')}`);
	return problems;
}

/**
 * Problems of one sandbox answer. Answers marked as injected faults (X-Sandbox-Fault) are not
 * CheckMobi's and are skipped.
 */
export function checkAnswer(method: string, path: string, answer: Answer): string[] {
	if (answer.headers['x-sandbox-fault'] !== undefined) return [];
	const where = `${method.toUpperCase()} ${path}`;
	const found = findEndpoint(method, path);
	if (!found) {
		const lookup = CONTRACT.invalidLookupMethod;
		const bare = path.split('?')[0].replace(/^\/v1(?=\/)/, '');
		const isLookup = lookup.paths.some((p) => p.method === method.toUpperCase() && matches(p.path, bare));
		if (answer.status === 404 && answer.text === '') return [];
		return checkError(answer, isLookup ? [1, 11, lookup.code] : [1], `${where} (no such endpoint)`);
	}
	const { endpoint } = found;
	if (answer.status >= 400) {
		if (answer.status === 404 && answer.text === '') return [];
		return checkError(answer, [...CONTRACT.anyEndpointErrors, ...endpoint.errors], endpoint.name);
	}
	if (answer.status !== endpoint.response.status) return [`${endpoint.name}: HTTP ${answer.status}, the contract says ${endpoint.response.status}`];
	if (endpoint.response.status === 204) return answer.text === '' ? [] : [`${endpoint.name}: a 204 with a body`];
	if (answer.json === undefined) return [`${endpoint.name}: the answer is not JSON: ${JSON.stringify(answer.text.slice(0, 80))}`];
	return checkValue(endpoint.response.body, answer.json, endpoint.name, 'answer');
}

/** Problems of one callback body the sandbox sent, by the kind it logged. */
export function checkCallback(kind: Callback['kind'], body: unknown): string[] {
	const candidates = CONTRACT.callbacks.filter((callback) => callback.kind === kind);
	const object = body as Record<string, unknown>;
	const callback = candidates.find((c) => !c.when || (object && object[c.when.field] === c.when.value));
	if (!callback) return [`a ${kind} callback of no known shape: ${JSON.stringify(body).slice(0, 120)}`];
	if (!object || typeof object !== 'object' || Array.isArray(object)) return [`a ${kind} callback that is not an object`];
	return checkFields(callback.body, object, `${kind} callback`, 'answer');
}

/** Problems of a request's JSON body against the endpoint's parameters. */
export function checkRequestBody(endpoint: Endpoint, body: unknown): string[] {
	if (!endpoint.params) return body === undefined || body === null ? [] : [`${endpoint.name}: a body, where the reference has none`];
	if (!body || typeof body !== 'object' || Array.isArray(body)) return [`${endpoint.name}: the body is not a JSON object`];
	return checkFields(endpoint.params, body as Record<string, unknown>, `${endpoint.name} body`, 'request');
}

export function assertNoProblems(problems: string[], what: string): void {
	if (problems.length > 0) throw new Error(`${what} breaks the CheckMobi contract (contract/checkmobi.ts):\n- ${problems.join('\n- ')}`);
}
