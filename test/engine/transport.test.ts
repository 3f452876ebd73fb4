/**
 * The one request helper, run inside n8n's engine (a test-only node calls it per item) against the
 * CheckMobi sandbox: what goes on the wire, how each kind of failure reads, which requests are
 * retried, and that a request that creates something is sent exactly once whatever happens.
 */
import { createServer } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../nodes/CheckMobi/transport';
import { readEngineLog, runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { TransportProbe } from '../helpers/transportProbe';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sandbox = useSandbox();
const SIGNATURE_KEY = 'never-to-be-seen-signature-key';

async function probe(parameters: INodeParameters, baseUrl = sandbox.url) {
	return await runNode({
		nodeType: new TransportProbe(),
		parameters,
		credentials: { secretKey: sandbox.secretKey, signatureKey: SIGNATURE_KEY, baseUrl },
	});
}

/** The CheckMobi node itself reading the account (a GET, repeated on a passing fault). */
async function node(nodeType: CheckMobi) {
	return await runNode({
		nodeType,
		parameters: { resource: 'account', operation: 'get' },
		credentials: { secretKey: sandbox.secretKey, signatureKey: SIGNATURE_KEY, baseUrl: sandbox.url },
	});
}

async function logged(path?: string) {
	return (await sandbox.control.requests(path ? { path } : {})).entries;
}

/** Everything a user could see of an error: message, description, and its serialised form. */
function visible(error: unknown): string {
	const { message, description } = error as { message: string; description?: string };
	return `${message}\n${description ?? ''}\n${JSON.stringify(error)}`;
}

function expectNoSecrets(text: string) {
	expect(text).not.toContain(sandbox.secretKey);
	expect(text).not.toContain(SIGNATURE_KEY);
}

const smsBody = JSON.stringify({ to: '+40745123456', text: 'Hello' });

describe('what goes on the wire', () => {
	test('a GET carries the raw secret key as Authorization, under /v1, and gives the parsed JSON', async () => {
		const run = await probe({ method: 'GET', path: '/my-account' });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json.response).toEqual(expect.objectContaining({ credit_balance: expect.any(Number) }));
		const [request] = await logged();
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/my-account');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers['x-client-ip']).toBeUndefined();
		expect(request.rawBody).toBe('');
	});

	test('a POST sends JSON with its content type and the X-Client-IP header when given', async () => {
		const run = await probe({ method: 'POST', path: '/sms/send', body: smsBody, clientIp: '203.0.113.7', sideEffect: 'creates' });

		expect(run.error).toBeUndefined();
		expect(String(run.items[0].json.response && (run.items[0].json.response as { id: string }).id)).toMatch(/^MSG-/);
		const [request] = await logged('/sms/send');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers['x-client-ip']).toBe('203.0.113.7');
		expect(JSON.parse(request.rawBody)).toEqual({ to: '+40745123456', text: 'Hello' });
	});

	test('a Base URL with a trailing slash still lands under /v1', async () => {
		const run = await probe({ method: 'GET', path: '/countries' }, `${sandbox.url}/`);

		expect(run.error).toBeUndefined();
		expect((await logged())[0].path).toBe('/v1/countries');
	});

	test("DELETE's 204 gives no body and no error", async () => {
		const call = await sandbox.api.post('/call', { to: '+40745123456', events: [{ action: 'speak', text: 'Hi' }] });
		const id = (call.json as { id: string }).id;

		const run = await probe({ method: 'DELETE', path: `/call/${id}` });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json.response).toBeNull();
		expect((await logged(`/call/${id}`)).map((r) => [r.method, r.status])).toEqual([['DELETE', 204]]);
	});
});

