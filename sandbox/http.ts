// The API's error answers ({"code": N, "error": "..."}) and the checks of request bodies.

export const ERROR_MESSAGES: Record<number, string> = {
	1: 'Invalid or expired API secret key.',
	2: 'Invalid phone number. Phone number should be provided into E.164 format.',
	3: 'Invalid Request ID.',
	4: 'Invalid validation type. Allowed (sms, ivr, reverse_cli).',
	5: 'Insufficient funds.',
	6: 'Insufficient Missed Call validation count.',
	7: 'Invalid request payload.',
	8: 'Validation method not available for this destination.',
	9: 'Invalid notification callback.',
	10: 'Invalid event payload.',
	11: 'This operation is currently disabled for your account.',
	12: 'Your account exceeded one or more limitations.',
	13: 'Destination is blocked due to application restrictions.',
	14: 'Number temporary blocked because of too many attempts.',
	15: 'Too many attempts to verify the pin.',
	16: 'Validation request expired.',
	17: 'Invalid lookup method.',
	18: 'No HLR lookup route available for this destination.',
};

/** A CheckMobi error answer. `detail` goes to the X-Sandbox-Detail header, never into the body. */
export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly detail?: string,
		readonly status: number = code === 1 ? 401 : 400,
	) {
		super(ERROR_MESSAGES[code] ?? 'Error.');
	}

	body(): { code: number; error: string } {
		return { code: this.code, error: this.message };
	}
}

/** A well-formed unknown id: 404 with code 3. */
export function notFound(detail: string): ApiError {
	return new ApiError(3, detail, 404);
}

export type Json = Record<string, unknown>;

export function payload(detail: string): ApiError {
	return new ApiError(7, detail);
}

export function requireObject(body: unknown): Json {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw payload('the body must be a JSON object');
	return body as Json;
}

export function requiredString(body: Json, field: string): string {
	const value = body[field];
	if (value === undefined || value === null) throw payload(`missing field "${field}"`);
	if (typeof value !== 'string') throw payload(`"${field}" must be a string`);
	return value;
}

export function optionalString(body: Json, field: string): string | null {
	const value = body[field];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string') throw payload(`"${field}" must be a string`);
	return value;
}

export function optionalBoolean(body: Json, field: string): boolean | null {
	const value = body[field];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'boolean') throw payload(`"${field}" must be a boolean`);
	return value;
}

export const PLATFORMS = ['ios', 'android', 'web', 'desktop'];

export function optionalPlatform(body: Json): string | null {
	const platform = optionalString(body, 'platform');
	if (platform !== null && !PLATFORMS.includes(platform)) throw payload('"platform" must be one of ios, android, web, desktop');
	return platform;
}

const ID = /^([A-Za-z]{3})-([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$/;

/** Normalises a CheckMobi id ("SMS-<uuid>"), or throws 400 code 3 when it is malformed. */
export function parseId(raw: string): string {
	if (!ID.test(raw)) throw new ApiError(3, `malformed id ${JSON.stringify(raw)}`);
	return raw.toUpperCase();
}
