/**
 * The Default Country option, run by n8n's own engine against the CheckMobi sandbox: national
 * numbers from the data go to CheckMobi in E.164 (single operations and bulk lookups), and
 * without the option they are refused before anything is sent, with an error that names it.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { runCheckMobi } from '../helpers/checkMobi';
import { runNode } from '../helpers/engine';
import type { Receiver } from '../helpers/sandbox';
import { startReceiver, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ config: { bulkBatchDelayMs: 3_600_000 } });

// The bulk lookups' callback: started by the first bulk test.
let receiver: Receiver | undefined;
afterAll(async () => await receiver?.close());

describe('single operations', () => {
	test('Lookup → HLR reads "0745 123 456" with Default Country Romania as +40745123456', async () => {
		const { items, error } = await runCheckMobi(sandbox, {
			resource: 'lookup',
			operation: 'hlr',
			number: '={{ $json.phone }}',
			options: { defaultCountry: 'RO' },
		}, [{ phone: '0745 123 456' }, { phone: '+44 7700 900123' }]);
		expect(error).toBeUndefined();
		const requests = await sandbox.received();
		expect(requests.map((request) => request.path)).toEqual(['/v1/lookup/hlr/40745123456', '/v1/lookup/hlr/447700900123']);
		expect(items.map((item) => item.json.number)).toEqual(['+40745123456', '+447700900123']);
	});

	test('SMS → Send reads a US national number (without its trunk 1, which old code took for a calling code)', async () => {
		const { error } = await runCheckMobi(sandbox, {
			resource: 'sms',
			operation: 'send',
			to: '(415) 555-2671',
			text: 'Hello',
			options: { defaultCountry: 'US' },
		});
		expect(error).toBeUndefined();
		const [request] = await sandbox.received('/sms/send');
		expect(request.json).toMatchObject({ to: '+14155552671' });
	});

	test('Call → Place reads both To and From through the Default Country (Italy keeps its 0)', async () => {
		const { error } = await runCheckMobi(sandbox, {
			resource: 'call',
			operation: 'place',
			to: '347 123 4567',
			eventsMode: 'fields',
			events: { event: [{ type: 'speak', text: 'Hello' }] },
			options: { defaultCountry: 'IT', from: '06 1234 5678' },
		});
		expect(error).toBeUndefined();
		const [request] = await sandbox.received('/call');
		expect(request.json).toMatchObject({ to: '+393471234567', from: '+390612345678' });
	});

	test('without the option a national number is refused before any request, and the error names the option', async () => {
		const { error } = await runCheckMobi(sandbox, { resource: 'lookup', operation: 'hlr', number: '0745 123 456' });
		expect(error?.message).toContain('"Phone Number"');
		expect(error?.description).toMatch(/Default Country option/);
		expect(await sandbox.received()).toHaveLength(0);
	});
});

describe('bulk lookups', () => {
	const bulk = async (options: INodeParameters, input: IDataObject[]) => {
		receiver ??= await startReceiver();
		return await runNode({
			nodeType: new CheckMobi(),
			parameters: {
				resource: 'lookup',
				operation: 'hlrBulk',
				notificationCallback: receiver.url,
				number: '={{ $json.phone }}',
				options,
			},
			input,
			credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		});
	};
	const phones = [{ phone: '0745 123 456' }, { phone: '+40 745 123 456' }, { phone: '0745-123-457' }, { phone: '+44 7700 900123' }];

	test('national numbers are read through the Default Country, so a number typed both ways is looked up once', async () => {
		const { items, error } = await bulk({ defaultCountry: 'RO' }, phones);
		expect(error).toBeUndefined();
		const [request] = await sandbox.received('/lookup/hlr');
		expect((request.json as { numbers: string[] }).numbers).toEqual(['+40745123456', '+40745123457', '+447700900123']);
		expect(items[0].json).toMatchObject({ accepted_count: 3, rejected_count: 0, duplicates_skipped: 1 });
	});

	test('As Given still sends national numbers in E.164 (CheckMobi cannot tell their country), international ones as typed', async () => {
		const { error } = await bulk({ defaultCountry: 'RO', numberFormat: 'asGiven' }, phones);
		expect(error).toBeUndefined();
		const [request] = await sandbox.received('/lookup/hlr');
		expect((request.json as { numbers: string[] }).numbers).toEqual([
			'+40745123456',
			'+40 745 123 456',
			'+40745123457',
			'+44 7700 900123',
		]);
	});

	test('without the option and with Invalid Numbers "Fail the Item", the error names the option', async () => {
		const { error } = await bulk({ invalidNumbers: 'fail' }, phones);
		expect(error?.description).toMatch(/Default Country option/);
		expect(await sandbox.received('/lookup/hlr')).toHaveLength(0);
	});
});
