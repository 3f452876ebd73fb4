/**
 * The Simplify toggle, run by n8n's own engine: Lookup → HLR, MNP and Validate against the
 * CheckMobi sandbox, and the CheckMobi Trigger's split bulk results (the sandbox's own lookup
 * answers, posted signed as a bulk callback). Version 2 simplifies by default; saved workflows of
 * the older versions keep CheckMobi's raw output.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { startTriggerServer, type TriggerServer } from '../helpers/webhook';

const sandbox = useSandbox();

const CONNECTED = '+40745123456';
const ABSENT = '+40745999901';
const INVALID = '+40745999905';
const PORTED = '+40745999906';
const SIMPLE_KEYS = ['number', 'line_status', 'ported', 'current_network', 'country', 'number_type', 'cost'];

const lookup = (operation: 'hlr' | 'mnp' | 'validate', parameters: INodeParameters, input: IDataObject[], typeVersion?: number) =>
	runNode({
		nodeType: new CheckMobi(),
		parameters: { resource: 'lookup', operation, number: '={{ $json.phone }}', ...parameters },
		input,
		typeVersion,
		credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
	});

describe('Lookup → Simplify', () => {
	test('version 2 simplifies HLR by default: the line status of each documented case', async () => {
		const phones = [CONNECTED, ABSENT, INVALID, PORTED].map((phone) => ({ phone }));
		const { items, error } = await lookup('hlr', {}, phones);
		expect(error).toBeUndefined();
		for (const item of items) expect(Object.keys(item.json).sort()).toEqual([...SIMPLE_KEYS].sort());
		expect(items.map((item) => [item.json.number, item.json.line_status, item.json.ported])).toEqual([
			[CONNECTED, 'active', false],
			[ABSENT, 'phone_off', false],
			[INVALID, 'disconnected', null],
			[PORTED, 'active', true],
		]);
		expect(items[3].json).toMatchObject({ country: 'RO', number_type: 'mobile', current_network: expect.any(String) });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	test('the simplified HLR output is CheckMobi\'s answer, reduced', async () => {
		const { items } = await lookup('hlr', {}, [{ phone: PORTED }]);
		const raw = (await sandbox.api.get(`/lookup/hlr/${PORTED.slice(1)}`)).json as IDataObject;
		const current = raw.current_network as IDataObject;
		expect(items[0].json).toEqual({
			number: raw.phone_number,
			line_status: 'active',
			ported: raw.is_ported,
			current_network: current.network_name,
			country: current.country_iso2,
			number_type: raw.number_type,
			cost: raw.cost,
		});
	});

	test('MNP and Validate simplify too; they say nothing about the line', async () => {
		const mnp = await lookup('mnp', {}, [{ phone: PORTED }]);
		expect(mnp.items[0].json).toMatchObject({ number: PORTED, line_status: 'unknown', ported: null, country: 'RO' });
		const validate = await lookup('validate', {}, [{ phone: CONNECTED }]);
		expect(validate.items[0].json).toMatchObject({ number: CONNECTED, line_status: 'unknown', cost: 0, current_network: null, country: 'RO' });
	});

	test('Simplify off gives the raw answer; a saved version-1 node keeps the raw answer without the parameter', async () => {
		const off = await lookup('hlr', { simplify: false }, [{ phone: CONNECTED }]);
		const v1 = await lookup('hlr', {}, [{ phone: CONNECTED }], 1);
		for (const { items } of [off, v1]) {
			expect(items[0].json).toMatchObject({ phone_number: CONNECTED, reachable: 'connected', format: { e164: CONNECTED } });
			expect(items[0].json).not.toHaveProperty('line_status');
		}
		const v1On = await lookup('hlr', { simplify: true }, [{ phone: CONNECTED }], 1);
		expect(v1On.items[0].json).toMatchObject({ number: CONNECTED, line_status: 'active' });
	});
});

describe('CheckMobi Trigger → Simplify (split bulk results)', () => {
	const servers: TriggerServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(async (server) => await server.close()));
	});

	async function deliverBatch(parameters: INodeParameters, typeVersion?: number) {
		const server = await startTriggerServer({
			nodeType: new CheckMobiTrigger(),
			parameters: { events: ['lookup.hlr'], ...parameters },
			credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url } as never,
			typeVersion,
		});
		servers.push(server);
		const results = await Promise.all(
			[CONNECTED, ABSENT].map(async (number) => ({
				original_msisdn: number.slice(1),
				...((await sandbox.api.get(`/lookup/hlr/${number.slice(1)}`)).json as IDataObject),
			})),
		);
		const body = JSON.stringify({ lookup_method: 'hlr', error: null, results });
		const signature = createHmac('sha256', sandbox.signatureKey).update(body).digest('hex');
		const call = await server.post(body, { 'X-CheckMobi-Signature': signature });
		expect(call.answer.status).toBe(200);
		return { items: (call.execution ?? []).map((item) => item.json), results };
	}

	test('version 2 simplifies each result by default, keeping event_type, lookup_method and original_msisdn', async () => {
		const { items } = await deliverBatch({}, 2);
		expect(items).toEqual([
			expect.objectContaining({ event_type: 'lookup.hlr', lookup_method: 'hlr', error: null, number: CONNECTED, original_msisdn: '40745123456', line_status: 'active' }),
			expect.objectContaining({ number: ABSENT, original_msisdn: '40745999901', line_status: 'phone_off' }),
		]);
		expect(items[0]).not.toHaveProperty('reachable');
		expect(items[0]).not.toHaveProperty('format');
	});

	test('off, and on a saved 1.1 trigger, each result is as CheckMobi sent it', async () => {
		for (const run of [await deliverBatch({ simplify: false }, 2), await deliverBatch({}, 1.1)]) {
			expect(run.items).toEqual(run.results.map((result) => expect.objectContaining({ event_type: 'lookup.hlr', ...result })));
		}
	});
});
