/**
 * Lookup → Check Format, HLR and MNP, run by n8n's own engine against the CheckMobi sandbox: what the
 * sandbox received and what the node output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { LoggedRequestView } from '../../sandbox/client';
import { runCheckMobi } from '../helpers/checkMobi';
import { useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sandbox = useSandbox();

const PORTED = '+40745999906';
const ABSENT = '+40745999901';
const INVALID_SUBSCRIBER = '+40745999905';
const LANDLINE = '+40745999940';
const NO_HLR_ROUTE = '+5351234567'; // Cuba
const NO_HLR_ROUTE_MOBILE = '+5361234567';
const NORMAL = '+40745123456';

const lookup = (operation: 'validate' | 'hlr' | 'mnp', parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) =>
	runCheckMobi(sandbox, { resource: 'lookup', operation, simplify: false, ...parameters }, input, continueOnFail);

const received = (path?: string) => sandbox.received(path);

function expectLookupRequest(request: LoggedRequestView, path: string): void {
	expect(request.method).toBe('GET');
	expect(request.path).toBe(path);
	expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
	expect(request.headers).not.toHaveProperty('x-client-ip');
	expect(request.rawBody).toBe('');
}

/** CheckMobi's own answer for the same lookup, fetched directly; `id` is new on every lookup. */
async function directAnswer(path: string): Promise<IDataObject> {
	const answer = await sandbox.api.get(path);
	expect(answer.status).toBe(200);
	return { ...(answer.json as IDataObject), id: expect.any(String) };
}

describe('Lookup → Check Format', () => {
	test('GETs /lookup/verify/{digits} with the number read from how it was typed, and outputs the answer as is', async () => {
		const { items, error } = await lookup('validate', { number: '+40 745-123 456' });
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests).toHaveLength(1);
		expectLookupRequest(requests[0], '/v1/lookup/verify/40745123456');

		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toEqual(await directAnswer('/lookup/verify/40745123456'));
		// Snake_case fields straight from CheckMobi; free, and no live network data.
		expect(items[0].json).toMatchObject({
			cost: 0,
			phone_number: NORMAL,
			number_type: 'mobile',
			timezone: 'Europe/Bucharest',
			format: { e164: NORMAL },
			original_network: { country_iso2: 'RO' },
		});
		expect(items[0].json).not.toHaveProperty('reachable');
		expect(items[0].json).not.toHaveProperty('current_network');
	});

	test('a landline is reported as such, for free', async () => {
		const { items, error } = await lookup('validate', { number: LANDLINE });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ cost: 0, phone_number: LANDLINE, number_type: 'landline' });
	});

	test('the Timeout option applies: a free lookup with no answer in time is tried again', async () => {
		await sandbox.control.addFault({ type: 'latency', latencyMs: 2500, method: 'GET', path: '/lookup/verify/*', count: 1 });
		const { items, error } = await runCheckMobi(sandbox, { resource: 'lookup', operation: 'validate', simplify: false, number: ABSENT, options: { timeout: 1000 } });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ phone_number: ABSENT, number_type: 'mobile' });
		const requests = await received();
		expect(requests.map((request) => request.path)).toEqual(['/v1/lookup/verify/40745999901', '/v1/lookup/verify/40745999901']);
		// The second attempt started before the slow first answer would have come.
		expect(requests[1].time - requests[0].time).toBeLessThan(2500);
	});
});

