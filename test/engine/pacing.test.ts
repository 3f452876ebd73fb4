/**
 * Pacing to the account's per-minute limits and concurrency, on n8n's engine against the
 * sandbox; times are read from the sandbox's request log (its clock), never from sleeps here.
 * The limiter's exact arithmetic is tested on an injected (fake) clock at the end.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MinuteLimiter } from '../../nodes/CheckMobi/helpers/pacing';
import type { LoggedRequestView } from '../../sandbox/client';
import { runCheckMobi } from '../helpers/checkMobi';
import type { OnError } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

const run = (resource: string, operation: string, parameters: INodeParameters, input: IDataObject[], onError: boolean | OnError = false) =>
	runCheckMobi(sandbox, { resource, operation, ...parameters }, input, onError);

const sendSms = (count: number, options: INodeParameters = {}, continueOnFail = false) =>
	run(
		'sms',
		'send',
		{ to: '={{ $json.to }}', text: 'Hello', options },
		Array.from({ length: count }, (_, index) => ({ to: `+4074500${String(index).padStart(4, '0')}` })),
		continueOnFail,
	);

async function log(): Promise<LoggedRequestView[]> {
	return (await sandbox.control.requests()).entries;
}

describe('pacing to the account\'s limits', () => {
	test('reads /my-account once, before the first send; sends up to the limit go out at once', async () => {
		await sandbox.reset({ smsPerMinute: 5 });
		const { items, error } = await sendSms(5, { concurrency: 5 });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		const entries = await log();
		expect(entries.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'GET /v1/my-account',
			...Array(5).fill('POST /v1/sms/send'),
		]);
		const sends = entries.slice(1);
		expect(sends.every((entry) => entry.status === 200)).toBe(true);
		// No waiting below the limit: all five arrived within a second of the sandbox clock.
		expect(sends[4].time - sends[0].time).toBeLessThan(1000);
	});

	test(
		'one more SMS than sms_per_minute waits until the first one\'s minute is over: no error 12',
		async () => {
			await sandbox.reset({ smsPerMinute: 3 });
			const { items, error } = await sendSms(4, { concurrency: 4 });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(items.every((item) => /^MSG-/.test(String(item.json.id)))).toBe(true);

			const entries = await log();
			expect(entries.filter((entry) => entry.path === '/v1/my-account')).toHaveLength(1);
			const sends = entries.filter((entry) => entry.path === '/v1/sms/send');
			expect(sends.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
			const stats = await sandbox.control.stats();
			expect(stats.errorCodes).toEqual({});
			expect(stats.creates.sms).toBe(4);

			// On the sandbox's clock: three at once, the fourth just after the first left the window.
			const firstAnswered = sends[0].time + (sends[0].durationMs ?? 0);
			expect(sends[2].time - sends[0].time).toBeLessThan(1000);
			expect(sends[3].time).toBeGreaterThanOrEqual(firstAnswered + 60_000);
			expect(sends[3].time - sends[0].time).toBeLessThan(60_000 + 3_000);
		},
		90_000,
	);

	test('without pacing no /my-account is read, and the account\'s limit answers error 12', async () => {
		await sandbox.reset({ smsPerMinute: 2 });
		const { items, error } = await sendSms(3, { paceToAccountLimits: false }, true);
		expect(error).toBeUndefined();
		const entries = await log();
		expect(entries.map((entry) => entry.path)).toEqual(['/v1/sms/send', '/v1/sms/send', '/v1/sms/send']);
		expect(items[2]).toEqual({
			json: {
				error: expect.stringMatching(/^CheckMobi error 12: /),
				description: expect.stringContaining('Pace to Account Limits'),
				code: 12,
				httpStatus: 400, failedAt: 'request',
			},
			pairedItem: { item: 2 },
		});
	});

	test('calls are paced to call_per_minute; reads are not paced and read no limits', async () => {
		await sandbox.reset({ callPerMinute: 2 });
		const placed = await run(
			'call',
			'place',
			{ to: '={{ $json.to }}', events: { event: [{ type: 'speak', text: 'Hi' }] } },
			[{ to: '+40745000001' }, { to: '+40745000002' }],
		);
		expect(placed.error).toBeUndefined();
		expect((await log()).map((entry) => entry.path)).toEqual(['/v1/my-account', '/v1/call', '/v1/call']);
		const account = (await sandbox.api.get('/my-account')).json as IDataObject;
		expect(account.call_per_minute).toBe(2);

		const since = (await sandbox.control.requests()).lastSeq;
		const ids = placed.items.map((item) => ({ id: item.json.id }));
		const got = await run('call', 'get', { id: '={{ $json.id }}' }, ids);
		expect(got.items.map((item) => item.json.id)).toEqual(ids.map(({ id }) => id));
		const reads = (await sandbox.control.requests({ since })).entries;
		expect(reads.map((entry) => entry.path)).toEqual(ids.map(({ id }) => `/v1/call/${String(id)}`));
	});

	test('a run of one send reads no limits (one send can never reach them): SMS → Send and Call → Place', async () => {
		await sandbox.reset({ smsPerMinute: 1, callPerMinute: 1 });
		const sms = await sendSms(1);
		expect(sms.error).toBeUndefined();
		const call = await run('call', 'place', { to: '+40745000001', events: { event: [{ type: 'speak', text: 'Hi' }] } }, [{}]);
		expect(call.error).toBeUndefined();
		expect((await log()).map((entry) => entry.path)).toEqual(['/v1/sms/send', '/v1/call']);
		// Items that fail before sending do not count: one good item of three reads no limits either.
		await sandbox.reset({ smsPerMinute: 1 });
		const mixed = await run('sms', 'send', { to: '={{ $json.to }}', text: 'Hi' }, [{ to: 'x' }, { to: '+40745000002' }, { to: '' }], true);
		expect(mixed.items.map((item) => (item.json.error === undefined ? 'sent' : 'error'))).toEqual(['error', 'sent', 'error']);
		expect((await log()).map((entry) => entry.path)).toEqual(['/v1/sms/send']);
	});

	describe('when the limits cannot be read (/my-account fails 3 times)', () => {
		const failReads = async () => {
			await sandbox.control.addFault({ type: 'status', status: 503, method: 'GET', path: '/my-account' });
		};
		const input = [{ to: '+40745000001' }, { to: 'not a number' }, { to: '+40745000003' }];
		const send = (onError: boolean | 'continueErrorOutput') => run('sms', 'send', { to: '={{ $json.to }}', text: 'Hi' }, input, onError);
		const sent = async () => (await log()).filter((entry) => entry.path === '/v1/sms/send');

		test('the run stops with the reason and what to do; nothing is sent', async () => {
			await failReads();
			const { error, items } = await run('sms', 'send', { to: '={{ $json.to }}', text: 'Hi' }, [input[0], input[2]]);
			expect(items).toEqual([]);
			expect(error?.message).toMatch(/^Could not read the account's per-minute limits \(Pace to Account Limits\): CheckMobi failed with HTTP 503.* \[items 0–1\]$/);
			expect(error?.description).toMatch(/^Nothing was sent\. .*turn off Pace to Account Limits/);
			expect((await log()).map((entry) => entry.path)).toEqual(['/v1/my-account', '/v1/my-account', '/v1/my-account']);
		});

		test('Continue (using regular output): every planned item an error item with the reason, paired; never the input as output', async () => {
			await failReads();
			const { error, items } = await send(true);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items.map((item) => String(item.json.error))).toEqual([
				expect.stringMatching(/^Could not read the account's per-minute limits.*\[items 0, 2\]$/),
				expect.stringMatching(/item 1/), // its own error: its number is wrong
				expect.stringMatching(/^Could not read the account's per-minute limits/),
			]);
			expect(items[0].json).toEqual({ error: expect.any(String), description: expect.stringMatching(/^Nothing was sent/), code: null, httpStatus: 503, failedAt: 'request' });
			expect(items.some((item) => item.json.to !== undefined)).toBe(false);
			expect(await sent()).toEqual([]);
		});

		test('Continue (using error output): every item on the error output, nothing on the success output', async () => {
			await failReads();
			const { error, items, errorItems } = await send('continueErrorOutput');
			expect(error).toBeUndefined();
			expect(items).toEqual([]);
			expect(errorItems.map((item) => [item.pairedItem, item.json.details])).toEqual([
				[{ item: 0 }, { description: expect.stringMatching(/^Nothing was sent/), code: null, httpStatus: 503, failedAt: 'request' }],
				[{ item: 1 }, expect.anything()],
				[{ item: 2 }, { description: expect.stringMatching(/^Nothing was sent/), code: null, httpStatus: 503, failedAt: 'request' }],
			]);
			expect(await sent()).toEqual([]);
		});
	});

	test('an account without a limit (0) is not paced', async () => {
		await sandbox.reset({ smsPerMinute: 0 });
		const { items } = await sendSms(8, { concurrency: 8 });
		expect(items).toHaveLength(8);
		const sends = (await log()).filter((entry) => entry.path === '/v1/sms/send');
		expect(sends).toHaveLength(8);
		expect(sends[7].time - sends[0].time).toBeLessThan(1000);
	});
});

describe('concurrency', () => {
	test('10 items with concurrency 5 overlap at most 5 at a time, and keep input order and pairing', async () => {
		// Half of the sends (a fixed pseudo-random half) take 300 ms longer, so answers come back out of order.
		await sandbox.control.addFaults([
			{ type: 'latency', latencyMs: 200, method: 'POST', path: '/sms/send' },
			{ type: 'latency', latencyMs: 300, method: 'POST', path: '/sms/send', rate: 0.5, seed: 7 },
		]);
		const { items, error } = await sendSms(10, { concurrency: 5 });
		expect(error).toBeUndefined();

		const sends = (await log()).filter((entry) => entry.path === '/v1/sms/send');
		expect(sends).toHaveLength(10);
		const spans = sends.map((entry) => ({ from: entry.time, to: entry.time + (entry.durationMs ?? 0) }));
		const inFlightAt = (time: number) => spans.filter((span) => span.from <= time && time < span.to).length;
		const mostInFlight = Math.max(...spans.map((span) => inFlightAt(span.from)));
		expect(mostInFlight).toBe(5);
		// One after the other would take at least 10 × 200 ms on the sandbox's clock.
		const total = Math.max(...spans.map((span) => span.to)) - Math.min(...spans.map((span) => span.from));
		expect(total).toBeLessThan(10 * 200);
		// Answers did come back out of order...
		const finished = [...sends].sort((a, b) => a.time + (a.durationMs ?? 0) - (b.time + (b.durationMs ?? 0)));
		expect(finished.map((entry) => entry.seq)).not.toEqual(sends.map((entry) => entry.seq));
		// ...yet output item i is input item i's SMS.
		expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 10 }, (_, item) => ({ item })));
		for (const [index, item] of items.entries()) {
			const message = await sandbox.control.sms(item.json.id as string);
			expect(message.to).toBe(`+4074500${String(index).padStart(4, '0')}`);
		}
	});
});

describe('MinuteLimiter (injected clock)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
	afterEach(() => jest.useRealTimers());

	/** Whether the promise has settled after letting pending callbacks run. */
	async function settled(promise: Promise<unknown>): Promise<boolean> {
		let done = false;
		void promise.then(() => (done = true));
		await jest.advanceTimersByTimeAsync(0);
		return done;
	}

	test('a place comes free exactly 60 s after the answer of the request that held it', async () => {
		const limiter = new MinuteLimiter(2, () => Date.now());
		const release1 = await limiter.acquire();
		const release2 = await limiter.acquire();
		await jest.advanceTimersByTimeAsync(500);
		release1(); // answered at +500 ms
		await jest.advanceTimersByTimeAsync(250);
		release2(); // answered at +750 ms

		const third = limiter.acquire();
		expect(await settled(third)).toBe(false);
		await jest.advanceTimersByTimeAsync(60_000 - 750 + 500 - 1);
		expect(await settled(third)).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(await settled(third)).toBe(true);
		expect(Date.now()).toBe(1_000_000 + 60_500);

		const fourth = limiter.acquire();
		await jest.advanceTimersByTimeAsync(249);
		expect(await settled(fourth)).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(await settled(fourth)).toBe(true);
		expect(Date.now()).toBe(1_000_000 + 60_750);
	});

	test('a request still waiting for its answer holds its place however long it takes', async () => {
		const limiter = new MinuteLimiter(1, () => Date.now());
		const release = await limiter.acquire();
		const next = limiter.acquire();
		await jest.advanceTimersByTimeAsync(180_000);
		expect(await settled(next)).toBe(false);
		release();
		await jest.advanceTimersByTimeAsync(59_999);
		expect(await settled(next)).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(await settled(next)).toBe(true);
	});

	test('in any 60 s, never more starts than the limit (200 requests, limit 7)', async () => {
		const limiter = new MinuteLimiter(7, () => Date.now());
		const starts: number[] = [];
		const one = async (answerMs: number) => {
			const release = await limiter.acquire();
			starts.push(Date.now());
			await new Promise((resolve) => setTimeout(resolve, answerMs));
			release();
		};
		const all = Promise.all(Array.from({ length: 200 }, (_, index) => one((index * 37) % 900)));
		await jest.advanceTimersByTimeAsync(40 * 60_000);
		await all;
		expect(starts).toHaveLength(200);
		for (const start of starts) {
			expect(starts.filter((other) => other > start - 60_000 && other <= start).length).toBeLessThanOrEqual(7);
		}
		// And it does not wait longer than needed: 200 / 7 → 29 windows.
		expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(29 * 61_000);
	});

	test('releasing twice frees one place, not two', async () => {
		const limiter = new MinuteLimiter(1, () => Date.now());
		const release = await limiter.acquire();
		release();
		release();
		const next = limiter.acquire();
		await jest.advanceTimersByTimeAsync(30_000);
		expect(await settled(next)).toBe(false);
	});

	test('a limit of 0 means no limit', async () => {
		const limiter = new MinuteLimiter(0, () => Date.now());
		for (let i = 0; i < 100; i++) await limiter.acquire();
		expect(Date.now()).toBe(1_000_000);
	});
});
