/**
 * Hostile callbacks: random and crafted bodies, headers and signatures thrown at the CheckMobi
 * Trigger's real webhook() in n8n-core's WebhookContext over real HTTP (test/helpers/webhook.ts).
 * Nothing crashes; nothing without a valid signature starts a workflow or touches its memory; a
 * validly signed delivery starts at most one execution, and a replay of it none; an oversized
 * body is refused cleanly.
 *
 * Property runs are bounded and seeded: a failure prints its seed and path, and the fixed SEED
 * below replays the same cases (`fc.assert(..., { seed, path })` to replay one).
 */
import { createHmac } from 'node:crypto';

import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobiTrigger, MAX_BODY_BYTES } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { startTriggerServer, type TriggerServer, type WebhookCall } from '../helpers/webhook';

const SEED = 20261127;
const SIGNATURE_KEY = 'C0FFEE00-1234-4ABC-8DEF-516A7000CAFE';
const SECRET_KEY = 'DEADBEEF-5678-4ABC-9DEF-5EC2E7000BAD';
const CREDENTIALS = { secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY, baseUrl: 'http://127.0.0.1:1' };
/** Every event kind, so that any validly signed JSON may start something. */
const ALL_EVENTS = ['validation.completed', 'sms.status', 'call.status', 'lookup.hlr', 'lookup.mnp', 'unknown'];

const hmac = (body: Buffer, key = SIGNATURE_KEY) => createHmac('sha256', key).update(body).digest();

/** Statuses a hostile request may get: accepted or ignored (200), refused (401, 413), or n8n's own 422 for unparsable JSON. */
const CLEAN_ANSWERS = [200, 401, 413, 422];

let server: TriggerServer;
const inputs = { requests: 0, unsigned: 0, signedValid: 0 };

beforeAll(async () => {
	server = await startTriggerServer({
		nodeType: new CheckMobiTrigger(),
		parameters: { events: ALL_EVENTS } as INodeParameters,
		credentials: CREDENTIALS as never,
	});
});
afterAll(async () => {
	await server?.close();
	process.stderr.write(`[hostile callbacks] requests: ${inputs.requests} (${inputs.unsigned} without a valid signature, ${inputs.signedValid} validly signed)\n`);
});

function memory(): string {
	return JSON.stringify(server.staticData());
}

async function post(body: Buffer, headers: Record<string, string>): Promise<WebhookCall> {
	inputs.requests++;
	return await server.post(body, headers);
}

/** Nothing crashed: a clean HTTP answer, and the node's webhook() did not throw. */
function expectClean(call: WebhookCall) {
	expect(call.error).toBeUndefined();
	// No JSON body polluted a prototype.
	expect(({} as IDataObject).polluted).toBeUndefined();
	expect(CLEAN_ANSWERS).toContain(call.answer.status);
	// An answer never echoes a key.
	expect(call.answer.body).not.toContain(SIGNATURE_KEY);
	expect(call.answer.body).not.toContain(SECRET_KEY);
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Bodies: arbitrary bytes, arbitrary text, arbitrary JSON, and CheckMobi-shaped JSON with odd values. */
const anyBody: fc.Arbitrary<Buffer> = fc.oneof(
	fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
	fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text, 'utf8')),
	fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text, 'utf8')),
	fc
		.record(
			{
				key: fc.oneof(fc.string(), fc.constant('SMS-3F2504E0-4F89-11D3-9A0C-0305E82C3301'), fc.integer()),
				id: fc.oneof(fc.string(), fc.constant('MSG-1B4E28BA-2FA1-11D2-883F-0016D3CCA427'), fc.constant(null)),
				status: fc.oneof(fc.constantFrom('queued', 'sent', 'delivered', 'failed', 'DELIVERED'), fc.string(), fc.integer()),
				event: fc.oneof(fc.constantFrom('ringing', 'answer', 'hangup'), fc.string()),
				lookup_method: fc.oneof(fc.constantFrom('hlr', 'mnp', 'HLR', 'xyz'), fc.integer()),
				results: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.constant(null), fc.string()),
				error: fc.oneof(fc.constant(null), fc.jsonValue()),
				event_type: fc.string(),
				constructor: fc.jsonValue(),
			},
			{ requiredKeys: [] },
		)
		.chain((value) => fc.tuple(fc.constant(JSON.stringify(value)), fc.boolean()))
		// Half of them also try to pollute prototypes with a "__proto__" key in the JSON text.
		.map(([json, pollute]) => Buffer.from(pollute ? `{"__proto__":{"polluted":"yes"},${json.slice(1)}`.replace(',}', '}') : json, 'utf8')),
);