describe("CheckMobi's error codes become errors that say what to do", () => {
	test('a wrong secret key: error 1 with the fix, and the key is not shown', async () => {
		const run = await runNode({
			nodeType: new TransportProbe(),
			parameters: { method: 'GET', path: '/my-account' },
			credentials: { secretKey: 'WRONG-KEY-0000', baseUrl: sandbox.url },
		});

		expect(run.error?.message).toBe('CheckMobi error 1: Invalid or expired API secret key. [item 0]');
		expect(run.error?.description).toMatch(/Secret Key \(credentials\)/);
		expect(run.error?.httpCode).toBe('401');
		expect(visible(run.error)).not.toContain('WRONG-KEY-0000');
	});

	test.each([
		['an invalid number', { method: 'POST', path: '/sms/send', body: JSON.stringify({ to: '12ab', text: 'x' }) }, 2, /E\.164/],
		['a malformed id', { method: 'GET', path: '/sms/not-an-id' }, 3, /"id" returned/],
		['an unknown validation type', { method: 'POST', path: '/validation/request', body: JSON.stringify({ number: '+40745123456', type: 'fax' }) }, 4, /SMS, IVR or Missed Call/],
		['a missing field', { method: 'POST', path: '/sms/send', body: JSON.stringify({ to: '+40745123456' }) }, 7, /required field/],
		['bad call events', { method: 'POST', path: '/call', body: JSON.stringify({ to: '+40745123456', events: [{ action: 'dance' }] }) }, 10, /call actions/],
		['a blocked destination', { method: 'POST', path: '/sms/send', body: JSON.stringify({ to: '+40745999930', text: 'x' }) }, 13, /block/],
		['no HLR route', { method: 'GET', path: '/lookup/hlr/+5351234567' }, 18, /no HLR route.*Lookup → MNP .*Lookup → Check Format/],
	])('%s gives its error code', async (_label, parameters, code, fix) => {
		const run = await probe(parameters as INodeParameters);

		expect(run.error?.message).toMatch(new RegExp(`^CheckMobi error ${code}: .+ \\[item 0\\]$`));
		expect(run.error?.description).toMatch(fix);
		expect(run.error?.context?.checkMobiCode).toBe(code);
		expect(run.error?.httpCode).toBe('400');
		expectNoSecrets(visible(run.error));
		// A 4xx is the caller's mistake: never retried.
		expect((await logged()).length).toBe(1);
	});

	test('a key that may not run the request: 403, said to be about the key, not retried', async () => {
		await sandbox.control.setConfig({ forbiddenOperations: ['lookup.hlr'] });

		const run = await probe({ method: 'GET', path: '/lookup/hlr/40745123456', sideEffect: 'charges' });

		expect(run.error?.message).toBe('CheckMobi error 11: This operation is currently disabled for your account. [item 0]');
		expect(run.error?.description).toMatch(/^The secret key is not allowed to make this request \(HTTP 403\)\. /);
		expect(run.error?.httpCode).toBe('403');
		expect((await logged()).length).toBe(1);
	});

	test('a well-formed unknown id: 404 with what to check', async () => {
		const run = await probe({ method: 'GET', path: '/sms/MSG-00000000-0000-4000-8000-000000000000' });

		expect(run.error?.httpCode).toBe('404');
		expect(`${run.error?.message} ${run.error?.description}`).toMatch(/ID/);
		expect((await logged()).length).toBe(1);
	});

	test('errors 12 (limits) and 5 (credit) come from the account settings', async () => {
		await sandbox.control.setConfig({ smsPerMinute: 1 });
		await probe({ method: 'POST', path: '/sms/send', body: smsBody });
		const limited = await probe({ method: 'POST', path: '/sms/send', body: smsBody });
		expect(limited.error?.message).toMatch(/^CheckMobi error 12: /);
		expect(limited.error?.description).toMatch(/Pace to Account Limits/);

		await sandbox.control.setConfig({ smsPerMinute: 0, creditBalance: 0 });
		const broke = await probe({ method: 'POST', path: '/sms/send', body: smsBody });
		expect(broke.error?.message).toMatch(/^CheckMobi error 5: /);
		expect(broke.error?.description).toMatch(/Top up/);
	});
});

describe('reads are retried with back-off, and recover from a passing fault', () => {
	test.each(['status', 'html', 'malformed', 'empty', 'reset'] as const)('GET after two %s faults succeeds on the third attempt', async (type) => {
		await sandbox.control.addFault({ type, method: 'GET', path: '/my-account', count: 2 });

		const run = await probe({ method: 'GET', path: '/my-account' });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json.response).toEqual(expect.objectContaining({ credit_balance: expect.any(Number) }));
		const attempts = await logged('/my-account');
		expect(attempts).toHaveLength(3);
		// The pauses between attempts, on the sandbox's clock: the real ones, which n8n runs the node with.
		expect(DEFAULT_TRANSPORT_SETTINGS.retryDelaysMs).toEqual([300, 1_200]);
		expect(attempts[1].time - attempts[0].time).toBeGreaterThanOrEqual(300 - 5);
		expect(attempts[2].time - attempts[1].time).toBeGreaterThanOrEqual(1_200 - 5);
	});

	test('the node as n8n builds it (no constructor argument) pauses as long between attempts', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'GET', path: '/my-account', count: 2 });

		const run = await node(new CheckMobi());

		expect(run.error).toBeUndefined();
		const attempts = await logged('/my-account');
		expect(attempts).toHaveLength(3);
		expect(attempts[1].time - attempts[0].time).toBeGreaterThanOrEqual(300 - 5);
		expect(attempts[2].time - attempts[1].time).toBeGreaterThanOrEqual(1_200 - 5);
	});

	test('a node built with other retry delays uses them: their count bounds the attempts', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'GET', path: '/my-account' });

		const run = await node(new CheckMobi({ retryDelaysMs: [1] }));

		expect(run.error?.message).toMatch(/^CheckMobi failed with HTTP 500/);
		expect(await logged('/my-account')).toHaveLength(2);
	});

	test('a GET that keeps failing stops after 3 attempts with a clear 5xx error', async () => {
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/my-account' });

		const run = await probe({ method: 'GET', path: '/my-account' });

		expect(run.error?.message).toMatch(/^CheckMobi failed with HTTP 503.* \[item 0\]$/);
		expect(run.error?.description).toMatch(/tried 3 times/);
		expect(await logged('/my-account')).toHaveLength(3);
	});

	test('an HTML error page is called a web page, not dumped', async () => {
		await sandbox.control.addFault({ type: 'html', method: 'GET', path: '/my-account' });

		const run = await probe({ method: 'GET', path: '/my-account' });

		expect(run.error?.message).toMatch(/^CheckMobi failed with HTTP 502: a web page instead of JSON \[item 0\]$/);
		expect(run.error?.message).not.toMatch(/<html|<!doctype/i);
	});

	test('a hang-up (DELETE) is retried too', async () => {
		const call = await sandbox.api.post('/call', { to: '+40745123456', events: [{ action: 'speak', text: 'Hi' }] });
		const id = (call.json as { id: string }).id;
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'DELETE', path: '/call/{id}', count: 1 });

		const run = await probe({ method: 'DELETE', path: `/call/${id}` });

		expect(run.error).toBeUndefined();
		expect((await logged(`/call/${id}`)).map((r) => r.status)).toEqual([500, 204]);
	});

	test('a time-out of a read is retried, then reported with the time waited', async () => {
		await sandbox.control.addFault({ type: 'timeout', method: 'GET', path: '/my-account' });

		const run = await probe({ method: 'GET', path: '/my-account', timeout: 400 });

		expect(run.error?.message).toBe('No answer from CheckMobi within 400 ms [item 0]');
		expect(run.error?.description).toMatch(/Timeout option/);
		expect(await logged('/my-account')).toHaveLength(3);
	});

	test('a POST without side effects is retried like a GET', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/checknumber', count: 1 });

		const run = await probe({ method: 'POST', path: '/checknumber', body: JSON.stringify({ number: '+40745123456' }), sideEffect: 'none' });

		expect(run.error).toBeUndefined();
		expect(await logged('/checknumber')).toHaveLength(2);
	});
});