describe('Lookup → HLR', () => {
	test('each item\'s number is looked up live; output in input order, paired, fields as CheckMobi sent them', async () => {
		const input = [{ phone: PORTED }, { phone: ABSENT }, { phone: INVALID_SUBSCRIBER }, { phone: LANDLINE }, { phone: '0040745123456' }];
		const { items, error } = await lookup('hlr', { number: '={{ $json.phone }}' }, input);
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests.map((request) => request.path)).toEqual([
			'/v1/lookup/hlr/40745999906',
			'/v1/lookup/hlr/40745999901',
			'/v1/lookup/hlr/40745999905',
			'/v1/lookup/hlr/40745999940',
			'/v1/lookup/hlr/40745123456',
		]);
		for (const request of requests) expectLookupRequest(request, request.path);

		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		const [ported, absent, invalid, landline, normal] = items.map((item) => item.json);

		expect(ported).toMatchObject({ phone_number: PORTED, is_ported: true, reachable: 'connected', processing_status: 'completed', cost: 0.01 });
		expect((ported.current_network as IDataObject).network_name).not.toBe((ported.original_network as IDataObject).network_name);

		expect(absent).toMatchObject({ phone_number: ABSENT, reachable: 'absent', processing_status: 'completed', cost: 0.01 });
		expect(invalid).toMatchObject({ phone_number: INVALID_SUBSCRIBER, reachable: 'invalid', processing_status: 'rejected', cost: 0 });
		// A landline falls back to the free validation.
		expect(landline).toMatchObject({ number_type: 'landline', processing_status: 'rejected', cost: 0, is_ported: null, imsi: null });
		expect(normal).toMatchObject({ phone_number: NORMAL, is_ported: false, reachable: 'connected', imsi: expect.stringMatching(/^\d{15}$/) });
		expect(normal).toEqual(await directAnswer('/lookup/hlr/40745123456'));
	});

	test('error 18 (no HLR route) with Continue On Fail: one error item for that item, the others go on', async () => {
		const input = [{ phone: NORMAL }, { phone: NO_HLR_ROUTE }, { phone: PORTED }];
		const { items, error } = await lookup('hlr', { number: '={{ $json.phone }}' }, input, true);
		expect(error).toBeUndefined();

		expect((await received()).map((request) => [request.path, request.status, request.errorCode])).toEqual([
			['/v1/lookup/hlr/40745123456', 200, null],
			['/v1/lookup/hlr/5351234567', 400, 18],
			['/v1/lookup/hlr/40745999906', 200, null],
		]);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ json: { phone_number: NORMAL }, pairedItem: { item: 0 } });
		expect(items[1]).toEqual({
			json: {
				error: expect.stringMatching(/^CheckMobi error 18: .*\[item 1\]$/),
				description: expect.stringMatching(/no HLR route.*use Lookup → MNP .*or Lookup → Check Format/),
				code: 18,
				httpStatus: 400, failedAt: 'request',
			},
			pairedItem: { item: 1 },
		});
		expect(items[2]).toMatchObject({ json: { phone_number: PORTED, is_ported: true }, pairedItem: { item: 2 } });
	});

	test('error 18 without Continue On Fail stops the node with CheckMobi\'s code', async () => {
		const { items, error } = await lookup('hlr', { number: NO_HLR_ROUTE });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^CheckMobi error 18: /);
		expect(error?.context?.checkMobiCode).toBe(18);
		expect(error?.message).not.toContain(sandbox.secretKey);
	});

	test('a number CheckMobi refuses (error 2) becomes an error item under Continue On Fail', async () => {
		// Readable as E.164, but 6 digits are too few for a Romanian number.
		const { items, error } = await lookup('hlr', { number: '+40745123' }, undefined, true);
		expect(error).toBeUndefined();
		expect((await received())[0].path).toBe('/v1/lookup/hlr/40745123');
		expect(items).toEqual([{ json: expect.objectContaining({ code: 2, httpStatus: 400, failedAt: 'request' }), pairedItem: { item: 0 } }]);
	});

	test('a number that cannot be read stops the run before anything is sent', async () => {
		const input = [{ phone: NORMAL }, { phone: '0745 123 456' }];
		const { items, error } = await lookup('hlr', { number: '={{ $json.phone }}' }, input);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Invalid phone number in "Phone Number": "0745 123 456" [item 1]');
		expect(error?.description).toMatch(/country code/);
		expect(await received()).toEqual([]);
	});

	test('a failed GET is retried by the transport, and the item still gets its answer', async () => {
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/lookup/hlr/*', count: 1 });
		const { items, error } = await lookup('hlr', { number: PORTED });
		expect(error).toBeUndefined();
		expect((await received()).map((request) => [request.path, request.status])).toEqual([
			['/v1/lookup/hlr/40745999906', 503],
			['/v1/lookup/hlr/40745999906', 200],
		]);
		expect(items).toEqual([{ json: expect.objectContaining({ phone_number: PORTED, is_ported: true }), pairedItem: { item: 0 } }]);
	});

	test('with Concurrency, lookups overlap yet the output keeps input order and pairing', async () => {
		const numbers = ['+40745000001', '+40745000002', '+40745000003', '+40745000004', '+40745000005', '+40745000006'];
		// The first lookup is the slowest, so it finishes last.
		await sandbox.control.addFault({ type: 'latency', latencyMs: 400, method: 'GET', path: '/lookup/mnp/40745000001' });
		const { items, error } = await lookup(
			'mnp',
			{ number: '={{ $json.phone }}', options: { concurrency: 3 } },
			numbers.map((phone) => ({ phone })),
		);
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests.map((request) => request.path).sort()).toEqual(numbers.map((n) => `/v1/lookup/mnp/${n.slice(1)}`).sort());
		const first = requests.find((request) => request.path === '/v1/lookup/mnp/40745000001') as LoggedRequestView;
		const finishedFirst = first.time + (first.durationMs ?? 0);
		// Others arrived and were answered while the first was still in flight.
		expect(requests.filter((request) => request !== first && request.time < finishedFirst).length).toBeGreaterThanOrEqual(2);

		expect(items.map((item) => [item.json.phone_number, item.pairedItem])).toEqual(numbers.map((n, item) => [n, { item }]));
	});
});

describe('Lookup → MNP', () => {
	test('gives the current network of a ported number, charged; a landline falls back for free', async () => {
		const input = [{ phone: PORTED }, { phone: LANDLINE }];
		const { items, error } = await lookup('mnp', { number: '={{ $json.phone }}' }, input);
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests.map((request) => request.path)).toEqual(['/v1/lookup/mnp/40745999906', '/v1/lookup/mnp/40745999940']);
		for (const request of requests) expectLookupRequest(request, request.path);

		const hlr = await sandbox.api.get('/lookup/hlr/40745999906');
		const hlrAnswer = hlr.json as IDataObject;
		expect(items[0]).toEqual({ json: await directAnswer('/lookup/mnp/40745999906'), pairedItem: { item: 0 } });
		expect(items[0].json).toMatchObject({ phone_number: PORTED, processing_status: 'completed', cost: 0.005 });
		// MNP tells the current network (the one HLR sees now), not whether the phone is reachable.
		expect(items[0].json.current_network).toEqual(hlrAnswer.current_network);
		expect(items[0].json).not.toHaveProperty('reachable');
		expect(items[1]).toMatchObject({ json: { number_type: 'landline', cost: 0, processing_status: 'rejected' }, pairedItem: { item: 1 } });
	});

	test('answers for a destination without an HLR route, as error 18\'s help says (18 is about HLR only)', async () => {
		const { items, error } = await lookup('mnp', { number: NO_HLR_ROUTE_MOBILE });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: expect.objectContaining({ phone_number: NO_HLR_ROUTE_MOBILE, processing_status: 'completed' }), pairedItem: { item: 0 } }]);
	});
});

describe('a charged lookup (HLR, MNP) is charged once at most', () => {
	test.each([
		['a time-out', { type: 'timeout' }],
		['a connection reset', { type: 'reset' }],
		['HTTP 500', { type: 'status', status: 500 }],
		['HTTP 504', { type: 'status', status: 504 }],
		['garbled JSON', { type: 'malformed' }],
	] as const)('%s after the lookup ran is not retried: sent once, charged once, and the error says so', async (_label, fault) => {
		await sandbox.control.addFault({ ...fault, method: 'GET', path: '/lookup/hlr/*', when: 'after', count: 1 });

		const { error } = await lookup('hlr', { number: NORMAL, options: { timeout: 500 } });

		expect(error?.message).toMatch(/\[item 0\]$/);
		expect(error?.description).toMatch(/may have .*run the lookup and charged it.*charged once at most/);
		expect(await received('/lookup/hlr/*')).toHaveLength(1);
		expect((await sandbox.control.stats()).creates.lookups).toBe(1);
	});

	test.each([
		['HTTP 503', { type: 'status', status: 503 }],
		['a 502 web page from a gateway', { type: 'html' }],
	] as const)('%s says the lookup did not run: retried, answered, charged once', async (_label, fault) => {
		await sandbox.control.addFault({ ...fault, method: 'GET', path: '/lookup/mnp/*', when: 'before', count: 1 });

		const { items, error } = await lookup('mnp', { number: NORMAL });

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ phone_number: NORMAL, cost: 0.005 });
		expect((await received('/lookup/mnp/*')).map((request) => request.status)).toEqual([fault.type === 'html' ? 502 : 503, 200]);
		expect((await sandbox.control.stats()).creates.lookups).toBe(1);
	});
});
