// Checks shared by several endpoints: numbers (error 2), callback URLs (error 9), blocked
// destinations (13), disabled and forbidden operations (11, 403).

import { isAcceptableCallbackUrl } from './callbacks';
import { ApiError, type Json, optionalString } from './http';
import { analyzeNumber, type AnalyzedNumber, MAGIC } from './numbers';
import type { SandboxState } from './state';

export function parseNumber(raw: string, field = 'number'): AnalyzedNumber {
	const analyzed = analyzeNumber(raw);
	if (!analyzed) throw new ApiError(2, `"${field}" ${JSON.stringify(raw)} is not a valid E.164 number`);
	return analyzed;
}

/** Reads an optional notification_callback and rejects what the service would refuse (error 9). */
export function notificationCallback(state: SandboxState, body: Json, required = false): string | null {
	const url = optionalString(body, 'notification_callback');
	if (url === null) {
		if (required) throw new ApiError(7, 'missing field "notification_callback"');
		return null;
	}
	if (!isAcceptableCallbackUrl(url, state.config))
		throw new ApiError(
			9,
			url.length > state.config.callbackMaxUrlLength
				? `notification_callback longer than ${state.config.callbackMaxUrlLength} characters`
				: 'notification_callback is not an http(s) URL the service accepts (loopback/private hosts need allowLoopbackCallbacks)',
		);
	return url;
}

export function isBlocked(state: SandboxState, n: AnalyzedNumber): boolean {
	if (n.magic === MAGIC.BLOCKED) return true;
	return state.config.blockedPrefixes.some((prefix) => n.digits.startsWith(prefix.replace(/^\+/, '')));
}

export function checkNotBlocked(state: SandboxState, n: AnalyzedNumber): void {
	if (isBlocked(state, n)) throw new ApiError(13, `${n.e164} is blocked`);
}

export function isDisabled(state: SandboxState, operation: string): boolean {
	return state.config.disabledOperations.includes(operation);
}

/**
 * A forbidden operation (the key may not run it) is 403, a disabled one 400; the reference names
 * no code for 403, so both carry 11, the code that says an operation is not open to the account.
 */
export function checkEnabled(state: SandboxState, operation: string): void {
	if (state.config.forbiddenOperations.includes(operation)) throw new ApiError(11, `the secret key may not run ${operation}`, 403);
	if (isDisabled(state, operation)) throw new ApiError(11, `operation ${operation} is disabled`);
}

export function clientIp(headers: Record<string, string | string[] | undefined>): string | null {
	const value = headers['x-client-ip'];
	return typeof value === 'string' ? value : null;
}
