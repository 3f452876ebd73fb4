import { createHmac } from 'node:crypto';

import {
	computeSignature,
	decodeSignature,
	readSignatureHeader,
	verifySignature,
} from '../../nodes/shared/signature';

const SIGNATURE_KEY = '5C2A1F0E-9B7D-4E3A-8C6F-1D2E3F4A5B6C';
const SECRET_KEY = 'A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF';

// The oracle: HMAC-SHA256 written out with node:crypto here, not the module under test.
function hmac(body: string | Buffer, key: string, encoding: 'hex' | 'base64' | 'base64url' = 'hex'): string {
	return createHmac('sha256', key).update(body).digest(encoding);
}

function check(rawBody: string | Buffer, signature: string | undefined, signatureKey = SIGNATURE_KEY) {
	return verifySignature({ rawBody, signature, signatureKey });
}

describe('computeSignature', () => {
	it('matches the RFC 4231 HMAC-SHA256 test vector (case 2)', () => {
		expect(computeSignature('what do ya want for nothing?', 'Jefe').toString('hex')).toBe(
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		);
	});
});

describe('verifySignature on bodies where re-serialising the JSON changes the bytes', () => {
	// Each body is what went over the wire; JSON.stringify(JSON.parse(body)) is something else.
	const bodies: Array<[string, Buffer]> = [
		[
			'non-ASCII text sent as UTF-8, with a space after each colon',
			Buffer.from('{"id": "MSG-1", "to": "+33612345678", "description": "FR - Société Générale – Zürich", "status": "delivered"}', 'utf8'),
		],
		[
			'non-ASCII text sent as \\u escapes',
			Buffer.from('{"key":"SMS-1","number":"+40745123456","description":"RO - Telekom Rom\\u00e2nia"}', 'utf8'),
		],
		['escaped slashes', Buffer.from('{"lookup_method":"hlr","error":null,"results":[{"timezone":"Europe\\/Bucharest"}]}', 'utf8')],
		[
			'unusual spacing and key order',
			Buffer.from('{ "status" : "queued",\n  "to":"+40745123456" ,\t"id" : "MSG-2" }\n', 'utf8'),
		],
		['numbers written differently', Buffer.from('{"id":"CAL-1","event":"hangup","charged_amount":0.10,"duration_billed":6e1}', 'utf8')],
	];

	it.each(bodies)('%s: re-serialising really changes the bytes', (_name, body) => {
		const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
		expect(Buffer.from(reserialised, 'utf8').equals(body)).toBe(false);
	});

	it.each(bodies)('%s: the signature over the received bytes is valid', (_name, body) => {
		expect(check(body, hmac(body, SIGNATURE_KEY))).toEqual({ valid: true });
		expect(check(body.toString('utf8'), hmac(body, SIGNATURE_KEY))).toEqual({ valid: true });
	});

	it.each(bodies)('%s: hashing JSON.stringify(JSON.parse(body)) would reject the genuine callback', (_name, body) => {
		const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
		const result = check(reserialised, hmac(body, SIGNATURE_KEY));
		expect(result).toMatchObject({ valid: false, failure: 'mismatch' });
	});
});

describe('verifySignature digest encodings', () => {
	const body = Buffer.from('{"id":"MSG-3","to":"+40745123456","description":"RO - Orange","status":"sent"}');

	it('accepts hex in lower case', () => {
		expect(check(body, hmac(body, SIGNATURE_KEY, 'hex').toLowerCase())).toEqual({ valid: true });
	});

	it('accepts hex in upper case', () => {
		expect(check(body, hmac(body, SIGNATURE_KEY, 'hex').toUpperCase())).toEqual({ valid: true });
	});

	it('accepts base64 with padding', () => {
		const signature = hmac(body, SIGNATURE_KEY, 'base64');
		expect(signature).toMatch(/=$/);
		expect(check(body, signature)).toEqual({ valid: true });
	});

	it('accepts base64 without padding and base64url', () => {
		expect(check(body, hmac(body, SIGNATURE_KEY, 'base64').replace(/=+$/, ''))).toEqual({ valid: true });
		expect(check(body, hmac(body, SIGNATURE_KEY, 'base64url'))).toEqual({ valid: true });
	});

	it('accepts surrounding spaces and a "sha256=" prefix', () => {
		expect(check(body, `  ${hmac(body, SIGNATURE_KEY)} `)).toEqual({ valid: true });
		expect(check(body, `sha256=${hmac(body, SIGNATURE_KEY)}`)).toEqual({ valid: true });
	});

	it('refuses a truncated or padded digest as malformed', () => {
		const hex = hmac(body, SIGNATURE_KEY);
		expect(check(body, hex.slice(0, 63))).toMatchObject({ valid: false, failure: 'malformedSignature' });
		expect(check(body, `${hex}00`)).toMatchObject({ valid: false, failure: 'malformedSignature' });
		expect(check(body, 'not a signature')).toMatchObject({ valid: false, failure: 'malformedSignature' });
	});

	it('refuses a digest that differs in one byte', () => {
		const hex = hmac(body, SIGNATURE_KEY);
		const flipped = (parseInt(hex[0], 16) ^ 1).toString(16) + hex.slice(1);
		expect(check(body, flipped)).toMatchObject({ valid: false, failure: 'mismatch' });
	});

	it('decodes hex and base64 of the same digest to the same bytes', () => {
		const hex = hmac(body, SIGNATURE_KEY, 'hex');
		const base64 = hmac(body, SIGNATURE_KEY, 'base64');
		expect(decodeSignature(hex)?.equals(decodeSignature(base64)!)).toBe(true);
	});
});

