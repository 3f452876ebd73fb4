/**
 * The secret key stays with CheckMobi, in n8n's engine: a Base URL that redirects does not hand
 * the key to the other host, a Base URL off CheckMobi and this machine is refused before any
 * request, Timeout is a deadline for the whole answer, answers are capped in size, and a cancelled
 * execution tries nothing more. The hostile servers are tiny HTTP servers on loopback.
 */
import type http from 'node:http';

import type { INodeParameters } from 'n8n-workflow';

import { CheckMobiApi } from '../../credentials/CheckMobiApi.credentials';
import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { readEngineLog, runNode, type RunNodeOptions } from '../helpers/engine';
import { okJson, redirectingServer, tinyServer, type TinyServer } from '../helpers/hostileServers';
import { useSandbox } from '../helpers/sandbox';
import { TransportProbe } from '../helpers/transportProbe';
import { startTriggerServer } from '../helpers/webhook';

const SECRET_KEY = 'KEY-7F3A9C1E-0000-4000-8000-00000000C0DE';

const accountGet = { resource: 'account', operation: 'get' };
// Not paced: the SMS request itself is what meets the hostile server (no account read first).
const smsSend = { resource: 'sms', operation: 'send', to: '+40745123456', text: 'Hello', options: { paceToAccountLimits: false } };

async function runWith(baseUrl: string, parameters: INodeParameters, continueOnFail = false, settings: Pick<RunNodeOptions, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'> = {}) {
	return await runNode({ nodeType: new CheckMobi(), parameters, credentials: { secretKey: SECRET_KEY, signatureKey: '', baseUrl }, continueOnFail, ...settings });
}

function visible(error: unknown): string {
	const { message, description } = error as { message: string; description?: string };
	return `${message}\n${description ?? ''}\n${JSON.stringify(error)}`;
}

describe('a Base URL that redirects: the other host receives nothing', () => {
	let other: TinyServer;
	let redirector: TinyServer;
	let status = 302;

	beforeAll(async () => {
		other = await tinyServer(okJson);
		redirector = await redirectingServer(other.url, () => status);
	});
	afterAll(async () => {
		await other.close();
		await redirector.close();
	});
	beforeEach(() => {
		other.seen.length = 0;
		redirector.seen.length = 0;
	});

	test.each([
		[302, 'Account → Get', accountGet, 'GET'],
		[307, 'Account → Get', accountGet, 'GET'],
		[302, 'SMS → Send', smsSend, 'POST'],
		[307, 'SMS → Send', smsSend, 'POST'],
	])('%i on %s: not followed, an error naming the target host, tried once', async (code, _name, parameters, method) => {
		status = code;
		const run = await runWith(redirector.url, parameters);

		expect(run.error?.message).toBe(`CheckMobi answered with a redirect (HTTP ${code}) to ${other.host}: not followed [item 0]`);
		expect(run.error?.description).toMatch(/check the Base URL/i);
		expect(visible(run.error)).not.toContain(SECRET_KEY);
		expect(other.seen).toEqual([]);
		expect(redirector.seen.map((r) => r.method)).toEqual([method]);
	});

	test('with Continue On Fail the redirect is an error item, not a sent SMS', async () => {
		status = 302;
		const run = await runWith(redirector.url, smsSend, true);

		expect(run.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ error: `CheckMobi answered with a redirect (HTTP 302) to ${other.host}: not followed [item 0]`, httpStatus: 302 }),
		]);
		expect(other.seen).toEqual([]);
	});
});

