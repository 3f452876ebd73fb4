// Who may use the control API (/_sandbox/...). It reads PINs and both keys and makes the sandbox
// send correctly signed callbacks, so a web page the developer visits must not reach it: a request
// needs the control token (printed at start), must be addressed to a loopback Host (a DNS-rebinding
// page sends its own host name) and may carry only a JSON body (a page can post text/plain without
// asking first, but not application/json). A refused request is answered before its body is read.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CONTROL_TOKEN_HEADER = 'X-Sandbox-Token';

/** A fresh token for a sandbox started without one. */
export function newControlToken(): string {
	return randomBytes(18).toString('base64url');
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export interface Refusal {
	status: number;
	error: string;
}

function sameToken(given: string, token: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(given), digest(token));
}

/** Why a control request is refused, or null when it may go on. */
export function controlRefusal(req: IncomingMessage, token: string): Refusal | null {
	if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
		return { status: 403, error: 'the control API answers only requests addressed to a loopback host (Host: 127.0.0.1, localhost or [::1])' };
	}
	const given = req.headers[CONTROL_TOKEN_HEADER.toLowerCase()];
	if (typeof given !== 'string' || !sameToken(given, token)) {
		return { status: 401, error: `the control API needs the header ${CONTROL_TOKEN_HEADER} with the token the sandbox printed at start` };
	}
	const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
	const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (hasBody && type !== 'application/json') return { status: 415, error: 'a control API body must be Content-Type: application/json' };
	return null;
}