describe('verifySignature refusals', () => {
	const body = '{"key":"SMS-4","number":"+40745123456","description":"RO - Vodafone"}';

	it('refuses a signature made with the secret key instead of the signature key', () => {
		expect(check(body, hmac(body, SECRET_KEY))).toMatchObject({ valid: false, failure: 'mismatch' });
		expect(check(body, hmac(body, SECRET_KEY, 'base64'))).toMatchObject({ valid: false, failure: 'mismatch' });
	});

	it('refuses a missing or empty header', () => {
		expect(check(body, undefined)).toMatchObject({ valid: false, failure: 'missingSignature' });
		expect(verifySignature({ rawBody: body, signature: null, signatureKey: SIGNATURE_KEY })).toMatchObject({
			valid: false,
			failure: 'missingSignature',
		});
		expect(check(body, '   ')).toMatchObject({ valid: false, failure: 'missingSignature' });
	});

	it('says plainly when the credentials have no signature key, whatever the header', () => {
		for (const key of ['', '  ', undefined, null]) {
			const result = verifySignature({ rawBody: body, signature: hmac(body, ''), signatureKey: key });
			expect(result).toMatchObject({ valid: false, failure: 'noSignatureKey' });
			expect(!result.valid && result.message).toContain('no signature key set in the CheckMobi API credentials');
		}
	});

	it('refuses a body changed by one trailing newline', () => {
		expect(check(`${body}\n`, hmac(body, SIGNATURE_KEY))).toMatchObject({ valid: false, failure: 'mismatch' });
	});

	it('never puts a key into its messages', () => {
		const results = [check(body, hmac(body, SECRET_KEY)), check(body, undefined), check(body, 'zz')];
		for (const result of results) {
			const text = JSON.stringify(result);
			expect(text).not.toContain(SIGNATURE_KEY);
			expect(text).not.toContain(SECRET_KEY);
		}
	});
});

describe('verifySignature on an empty body', () => {
	it('accepts the signature of zero bytes, from a Buffer or a string', () => {
		expect(check(Buffer.alloc(0), hmac('', SIGNATURE_KEY))).toEqual({ valid: true });
		expect(check('', hmac('', SIGNATURE_KEY))).toEqual({ valid: true });
	});

	it('refuses the signature of "{}" for an empty body', () => {
		expect(check(Buffer.alloc(0), hmac('{}', SIGNATURE_KEY))).toMatchObject({ valid: false, failure: 'mismatch' });
	});
});

describe('verifySignature with Buffer and string bodies', () => {
	it('hashes non-ASCII text as UTF-8 bytes, not one byte per character', () => {
		const text = '{"id":"MSG-7","description":"FR - Société Générale – Zürich ☎","status":"delivered"}';
		const signature = hmac(Buffer.from(text, 'utf8'), SIGNATURE_KEY);
		expect(check(text, signature)).toEqual({ valid: true });
		expect(check(Buffer.from(text, 'utf8'), signature)).toEqual({ valid: true });
		// The classic mistake: hashing the characters as latin1/"binary" bytes.
		expect(check(Buffer.from(text, 'latin1'), signature)).toMatchObject({ valid: false, failure: 'mismatch' });
	});

	it('hashes bytes that are not valid UTF-8 as they are', () => {
		const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]); // {"a":"<latin-1 é>"}
		expect(check(bytes, hmac(bytes, SIGNATURE_KEY))).toEqual({ valid: true });
		// Decoding to text replaces the stray byte, so the text no longer carries the signed bytes.
		expect(check(bytes.toString('utf8'), hmac(bytes, SIGNATURE_KEY))).toMatchObject({ valid: false, failure: 'mismatch' });
	});

	it('ignores spaces around the signature key in the credentials', () => {
		const body = '{"id":"MSG-5","status":"sent"}';
		expect(check(body, hmac(body, SIGNATURE_KEY), ` ${SIGNATURE_KEY}\n`)).toEqual({ valid: true });
	});
});

describe('readSignatureHeader', () => {
	it('reads the lower-cased header Node gives and joins repeated ones', () => {
		expect(readSignatureHeader({ 'x-checkmobi-signature': 'abc' })).toBe('abc');
		expect(readSignatureHeader({ 'x-checkmobi-signature': ['a', 'b'] })).toBe('a, b');
		expect(readSignatureHeader({})).toBeUndefined();
	});

	it('makes a repeated header fail as malformed rather than pass on one of its values', () => {
		const body = '{"id":"MSG-6","status":"sent"}';
		const good = hmac(body, SIGNATURE_KEY);
		const joined = readSignatureHeader({ 'x-checkmobi-signature': [good, good] });
		expect(check(body, joined)).toMatchObject({ valid: false, failure: 'malformedSignature' });
	});
});