describe('the credentials send the key only to the Base URL, never along a redirect', () => {
	const authenticate = async (baseUrl: string, options: { url: string; baseURL?: string }) =>
		await new CheckMobiApi().authenticate({ secretKey: SECRET_KEY, baseUrl }, { method: 'GET', ...options });

	test('a request to the Base URL gets the key and n8n\'s switches that stop redirects and cross-origin credentials', async () => {
		expect(await authenticate('http://127.0.0.1:4010', { baseURL: 'http://127.0.0.1:4010/v1', url: '/my-account' })).toEqual(
			expect.objectContaining({
				headers: { Authorization: SECRET_KEY },
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			}),
		);
	});

	test.each([
		['another host (an HTTP Request node using these credentials)', 'https://api.checkmobi.com', { url: 'https://collector.example/steal' }, /not to collector\.example/],
		['a Base URL off CheckMobi', 'https://collector.example', { baseURL: 'https://collector.example/v1', url: '/my-account' }, /host "collector\.example" is neither CheckMobi nor this machine/],
		['plain http to CheckMobi', 'http://api.checkmobi.com', { baseURL: 'http://api.checkmobi.com/v1', url: '/my-account' }, /unencrypted/],
	])('%s: refused with no key', async (_name, baseUrl, options, problem) => {
		await expect(authenticate(baseUrl, options)).rejects.toThrow(problem);
		await expect(authenticate(baseUrl, options)).rejects.not.toThrow(SECRET_KEY);
	});

	test("the Test button's request asks n8n not to follow redirects and reads a redirect as a clear failure", () => {
		const { test: credentialTest } = new CheckMobiApi();
		expect(credentialTest.request).toMatchObject({ url: '/my-account', method: 'GET', disableFollowRedirect: true });
		expect(credentialTest.rules?.map((rule) => rule.properties.value)).toEqual([301, 302, 303, 307, 308]);
	});
});

describe('a Base URL off CheckMobi and this machine is refused before any request', () => {
	let listener: TinyServer;
	beforeAll(async () => {
		listener = await tinyServer(okJson);
	});
	afterAll(async () => await listener.close());
	beforeEach(() => {
		listener.seen.length = 0;
	});

	test.each([
		['another host', () => 'https://192.0.2.10:4010', /host "192\.0\.2\.10:4010" is neither CheckMobi nor this machine/],
		['CheckMobi over plain http', () => 'http://api.checkmobi.com', /unencrypted/],
		['a path that turns the node into a request to another service', () => `${listener.url}/internal/admin`, /has the path "\/internal\/admin"/],
		['a query', () => `${listener.url}/?token=1`, /query or fragment/],
		['a fragment', () => `${listener.url}/#x`, /query or fragment/],
		['a user name and password', () => listener.url.replace('http://', 'http://admin:hunter2@'), /user name or password/],
	])('%s', async (_name, baseUrl, problem) => {
		for (const parameters of [accountGet, smsSend]) {
			const run = await runWith(baseUrl(), parameters);
			expect(run.error?.message).toMatch(/^Base URL not allowed: /);
			expect(run.error?.message).toMatch(problem);
			expect(run.error?.message).toMatch(/Nothing was sent\.$/);
			expect(run.error?.description).toMatch(/must be https:\/\/api\.checkmobi\.com or a CheckMobi sandbox on this machine/);
			expect(visible(run.error)).not.toContain('hunter2');
		}
		expect(listener.seen).toEqual([]);
	});

	test('the CheckMobi Trigger refuses to activate with such credentials', async () => {
		const trigger = await startTriggerServer({
			nodeType: new CheckMobiTrigger(),
			parameters: { events: ['sms.status'] },
			credentials: { secretKey: SECRET_KEY, signatureKey: 'SIG', baseUrl: 'https://collector.example' },
		});
		try {
			await expect(trigger.activate()).rejects.toThrow('Base URL not allowed in the CheckMobi API credentials');
		} finally {
			await trigger.close();
		}
	});
});

/** Sends headers at once, then one byte every `everyMs`, ending after `totalMs` (so the old code ends too). */
function dripFeed(everyMs: number, totalMs: number) {
	return (_req: http.IncomingMessage, res: http.ServerResponse) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.write('{"id": "MSG-1", "padding": "');
		const started = Date.now();
		const timer = setInterval(() => {
			if (res.destroyed) return clearInterval(timer);
			if (Date.now() - started > totalMs) {
				clearInterval(timer);
				res.end('"}');
			} else res.write('x');
		}, everyMs);
		res.on('close', () => clearInterval(timer));
	};
}

