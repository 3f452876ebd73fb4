/**
 * Reading an HTTP answer from CheckMobi within a deadline and a size limit, and recognising a
 * redirect. n8n's request helpers take a time-out
 * that restarts with every byte (a server sending one byte a second never times out) and read
 * answers of any size; here the whole answer must arrive before the deadline, and no bigger than
 * `MAX_ANSWER_BYTES`.
 */

/** CheckMobi's biggest answer (the country list) is about 50 KB. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The answer was bigger than the limit: not read further. */
export class AnswerTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`answer larger than ${limit} bytes`);
		this.name = 'AnswerTooLargeError';
	}
}

/** The deadline or a cancellation ended the wait. */
export class AnswerAbortedError extends Error {
	constructor() {
		super('no complete answer before the deadline');
		this.name = 'AnswerAbortedError';
	}
}

/** What this module needs of a Node.js readable stream (n8n gives the response body as one). */
interface BodyStream {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	once(event: 'end' | 'close', listener: () => void): unknown;
	once(event: 'error', listener: (error: Error) => void): unknown;
	destroy(): unknown;
}

function isStream(value: unknown): value is BodyStream {
	return typeof value === 'object' && value !== null && typeof (value as BodyStream).on === 'function' && typeof (value as BodyStream).destroy === 'function';
}

/** Throws away an answer that came too late (its stream holds a socket open). */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy();
}

/**
 * `request`, unless `signal` aborts first: then it rejects at once with AnswerAbortedError, and an
 * answer that still arrives later is given to `discardLate`.
 */
export async function beforeDeadline<T>(request: Promise<T>, signal: AbortSignal, discardLate: (late: T) => void): Promise<T> {
	if (signal.aborted) {
		request.then(discardLate, () => undefined);
		throw new AnswerAbortedError();
	}
	let onAbort: () => void = () => undefined;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => {
			request.then(discardLate, () => undefined);
			reject(new AnswerAbortedError());
		};
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([request, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** The body as text: read from a stream until its end, the deadline, or `maxBytes`. */
export async function readAnswerBody(body: unknown, signal: AbortSignal, maxBytes = MAX_ANSWER_BYTES): Promise<string> {
	if (body === undefined || body === null) return '';
	if (!isStream(body)) {
		const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
		if (Buffer.byteLength(text) > maxBytes) throw new AnswerTooLargeError(maxBytes);
		return text;
	}
	return await new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (error?: Error) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (error) {
				body.destroy();
				reject(error);
			} else resolve(Buffer.concat(chunks).toString('utf8'));
		};
		const onAbort = () => settle(new AnswerAbortedError());
		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		body.on('data', (chunk) => {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > maxBytes) settle(new AnswerTooLargeError(maxBytes));
			else chunks.push(bytes);
		});
		body.once('end', () => settle());
		body.once('error', (error) => settle(error));
		body.once('close', () => settle(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' })));
	});
}

export function isRedirect(statusCode: number): boolean {
	return statusCode >= 300 && statusCode < 400 && statusCode !== 304;
}

/** The host a redirect points to (`Location`, read against the URL that was asked), or a phrase when it has none. */
function redirectTarget(location: unknown, requestUrl: string): string {
	const text = Array.isArray(location) ? location[0] : location;
	if (typeof text !== 'string' || text.trim() === '') return 'no address';
	try {
		return new URL(text.trim(), requestUrl).host || 'no host';
	} catch {
		return 'an address that cannot be read';
	}
}

/** The error's message for a redirect, naming where it pointed and nothing else of the request. */
export function describeRedirect(statusCode: number, location: unknown, requestUrl: string): string {
	return `CheckMobi answered with a redirect (HTTP ${statusCode}) to ${redirectTarget(location, requestUrl)}: not followed`;
}

export const REDIRECT_FIX =
	'CheckMobi never redirects, so the secret key was sent to nothing but the Base URL. Check the Base URL in the CheckMobi API credentials: it must be https://api.checkmobi.com (or a sandbox on this machine).';