type SignatureCase = { header?: string | string[]; valid: boolean; label: string };

/** Signature headers of every kind, each labelled with whether it is a valid signature of `body`. */
function signatureFor(body: Buffer): fc.Arbitrary<SignatureCase> {
	const good = hmac(body);
	const hex = good.toString('hex');
	const b64 = good.toString('base64');
	return fc.oneof(
		// Valid: the encodings CheckMobi may use (hex in either case, base64, base64url, a sha256= prefix, blanks around).
		fc.constantFrom<SignatureCase>(
			{ header: hex, valid: true, label: 'hex' },
			{ header: hex.toUpperCase(), valid: true, label: 'HEX' },
			{ header: b64, valid: true, label: 'base64' },
			{ header: good.toString('base64url'), valid: true, label: 'base64url' },
			{ header: `sha256=${hex}`, valid: true, label: 'sha256= prefix' },
			{ header: `  ${hex}\t`, valid: true, label: 'blanks around' },
		),
		// Invalid: missing, empty, random text, random digests, other keys, other bodies, damaged digests, repeated headers.
		fc.constantFrom<SignatureCase>(
			{ header: undefined, valid: false, label: 'missing' },
			{ header: '', valid: false, label: 'empty' },
			{ header: hmac(body, SECRET_KEY).toString('hex'), valid: false, label: 'signed with the secret key' },
			{ header: hmac(body, '').toString('hex'), valid: false, label: 'signed with an empty key' },
			{ header: hmac(Buffer.concat([body, Buffer.from(' ')])).toString('hex'), valid: false, label: 'signature of the body plus a space' },
			{ header: hex.slice(0, 63), valid: false, label: 'hex cut by one' },
			{ header: `${hex}0`, valid: false, label: 'hex plus one' },
			{ header: b64.replace(/=$/, '').slice(0, 42), valid: false, label: 'base64 cut' },
			{ header: [hex, hex], valid: false, label: 'the header twice' },
			{ header: createHmac('sha1', SIGNATURE_KEY).update(body).digest('hex'), valid: false, label: 'HMAC-SHA1' },
			{ header: createHmac('sha512', SIGNATURE_KEY).update(body).digest('hex'), valid: false, label: 'HMAC-SHA512' },
		),
		fc.string({ maxLength: 100 }).map((header): SignatureCase => ({ header, valid: false, label: 'random text' })),
		fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((bytes) =>
			fc.constantFrom<SignatureCase>(
				{ header: Buffer.from(bytes).toString('hex'), valid: Buffer.from(bytes).equals(good), label: 'random hex digest' },
				{ header: Buffer.from(bytes).toString('base64'), valid: Buffer.from(bytes).equals(good), label: 'random base64 digest' },
			),
		),
		fc.nat({ max: 63 }).map((position): SignatureCase => {
			const flipped = hex.slice(0, position) + (hex[position] === '0' ? '1' : '0') + hex.slice(position + 1);
			return { header: flipped, valid: false, label: 'one hex digit changed' };
		}),
	);
}

/** Header names that are HTTP tokens, with printable values. */
const extraHeaders = fc.dictionary(
	fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
	fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((value) => value.trim()),
	{ maxKeys: 4 },
);
const contentType = fc.constantFrom(
	'application/json',
	'application/json; charset=utf-8',
	'text/plain',
	'application/x-www-form-urlencoded',
	'application/octet-stream',
	'multipart/form-data; boundary=x',
);

function headersOf(signature: SignatureCase, type: string, extra: Record<string, string>): Record<string, string> {
	const headers: Record<string, string> = { ...extra, 'Content-Type': type };
	if (signature.header !== undefined) headers['X-CheckMobi-Signature'] = signature.header as string;
	return headers;
}

// ---------------------------------------------------------------------------------------------
// Properties

test('without a valid signature nothing starts and nothing is remembered, whatever the body, headers or signature', async () => {
	await fc.assert(
		fc.asyncProperty(
			anyBody.chain((body) => fc.tuple(fc.constant(body), signatureFor(body).filter((s) => !s.valid), contentType, extraHeaders)),
			async ([body, signature, type, extra]) => {
				const before = { executions: server.executions.length, memory: memory() };
				inputs.unsigned++;
				const call = await post(body, headersOf(signature, type, extra));
				expectClean(call);
				// n8n itself refuses JSON it cannot parse (422) before the node; otherwise the node refuses with 401.
				expect([401, 422]).toContain(call.answer.status);
				expect(call.execution).toBeUndefined();
				expect(server.executions.length).toBe(before.executions);
				expect(memory()).toBe(before.memory);
			},
		),
		{ seed: SEED, numRuns: 250 },
	);
});