describe('Timeout is a deadline for the whole answer, and answers are capped', () => {
	let drip: TinyServer;
	let huge: TinyServer;
	beforeAll(async () => {
		drip = await tinyServer(dripFeed(200, 8_000));
		huge = await tinyServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			const chunk = Buffer.alloc(256 * 1024, 'x');
			res.write('{"padding": "');
			let sent = 0;
			const more = () => {
				while (sent < 24 && res.write(chunk)) sent++;
				if (sent >= 24) res.end('"}');
				else res.once('drain', more);
			};
			more();
		});
	});
	afterAll(async () => {
		await drip.close();
		await huge.close();
	});
	beforeEach(() => {
		drip.seen.length = 0;
		huge.seen.length = 0;
	});

	test('a server that drips its answer ends in a deadline error within Timeout + 1 s; an SMS is not sent again', async () => {
		const started = Date.now();
		const run = await runWith(drip.url, { ...smsSend, options: { ...smsSend.options, timeout: 1500 } });
		const elapsed = Date.now() - started;

		expect(run.error?.message).toBe('No answer from CheckMobi within 1.5 s [item 0]');
		expect(run.error?.description).toMatch(/may have received the request/);
		expect(elapsed).toBeLessThan(2_500);
		expect(drip.seen).toHaveLength(1);
	});

	test('a read that drips is tried 3 times, each attempt cut at its deadline', async () => {
		const started = Date.now();
		const run = await runWith(drip.url, { ...accountGet, options: { timeout: 1000 } });
		const elapsed = Date.now() - started;

		expect(run.error?.message).toBe('No answer from CheckMobi within 1 s [item 0]');
		expect(drip.seen).toHaveLength(3);
		// 3 deadlines of 1 s, 0.3 s + 1.2 s of back-off, and at most 1 s more in all.
		expect(elapsed).toBeLessThan(3 * 1_000 + 1_500 + 1_000);
	});

	test.each([
		['SMS → Send', smsSend],
		['Account → Get', accountGet],
	])('%s: an answer over 4 MB is an error, and is not asked for again', async (_name, parameters) => {
		const run = await runWith(huge.url, parameters);

		expect(run.error?.message).toBe('The answer from CheckMobi is larger than 4 MB: not read [item 0]');
		expect(run.error?.description).toMatch(/did not come from CheckMobi: check the Base URL/);
		expect(huge.seen).toHaveLength(1);
	});

	test.each([
		['an answer over 4 MB', () => huge],
		['a dripping answer', () => drip],
	])("Retry On Fail: after %s, n8n's next tries of the node do not send the SMS again", async (_name, server) => {
		const run = await runWith(server().url, { ...smsSend, options: { ...smsSend.options, timeout: 1000 } }, false, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 });

		expect(run.error?.description).toMatch(/may have received the request/);
		expect(server().seen).toHaveLength(1);
	});
});

describe('a cancelled execution tries nothing more', () => {
	const sandbox = useSandbox();

	test('a read failing with 5xx is not tried again once the execution is cancelled', async () => {
		await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/my-account' });
		const stop = new AbortController();
		const running = runNode({
			nodeType: new TransportProbe(),
			parameters: { method: 'GET', path: '/my-account' },
			credentials: { secretKey: sandbox.secretKey, signatureKey: '', baseUrl: sandbox.url },
			cancelSignal: stop.signal,
		});
		// Cancel as soon as the first attempt has been answered, during the pause before the second.
		for (let waited = 0; !(await sandbox.received('/my-account')).some((entry) => entry.status !== null); waited += 20) {
			if (waited > 10_000) throw new Error('the first attempt never arrived');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		stop.abort();
		const run = await running;

		// The error is CheckMobi's answer (or, had the cancel caught the answer on its way, says so):
		// no attempt was begun after the cancel. Such an attempt n8n aborts unsent, and the run ended
		// with "The connection to CheckMobi broke (err_canceled)" after both back-off pauses.
		expect(run.error?.message).toMatch(/^(CheckMobi failed with HTTP 503|The execution was cancelled before CheckMobi answered) \[item 0\]$/);
		expect(await sandbox.received('/my-account')).toHaveLength(1);
	});
});

test("n8n's log of every run above holds no secret key", () => {
	expect(readEngineLog()).not.toContain(SECRET_KEY);
	expect(readEngineLog()).not.toContain('hunter2');
});
