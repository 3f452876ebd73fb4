// What arrived at /v1: a bounded log of every request (ring buffer) and unbounded counters per
// endpoint, per error code and of the objects created, so that tests can prove e.g. that a create
// reached the API exactly once.

import type { IncomingHttpHeaders } from 'node:http';

import { Ring } from './ring';

export interface LoggedRequest {
	seq: number;
	/** Sandbox clock, ms. */
	time: number;
	method: string;
	/** Path without the query string, as received (not decoded). */
	path: string;
	query: Record<string, string | string[]>;
	/** As received, but `authorization` redacted (see `loggedHeaders`). */
	headers: IncomingHttpHeaders;
	/** The body as text; empty for a request without the secret key. */
	rawBody: string;
	/** The body's size in bytes (null when it was too large to read). */
	bodyBytes: number | null;
	/** Route pattern that handled it ("POST /v1/sms/send"), null when none matched. */
	endpoint: string | null;
	/** Status answered; null when no answer was sent (time-out or reset fault). */
	status: number | null;
	/** CheckMobi error code of the answer, if any. */
	errorCode: number | null;
	/** Fault type that hit it, with its phase ("reset:after"), or null. */
	fault: string | null;
	durationMs: number | null;
}

/** What the log shows for an Authorization header that is the secret key (the key itself is never kept). */
export const LOGGED_SECRET_KEY = '[secret key]';
export const LOGGED_SIGNATURE_KEY = '[signature key]';

/** Headers a request without the secret key keeps in the log (each at most 200 characters). */
const UNAUTHENTICATED_HEADERS = ['content-type', 'content-length', 'user-agent', 'authorization'];

/**
 * The headers as the log keeps them: `authorization` says what it was (the secret key, the signature
 * key, or something else of N characters), never the value; a request without the secret key keeps
 * only a few headers, shortened.
 */
export function loggedHeaders(
	headers: IncomingHttpHeaders,
	keys: { secretKey: string; signatureKey: string },
	authenticated: boolean,
): IncomingHttpHeaders {
	const kept: IncomingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (authenticated) kept[name] = value;
		else if (UNAUTHENTICATED_HEADERS.includes(name)) kept[name] = typeof value === 'string' ? value.slice(0, 200) : value;
	}
	const { authorization } = headers;
	if (authorization !== undefined) {
		kept.authorization =
			authorization === keys.secretKey
				? LOGGED_SECRET_KEY
				: authorization === keys.signatureKey
					? LOGGED_SIGNATURE_KEY
					: `[not the secret key: ${authorization.length} characters]`;
	}
	return kept;
}

export interface CreateCounters {
	validations: number;
	validationsByType: { sms: number; ivr: number; reverse_cli: number };
	sms: number;
	calls: number;
	bulkRequests: number;
	bulkNumbers: number;
	bulkAccepted: number;
	lookups: number;
}

function emptyCreates(): CreateCounters {
	return {
		validations: 0,
		validationsByType: { sms: 0, ivr: 0, reverse_cli: 0 },
		sms: 0,
		calls: 0,
		bulkRequests: 0,
		bulkNumbers: 0,
		bulkAccepted: 0,
		lookups: 0,
	};
}

export interface RequestFilter {
	method?: string;
	/** Exact path, or a pattern with * (one segment) and ** (anything); /v1 prefix optional. */
	path?: string;
	/** Only entries with seq greater than this. */
	since?: number;
	/** Only entries at or after this sandbox time (ms). */
	sinceTime?: number;
	endpoint?: string;
	status?: number;
	limit?: number;
}

function pathMatcher(pattern: string): (path: string) => boolean {
	let p = pattern.startsWith('/') ? pattern : `/${pattern}`;
	if (!p.startsWith('/v1/') && p !== '/v1') p = `/v1${p}`;
	if (!p.includes('*'))
		return (path) => {
			if (path === p) return true;
			try {
				return decodeURIComponent(path) === p;
			} catch {
				return false;
			}
		};
	const source = p
		.split(/(\*\*|\*)/)
		.map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
		.join('');
	const re = new RegExp(`^${source}$`);
	return (path) => re.test(path);
}

export class RequestLog {
	private readonly ring: Ring<LoggedRequest>;
	private seq = 0;
	requests = 0;
	byEndpoint = new Map<string, { count: number; statuses: Record<string, number> }>();
	errorCodes: Record<string, number> = {};
	creates: CreateCounters = emptyCreates();

	constructor(capacity: number) {
		this.ring = new Ring(capacity);
	}

	nextSeq(): number {
		return ++this.seq;
	}

	/** Adds an entry when the request arrives; its status is filled in by finish(). */
	add(entry: LoggedRequest): void {
		this.requests++;
		this.ring.push(entry);
	}

	finish(entry: LoggedRequest, status: number | null, errorCode: number | null, fault: string | null, durationMs: number): void {
		entry.status = status;
		entry.errorCode = errorCode;
		entry.fault = fault;
		entry.durationMs = durationMs;
		const key = entry.endpoint ?? `${entry.method} (no route)`;
		let counter = this.byEndpoint.get(key);
		if (!counter) {
			counter = { count: 0, statuses: {} };
			this.byEndpoint.set(key, counter);
		}
		counter.count++;
		const statusKey = status === null ? 'none' : String(status);
		counter.statuses[statusKey] = (counter.statuses[statusKey] ?? 0) + 1;
		if (errorCode !== null) this.errorCodes[errorCode] = (this.errorCodes[errorCode] ?? 0) + 1;
	}

	query(filter: RequestFilter = {}): LoggedRequest[] {
		const matchPath = filter.path ? pathMatcher(filter.path) : null;
		const method = filter.method?.toUpperCase();
		const out = this.ring.toArray().filter(
			(e) =>
				(method === undefined || e.method === method) &&
				(matchPath === null || matchPath(e.path)) &&
				(filter.since === undefined || e.seq > filter.since) &&
				(filter.sinceTime === undefined || e.time >= filter.sinceTime) &&
				(filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
				(filter.status === undefined || e.status === filter.status),
		);
		return filter.limit !== undefined && filter.limit >= 0 ? out.slice(-filter.limit) : out;
	}

	get lastSeq(): number {
		return this.seq;
	}

	get retained(): number {
		return this.ring.length;
	}

	get dropped(): number {
		return this.ring.dropped;
	}

	resize(capacity: number): void {
		this.ring.resize(capacity);
	}

	reset(capacity: number): void {
		this.ring.clear(capacity);
		this.seq = 0;
		this.requests = 0;
		this.byEndpoint = new Map();
		this.errorCodes = {};
		this.creates = emptyCreates();
	}
}
