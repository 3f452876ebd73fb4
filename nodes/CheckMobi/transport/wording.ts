/**
 * The words of the transport: reading an answer's text (JSON, CheckMobi's error shape) and saying
 * what went wrong (the items, a duration, a network code, a body), with the keys taken out.
 */

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	if (text === '') return { ok: false };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

export function asCheckMobiError(value: unknown, exactShape = false): { code: number; error: string } | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	if (exactShape && Object.keys(value).sort().join() !== 'code,error') return undefined;
	const { code, error } = value as { code?: unknown; error?: unknown };
	const numericCode = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : code;
	if (typeof numericCode !== 'number') return undefined;
	return { code: numericCode, error: typeof error === 'string' ? error : '' };
}

export function describeNonJson(text: string, contentType: string): string {
	if (contentType.includes('html') || /^<(!doctype|html|head|body)/i.test(text)) return 'a web page';
	return 'a garbled answer';
}

export function describeBody(text: string, contentType: string): string {
	if (text === '') return '';
	if (contentType.includes('html') || text.startsWith('<')) return ': a web page instead of JSON';
	const parsed = parseJson(text);
	const saying = parsed.ok ? (parsed.value as { error?: unknown; message?: unknown } | null) : null;
	const words = typeof saying?.error === 'string' ? saying.error : typeof saying?.message === 'string' ? saying.message : text;
	return `: ${words.slice(0, 120)}`;
}

const labelled = new WeakSet<Error>();

/**
 * The error labelled with the input items it is about: its message ends with their
 * `describeItems` label and n8n's context points at the first. An error is labelled once (by the
 * first, closest caller), so one that passes through again is unchanged. The router applies it;
 * the transport knows nothing of items.
 */
export function labelItems<E extends Error & { context?: Record<string, unknown> }>(error: E, items: number[]): E {
	if (labelled.has(error)) return error;
	labelled.add(error);
	error.message += describeItems(items);
	if (error.context && error.context.itemIndex === undefined && items.length > 0) error.context.itemIndex = items[0];
	return error;
}

/** " [item 3]", " [items 0, 2, 5–9]", " [items 0–999, 1500–2499 (2000 in all)]" or "" for none. */
export function describeItems(items: number[]): string {
	const sorted = [...new Set(items)].sort((a, b) => a - b);
	if (sorted.length === 0) return '';
	if (sorted.length === 1) return ` [item ${sorted[0]}]`;
	const ranges: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		ranges.push(end === start ? `${sorted[start]}` : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	const shown = ranges.length > 4 ? `${ranges.slice(0, 4).join(', ')}, … (${sorted.length} in all)` : ranges.join(', ');
	return ` [items ${shown}]`;
}

export function describeDuration(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export function describeCode(code: string | undefined): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host name not found';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'ECONNRESET':
			return 'connection reset';
		case undefined:
			return 'network error';
		default:
			return code.toLowerCase();
	}
}

/** The Node.js/axios error code of a failed request, however deeply n8n wrapped it. */
export function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		if (typeof message === 'string') {
			if (/socket hang up/i.test(message)) return 'ECONNRESET';
			if (/timeout of \d+ms exceeded/i.test(message)) return 'ECONNABORTED';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('[redacted]');
	return result;
}
