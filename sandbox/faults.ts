// Injected faults on /v1 requests: latency, error statuses, time-outs, connection resets, broken
// bodies. A fault applies "before" (the request is not processed) or "after" (the API did the
// work, then the answer failed), to the next N matching requests or with a probability.

export type FaultType = 'latency' | 'status' | 'timeout' | 'reset' | 'malformed' | 'html' | 'empty';
export const FAULT_TYPES: readonly FaultType[] = ['latency', 'status', 'timeout', 'reset', 'malformed', 'html', 'empty'];

export interface FaultSpec {
	type: FaultType;
	/** HTTP method, or "*" (default). */
	method?: string;
	/**
	 * Path pattern, with or without the /v1 prefix: "/sms/send", "/sms/{id}", "/lookup/*"
	 * ({id} and * match one path segment, ** any rest). Default "**" (every path).
	 */
	path?: string;
	/** before (default): the request is not processed; after: it is, then the answer fails. */
	when?: 'before' | 'after';
	/** Apply to the next `count` matching requests, then retire. */
	count?: number;
	/** Probability 0..1 per matching request (deterministic sequence from `seed`). */
	rate?: number;
	seed?: number;
	/** latency: delay in ms. */
	latencyMs?: number;
	/** status: the HTTP status (default 500); html: default 502. */
	status?: number;
	/** status/html: body to send instead of the default one. */
	body?: string;
	headers?: Record<string, string>;
}

export interface Fault extends Required<Pick<FaultSpec, 'type' | 'method' | 'path' | 'when'>> {
	id: number;
	count: number | null;
	rate: number | null;
	latencyMs: number;
	status: number;
	body: string | null;
	headers: Record<string, string>;
	/** How many requests it has hit. */
	applied: number;
	/** Matching requests that the rate let through. */
	skipped: number;
	/** False once `count` is used up. */
	active: boolean;
}

interface Entry {
	fault: Fault;
	pattern: RegExp;
	random: () => number;
}

function compilePath(path: string): RegExp {
	let p = path.trim() || '**';
	if (p !== '**' && !p.startsWith('/')) p = `/${p}`;
	if (p !== '**' && !p.startsWith('/v1/') && p !== '/v1') p = `/v1${p}`;
	const source = p
		.split(/(\*\*|\*|\{[^}]*\})/)
		.map((part) => {
			if (part === '**') return '.*';
			if (part === '*' || /^\{[^}]*\}$/.test(part)) return '[^/]+';
			return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('');
	return new RegExp(`^${source}/?$`);
}

/** mulberry32: a seeded generator so that rate-based faults repeat identically. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class FaultError extends Error {}

export class Faults {
	private entries: Entry[] = [];
	private nextId = 1;

	add(spec: FaultSpec): Fault {
		if (!spec || typeof spec !== 'object') throw new FaultError('fault must be an object');
		if (!FAULT_TYPES.includes(spec.type)) throw new FaultError(`type must be one of ${FAULT_TYPES.join(', ')}`);
		const when = spec.when ?? 'before';
		if (when !== 'before' && when !== 'after') throw new FaultError('when must be "before" or "after"');
		if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1)) throw new FaultError('count must be an integer >= 1');
		if (spec.rate !== undefined && (typeof spec.rate !== 'number' || spec.rate < 0 || spec.rate > 1)) throw new FaultError('rate must be 0..1');
		if (spec.type === 'latency' && (typeof spec.latencyMs !== 'number' || spec.latencyMs < 0)) throw new FaultError('latency needs latencyMs >= 0');
		if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) throw new FaultError('status must be an HTTP status');
		const id = this.nextId++;
		const fault: Fault = {
			id,
			type: spec.type,
			method: (spec.method ?? '*').toUpperCase(),
			path: spec.path ?? '**',
			when,
			count: spec.count ?? null,
			rate: spec.rate ?? null,
			latencyMs: spec.latencyMs ?? 0,
			status: spec.status ?? (spec.type === 'html' ? 502 : spec.type === 'status' ? 500 : 200),
			body: spec.body ?? null,
			headers: spec.headers ?? {},
			applied: 0,
			skipped: 0,
			active: true,
		};
		this.entries.push({ fault, pattern: compilePath(fault.path), random: seeded(spec.seed ?? id * 7919) });
		return fault;
	}

	list(): Fault[] {
		return this.entries.map((e) => e.fault);
	}

	remove(id: number): boolean {
		const before = this.entries.length;
		this.entries = this.entries.filter((e) => e.fault.id !== id);
		return this.entries.length < before;
	}

	clear(): void {
		this.entries = [];
	}

	reset(): void {
		this.entries = [];
		this.nextId = 1;
	}

	get size(): number {
		return this.entries.length;
	}

	get anyActive(): boolean {
		return this.entries.some((e) => e.fault.active);
	}

	/**
	 * The faults that hit this request in this phase: the summed latency and the first terminal
	 * fault (anything but latency). Consumes counts and draws the rates.
	 */
	select(method: string, path: string, when: 'before' | 'after'): { latencyMs: number; terminal: Fault | null } {
		let latencyMs = 0;
		let terminal: Fault | null = null;
		if (this.entries.length === 0) return { latencyMs, terminal };
		for (const entry of this.entries) {
			const { fault } = entry;
			if (!fault.active || fault.when !== when) continue;
			if (fault.method !== '*' && fault.method !== method) continue;
			if (!entry.pattern.test(path)) continue;
			if (fault.type !== 'latency' && terminal) continue;
			if (fault.rate !== null && entry.random() >= fault.rate) {
				fault.skipped++;
				continue;
			}
			fault.applied++;
			if (fault.count !== null && --fault.count <= 0) fault.active = false;
			if (fault.type === 'latency') latencyMs += fault.latencyMs;
			else terminal = fault;
		}
		return { latencyMs, terminal };
	}
}
