/**
 * Number → Get Validation Methods, run by n8n's own engine against the CheckMobi sandbox: what the sandbox
 * received and what the node output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runCheckMobi } from '../helpers/checkMobi';
import { useSandbox } from '../helpers/sandbox';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const sandbox = useSandbox();

const check = (parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) =>
	runCheckMobi(sandbox, { resource: 'number', operation: 'check', ...parameters }, input, continueOnFail);

const received = () => sandbox.received();

describe('Number → Get Validation Methods', () => {
	test('POSTs the number in E.164 to /checknumber and outputs CheckMobi\'s answer as is', async () => {
		const { items, error } = await check({ number: '0040 745 123 456' });
		expect(error).toBeUndefined();

		const requests = await received();
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/checknumber');
		expect(request.headers.authorization).toBe(LOGGED_SECRET_KEY);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers).not.toHaveProperty('x-client-ip');
		expect(request.rawBody).toBe('{"number":"+40745123456"}');

		expect(items).toEqual([
			{
				json: {
					country_code: '40',
					country_iso_code: 'RO',
					carrier: expect.any(String),
					is_mobile: true,
					e164_format: '+40745123456',
					formatting: expect.any(String),
					validation_methods: {
						sms: { available: true, min_rate: expect.any(Number), max_rate: expect.any(Number) },
						ivr: { available: true, min_rate: expect.any(Number), max_rate: expect.any(Number), estimation_cost: expect.any(Number) },
						reverse_cli: { available: true, min_rate: expect.any(Number), max_rate: expect.any(Number), estimation_cost: expect.any(Number) },
						cli: { available: false, local_number: false },
					},
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('expressions per item: each number checked, output in input order and paired', async () => {
		const input = [{ phone: '+40745999931' }, { phone: '+40 21 123 4567' }, { phone: '+447700900123' }];
		const { items, error } = await check({ number: '={{ $json.phone }}', options: { concurrency: 3 } }, input);
		expect(error).toBeUndefined();
		expect((await received()).map((request) => (request.json as IDataObject).number).sort()).toEqual(
			['+40745999931', '+40211234567', '+447700900123'].sort(),
		);
		expect(
			items.map((item) => {
				const methods = item.json.validation_methods as Record<string, IDataObject>;
				return [item.json.e164_format, item.json.is_mobile, methods.sms.available, methods.reverse_cli.available, item.pairedItem];
			}),
		).toEqual([
			// A number that cannot get a missed call; a landline (no SMS, no missed call); a UK mobile.
			['+40745999931', true, true, false, { item: 0 }],
			['+40211234567', false, false, false, { item: 1 }],
			['+447700900123', true, true, true, { item: 2 }],
		]);
	});

	test.each<[string, unknown, RegExp]>([
		['a national number', '0745 123 456', /country code/],
		['letters', '+40 745 ABC 456', /only digits/],
		['too many digits', '+40 745 123 456 789 01', /more than the 15/],
		['nothing', '={{ $json.missing }}', /not text/],
	])('%s stops the run before any request', async (_name, number, problem) => {
		const { items, error } = await check({ number: number as string });
		expect(error?.message).toMatch(/^Invalid phone number in "Phone Number": .* \[item 0\]$/);
		expect(error?.description).toMatch(problem);
		expect(items).toEqual([]);
		expect(await received()).toEqual([]);
	});

	test('Continue On Fail: bad input and CheckMobi error 2 become error items; the others are checked', async () => {
		const input = [{ phone: '+40745000001' }, { phone: '0745 000 002' }, { phone: '+999123456' }, { phone: '+40745000004' }];
		const { items, error } = await check({ number: '={{ $json.phone }}' }, input, true);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json).toMatchObject({ e164_format: '+40745000001' });
		expect(items[1].json).toEqual({
			error: 'Invalid phone number in "Phone Number": "0745 000 002" [item 1]',
			description: expect.stringMatching(/national number without its country code/),
			code: null,
			httpStatus: null, failedAt: 'input',
		});
		// The node cannot know every country's numbering: CheckMobi says it with error 2.
		expect(items[2].json).toEqual({
			error: expect.stringMatching(/^CheckMobi error 2: .*\[item 2\]$/),
			description: expect.stringMatching(/^Field: phone number\. .*E\.164/),
			code: 2,
			httpStatus: 400, failedAt: 'request',
		});
		expect(items[3].json).toMatchObject({ e164_format: '+40745000004' });
		expect(await received()).toHaveLength(3);
	});

	test('a pure read: repeated after a server fault or a lost answer', async () => {
		await sandbox.control.addFaults([
			{ type: 'status', status: 503, method: 'POST', path: '/checknumber', count: 1 },
			{ type: 'reset', method: 'POST', path: '/checknumber', when: 'after', count: 1 },
		]);
		const { items, error } = await check({ number: '+40745123456' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ e164_format: '+40745123456' });
		expect((await received()).map((request) => request.status)).toEqual([503, null, 200]);
	});

	test('the Timeout option bounds each attempt; a slow answer is asked again', async () => {
		await sandbox.control.addFault({ type: 'latency', latencyMs: 600, method: 'POST', path: '/checknumber', count: 1 });
		const { items, error } = await check({ number: '+40745123456', options: { timeout: 250 } });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ e164_format: '+40745123456' });
		expect(await received()).toHaveLength(2);
	});
});