test('a validly signed delivery starts at most one execution, and sent again starts none', async () => {
	await fc.assert(
		fc.asyncProperty(
			anyBody.chain((body) => fc.tuple(fc.constant(body), signatureFor(body).filter((s) => s.valid), contentType, extraHeaders)),
			async ([body, signature, type, extra]) => {
				inputs.signedValid++;
				const before = server.executions.length;
				const headers = headersOf(signature, type, extra);
				const first = await post(body, headers);
				expectClean(first);
				if (first.answer.status === 422) {
					// Unparsable "JSON": n8n refuses it before the node runs; nothing started.
					expect(first.execution).toBeUndefined();
					return;
				}
				expect(first.answer.status).toBe(200);
				const executionsAfterFirst = server.executions.length;
				expect(executionsAfterFirst - before).toBeLessThanOrEqual(1);
				// The same bytes again, as CheckMobi retries: answered 200, nothing started, whether or not the first started something.
				const again = await post(body, headers);
				expectClean(again);
				expect(again.answer.status).toBe(200);
				expect(again.execution).toBeUndefined();
				expect(server.executions.length).toBe(executionsAfterFirst);
			},
		),
		{ seed: SEED + 1, numRuns: 150 },
	);
});

test('many deliveries in flight at once: each starts once, replays of all of them start none', async () => {
	const bodies = fc.sample(fc.uuid().map((id) => JSON.stringify({ id: `MSG-${id}`.toUpperCase(), to: '+40745123456', status: 'delivered' })), { seed: SEED + 2, numRuns: 60 });
	const distinct = [...new Set(bodies)];
	const before = server.executions.length;
	const send = async () =>
		await Promise.all(distinct.map(async (body) => await post(Buffer.from(body), { 'Content-Type': 'application/json', 'X-CheckMobi-Signature': hmac(Buffer.from(body)).toString('hex') })));
	const first = await send();
	first.forEach(expectClean);
	expect(server.executions.length - before).toBe(distinct.length);
	const again = await send();
	again.forEach(expectClean);
	expect(again.filter((call) => call.execution !== undefined)).toEqual([]);
	expect(server.executions.length - before).toBe(distinct.length);
});

test('an oversized body is refused cleanly (413), signed or not, and starts nothing', async () => {
	const before = server.executions.length;
	const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
	big.write('{"key":"SMS-1","number":"+40745123456"}', 0);
	for (const signature of [hmac(big).toString('hex'), 'not-a-signature']) {
		const call = await post(big, { 'Content-Type': 'text/plain', 'X-CheckMobi-Signature': signature });
		expectClean(call);
		expect(call.answer.status).toBe(413);
		expect(JSON.parse(call.answer.body) as IDataObject).toEqual({ code: 413, message: expect.stringMatching(/over the limit/) });
	}
	// Past n8n's own limit (16 MiB) the request never reaches the node: n8n answers 413 itself.
	const huge = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
	const call = await post(huge, { 'Content-Type': 'text/plain', 'X-CheckMobi-Signature': hmac(huge).toString('hex') });
	expect(call.answer.status).toBe(413);
	expect(server.executions.length).toBe(before);
});

test('after all of that the trigger still works: a fresh signed callback starts one execution', async () => {
	const body = Buffer.from(JSON.stringify({ key: 'SMS-00000000-0000-4000-8000-0000000000AA', number: '+40745123456', description: 'RO - Orange' }));
	const call = await post(body, { 'Content-Type': 'application/json', 'X-CheckMobi-Signature': hmac(body).toString('hex') });
	expect(call.answer.status).toBe(200);
	expect(call.execution?.[0].json).toMatchObject({ event_type: 'validation.completed', validation_id: 'SMS-00000000-0000-4000-8000-0000000000AA' });
	// The node warned about every refusal, and never put a key in its log.
	const logged = server.logs.map((entry) => entry.message).join('\n');
	expect(logged).toContain('refused a callback (401)');
	expect(logged).not.toContain(SIGNATURE_KEY);
	expect(logged).not.toContain(SECRET_KEY);
});
