/**
 * The package's one check of CheckMobi's callback signatures.
 *
 * `X-CheckMobi-Signature` is an HMAC-SHA256 of the callback's body, keyed with the application's
 * Signature Key (not the Secret Key). Only the exact bytes received can be hashed: parsing the JSON
 * and serialising it again changes spacing, key order and escapes (`\/`, `\u00e9`), so this module
 * takes the raw body and nothing else. Whether CheckMobi writes the digest as hex or as base64 is
 * not documented, so both are accepted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_HEADER = 'x-checkmobi-signature';

const DIGEST_BYTES = 32;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
// 32 bytes are 43 base64 characters plus one "=" of padding; the URL-safe alphabet is accepted too.
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_DIGEST = /^[A-Za-z0-9_-]{43}=?$/;

export type SignatureFailure =
	/** The credentials have no Signature Key, so nothing can be checked. */
	| 'noSignatureKey'
	/** The request has no X-CheckMobi-Signature header (or an empty one). */
	| 'missingSignature'
	/** The header is neither a hex nor a base64 SHA-256 digest. */
	| 'malformedSignature'
	/** A well-formed digest that does not match the body and key. */
	| 'mismatch';

export type SignatureCheck = { valid: true } | { valid: false; failure: SignatureFailure; message: string };

export const SIGNATURE_FAILURE_MESSAGES: Record<SignatureFailure, string> = {
	noSignatureKey:
		'Signature not checked: no signature key set in the CheckMobi API credentials. Add the Signature Key from the General tab of your CheckMobi application to the credentials.',
	missingSignature: 'Signature missing: the request has no X-CheckMobi-Signature header.',
	malformedSignature:
		'Signature invalid: the X-CheckMobi-Signature header is not an HMAC-SHA256 digest in hex or base64.',
	mismatch:
		'Signature invalid: the X-CheckMobi-Signature header does not match the body and the signature key in the CheckMobi API credentials.',
};

/** The raw body as bytes. A string is taken as the UTF-8 text that was received. */
function toBytes(body: Buffer | string): Buffer {
	return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** HMAC-SHA256 of the exact body bytes, keyed with the signature key. */
export function computeSignature(rawBody: Buffer | string, signatureKey: string): Buffer {
	return createHmac('sha256', signatureKey.trim()).update(toBytes(rawBody)).digest();
}

/** The 32 digest bytes a header value stands for, or undefined when it is not a digest. */
export function decodeSignature(headerValue: string): Buffer | undefined {
	const value = headerValue.trim().replace(/^sha256=/i, '');
	if (HEX_DIGEST.test(value)) return Buffer.from(value, 'hex');
	if (BASE64_DIGEST.test(value)) return Buffer.from(value, 'base64');
	if (BASE64URL_DIGEST.test(value)) return Buffer.from(value, 'base64url');
	return undefined;
}

/** The header's value as one string (Node gives arrays for repeated headers). */
export function readSignatureHeader(headers: Record<string, string | string[] | undefined>): string | undefined {
	const value = headers[SIGNATURE_HEADER];
	if (Array.isArray(value)) return value.join(', ');
	return value;
}

/**
 * Checks a callback's signature over its raw body. `rawBody` must be the bytes as received
 * (n8n: `this.getRequestObject().rawBody`), never `JSON.stringify` of the parsed body.
 */
export function verifySignature(options: {
	rawBody: Buffer | string;
	signature: string | undefined | null;
	signatureKey: string | undefined | null;
}): SignatureCheck {
	const fail = (failure: SignatureFailure): SignatureCheck => ({
		valid: false,
		failure,
		message: SIGNATURE_FAILURE_MESSAGES[failure],
	});
	const key = typeof options.signatureKey === 'string' ? options.signatureKey.trim() : '';
	if (key === '') return fail('noSignatureKey');
	if (typeof options.signature !== 'string' || options.signature.trim() === '') return fail('missingSignature');
	const received = decodeSignature(options.signature);
	if (received?.length !== DIGEST_BYTES) return fail('malformedSignature');
	const expected = computeSignature(options.rawBody, key);
	return timingSafeEqual(expected, received) ? { valid: true } : fail('mismatch');
}