describe('a request that creates something is sent exactly once, whatever the API does', () => {
	test.each([
		['500 after the SMS was sent', { type: 'status', status: 500 }, /^CheckMobi failed with HTTP 500/],
		['503 after the SMS was sent', { type: 'status', status: 503 }, /^CheckMobi failed with HTTP 503/],
		['the connection reset after the SMS was sent', { type: 'reset' }, /^The connection to CheckMobi broke/],
		['garbled JSON after the SMS was sent', { type: 'malformed' }, /^CheckMobi sent a garbled answer instead of JSON/],
		['an empty 200 after the SMS was sent', { type: 'empty' }, /^CheckMobi sent an empty answer instead of JSON/],
		['an HTML page after the SMS was sent', { type: 'html' }, /^CheckMobi failed with HTTP 502: a web page/],
		['a time-out after the SMS was sent', { type: 'timeout' }, /^No answer from CheckMobi within/],
	])('%s', async (_label, fault, message) => {
		await sandbox.control.addFault({ ...(fault as { type: 'status' }), method: 'POST', path: '/sms/send', when: 'after' });

		const run = await probe({ method: 'POST', path: '/sms/send', body: smsBody, timeout: 500, sideEffect: 'creates' });

		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(/may have .*(done the work|received)/);
		expect(run.error?.description).toMatch(/not repeated, so nothing was sent twice/);
		expectNoSecrets(visible(run.error));
		expect(await logged('/sms/send')).toHaveLength(1);
		expect((await sandbox.control.stats()).creates.sms).toBe(1);
	});

	test('a 5xx before any work is not retried either: the client cannot tell it apart', async () => {
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/call', when: 'before', count: 1 });

		const run = await probe({
			method: 'POST',
			path: '/call',
			body: JSON.stringify({ to: '+40745123456', events: [{ action: 'speak', text: 'Hi' }] }),
			sideEffect: 'creates',
		});

		expect(run.error?.message).toMatch(/^CheckMobi failed with HTTP 500/);
		expect(await logged('/call')).toHaveLength(1);
		expect((await sandbox.control.stats()).creates.calls).toBe(0);
	});
});

describe('network faults', () => {
	test('a refused connection names the Base URL and says nothing was sent', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const server = createServer();
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address() as { port: number };
				server.close(() => resolve(port));
			});
		});

		const run = await probe({ method: 'POST', path: '/sms/send', body: smsBody, sideEffect: 'creates' }, `http://127.0.0.1:${closedPort}`);

		expect(run.error?.message).toBe(`Cannot reach CheckMobi at http://127.0.0.1:${closedPort}/v1/sms/send (connection refused) [item 0]`);
		expect(run.error?.description).toMatch(/Base URL/);
		expect(run.error?.description).toMatch(/Nothing was sent/);
		expectNoSecrets(visible(run.error));
	});
});

test("n8n's log of every run above holds neither the secret key nor the signature key", () => {
	const log = readEngineLog();
	expect(log).toContain('Start executing node');
	expectNoSecrets(log);
});
