/**
 * Every operation of the CheckMobi node inside a real n8n (2.41.1, the package loaded as a
 * community package): one workflow, one `n8n execute-batch` run. n8n applies the credential and
 * evaluates the expressions with its own engine; the sandbox records what arrived.
 */
import { randomUUID } from 'node:crypto';

import type { INode, INodeParameters, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { resources as registry } from '../../nodes/CheckMobi/actions/registry';
import { isWaitOperation } from '../../nodes/CheckMobi/actions/wait/types';
import { startSandbox, type Sandbox } from '../../sandbox';
import type { LoggedRequestView } from '../../sandbox/client';
import { exampleCredentials } from '../../scripts/lib/examples';
import { N8nInstance, provisionN8n, type BatchRun, type N8nRun } from '../../scripts/lib/n8n';
import { startReceiver, type Receiver } from '../helpers/sandbox';
import { jsonOf, N8N_STEP_TIMEOUT_MS, PROVISION_TIMEOUT_MS, Timings, withN8nLog } from './support';
import { CALLBACK_REACH_WORKFLOW_ID, callbackReachWorkflow, LIVE_CREDENTIAL, OPERATIONS_WORKFLOW_ID, OPS, operationsWorkflow, REACH } from './workflows';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

const timings = new Timings();
let sandbox: Sandbox;
let receiver: Receiver;
let n8n: N8nInstance;
let batch: BatchRun;
let run: N8nRun;
/** The run of callbackReachWorkflow (Base URL: the real service). */
let reach: N8nRun;
let requests: LoggedRequestView[];

beforeAll(async () => {
	const runtime = await timings.time('provision (or reuse)', async () => await provisionN8n());
	// Keys of this run only: whatever carries them got them from n8n's credential.
	sandbox = await startSandbox({ port: 0, secretKey: randomUUID().toUpperCase(), signatureKey: randomUUID().toUpperCase() });
	receiver = await startReceiver();
	n8n = await N8nInstance.create({ runtime });
	await withN8nLog(n8n, async () => {
		await timings.time('import credential + workflow (with migrations)', async () => {
			await n8n.importCredentials([...exampleCredentials(sandbox, randomUUID()), LIVE_CREDENTIAL]);
			await n8n.importWorkflows([operationsWorkflow({ sandboxUrl: sandbox.url, bulkCallbackUrl: receiver.url }), callbackReachWorkflow()]);
		});
		const result = await timings.time('execute-batch (every operation)', async () => await n8n.executeBatch([OPERATIONS_WORKFLOW_ID, CALLBACK_REACH_WORKFLOW_ID]));
		batch = result.runs.get(OPERATIONS_WORKFLOW_ID)!;
		if (!batch.ok || !batch.run) throw new Error(`the operations workflow failed: ${batch.status} ${batch.error ?? ''}`);
		run = batch.run;
		const reachBatch = result.runs.get(CALLBACK_REACH_WORKFLOW_ID)!;
		if (!reachBatch.ok || !reachBatch.run) throw new Error(`the callback workflow failed: ${reachBatch.status} ${reachBatch.error ?? ''}`);
		reach = reachBatch.run;
		requests = (await sandbox.control.requests({ path: '/v1/**' })).entries;
	});
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.dispose();
	await receiver?.close();
	await sandbox?.close();
	timings.report('e2e operations');
}, 60_000);

/** The requests the sandbox got for an endpoint such as "POST /v1/sms/send". */
function received(endpoint: string): LoggedRequestView[] {
	return requests.filter((r) => r.endpoint === endpoint);
}

function only(endpoint: string, predicate: (r: LoggedRequestView) => boolean = () => true): LoggedRequestView {
	const matching = received(endpoint).filter(predicate);
	if (matching.length !== 1) throw new Error(`expected one ${endpoint}, got ${matching.length}: ${JSON.stringify(requests.map((r) => r.endpoint))}`);
	return matching[0];
}

describe('every operation of the CheckMobi node, run by a real n8n', () => {
	it('the workflow covers every resource and operation the node offers', () => {
		const description = new CheckMobi().description;
		const resources = (description.properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]).map((o) => String(o.value));
		// Once each: a resource may list its operations twice, for the action node and for the AI tool.
		const offered = [
			...new Set(
				description.properties
					.filter((p) => p.name === 'operation')
					.flatMap((p) => {
						const resource = (p.displayOptions!.show!.resource as string[])[0];
						return (p.options as INodePropertyOptions[]).map((o) => `${resource}:${String(o.value)}`);
					}),
			),
		];
		expect(new Set(offered.map((o) => o.split(':')[0]))).toEqual(new Set(resources));
		// The operations that wait for a callback cannot finish in `n8n execute-batch`: test/e2e/sendAndWait.test.ts runs them.
		const waiting = offered.filter((o) => {
			const [resource, operation] = o.split(':');
			return isWaitOperation(registry[resource][operation]);
		});
		expect(waiting.sort()).toEqual(['call:placeAndWaitForEnd', 'sms:sendAndWaitForDelivery', 'validation:requestAndWaitForVerification']);
		const ran = new Set<string>();
		for (const wfNode of operationsWorkflow({ sandboxUrl: 'x', bulkCallbackUrl: 'x' }).nodes) {
			if (wfNode.type !== 'n8n-nodes-checkmobi.checkMobi') continue;
			expect(run.data.resultData.runData[wfNode.name]).toHaveLength(1); // every CheckMobi node ran, once
			ran.add(`${String(wfNode.parameters.resource)}:${String(wfNode.parameters.operation)}`);
		}
		expect([...ran].sort()).toEqual(offered.filter((o) => !waiting.includes(o)).sort());
		expect(offered).toHaveLength(21); // 18 run here (+ the three validation types = 20 operation variants) and 3 that wait
	});

	it('the credential is applied by n8n: every request carries the secret key as Authorization', () => {
		expect(requests.length).toBeGreaterThanOrEqual(20);
		for (const request of requests.filter((r) => r.endpoint !== 'GET /v1/countries')) {
			expect({ endpoint: request.endpoint, authorization: request.headers.authorization }).toEqual({ endpoint: request.endpoint, authorization: LOGGED_SECRET_KEY });
		}
		expect(JSON.stringify(run)).not.toContain(sandbox.secretKey);
		expect(JSON.stringify(run)).not.toContain(sandbox.signatureKey);
	});

	it('Account → Get', () => {
		// Account → Get, and the two sends of "SMS Send Error Output" reading the limits to pace themselves;
		// a single SMS → Send or Call → Place cannot reach a per-minute limit and reads none.
		expect(received('GET /v1/my-account')).toHaveLength(2);
		expect(jsonOf(run, 'Account Get')).toEqual([expect.objectContaining({ email: 'developer@sandbox.invalid', credit_balance: expect.any(Number) })]);
	});

	it('Validation → Request (SMS, IVR, missed call), Verify with the PIN from the inbox, Get Status', async () => {
		const sms = only('POST /v1/validation/request', (r) => (r.json as { number: string }).number === OPS.smsValidation);
		expect(sms.json).toEqual({ type: 'sms', number: OPS.smsValidation, platform: 'web' });
		expect(sms.headers['x-client-ip']).toBe(OPS.clientIp);
		expect(only('POST /v1/validation/request', (r) => (r.json as { number: string }).number === OPS.ivrValidation).json).toEqual({ type: 'ivr', number: OPS.ivrValidation });
		expect(only('POST /v1/validation/request', (r) => (r.json as { number: string }).number === OPS.missedCallValidation).json).toEqual({
			type: 'reverse_cli',
			number: OPS.missedCallValidation,
		});

		const [requested] = jsonOf(run, 'Validation Request SMS');
		expect(requested).toMatchObject({ id: expect.stringMatching(/^SMS-/), type: 'sms' });
		expect(jsonOf(run, 'Validation Request IVR')[0]).toMatchObject({ id: expect.stringMatching(/^IVR-/), type: 'ivr' });
		expect(jsonOf(run, 'Validation Request Missed Call')[0]).toMatchObject({ type: 'reverse_cli', pin_hash: expect.stringMatching(/^[0-9a-f]{40}$/), cli_prefix: expect.any(String) });

		const pin = (await sandbox.control.validation(requested.id as string)).pin;
		expect(only('POST /v1/validation/verify').json).toEqual({ id: requested.id, pin });
		expect(jsonOf(run, 'Validation Verify')).toEqual([expect.objectContaining({ id: requested.id, number: OPS.smsValidation, validated: true })]);
		expect(only('GET /v1/validation/status/{id}').path).toBe(`/v1/validation/status/${String(requested.id)}`);
		expect(jsonOf(run, 'Validation Get Status')).toEqual([expect.objectContaining({ id: requested.id, validated: true })]);
	});

	it('Validation → Get Remote Config', () => {
		expect(only('POST /v1/validation/remote-config').json).toEqual({ number: OPS.smsValidation, platform: 'android' });
		expect(jsonOf(run, 'Validation Get Remote Config')[0].settings).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'sms' })]));
	});

	it('SMS → Send (text from expressions) and Get', () => {
		const sent = only('POST /v1/sms/send', (r) => (r.json as { to: string }).to === OPS.smsTo);
		expect(sent.json).toEqual({ to: OPS.smsTo, text: 'Hello Ana, your code is 1234', from: 'Shop' });
		expect(sent.headers['x-client-ip']).toBe(OPS.clientIp);
		const [message] = jsonOf(run, 'SMS Send');
		expect(message).toMatchObject({ id: expect.stringMatching(/^MSG-/), number_info: expect.objectContaining({ e164_format: OPS.smsTo }) });
		expect(only('GET /v1/sms/{id}').path).toBe(`/v1/sms/${String(message.id)}`);
		expect(jsonOf(run, 'SMS Get')).toEqual([expect.objectContaining({ id: message.id, to: OPS.smsTo })]);
	});

	it('Call → Place (actions from fields and expressions), Get, Hang Up', async () => {
		const placed = only('POST /v1/call');
		expect(placed.json).toMatchObject({
			to: OPS.callTo,
			ring_timeout: 30,
			events: [{ action: 'speak', text: 'Hello Ana', loop: 1, voice: 'WOMAN', language: 'en-US' }, { action: 'hangup' }],
		});
		const [call] = jsonOf(run, 'Call Place');
		expect(call.id).toMatch(/^CAL-/);
		expect(only('GET /v1/call/{id}').path).toBe(`/v1/call/${String(call.id)}`);
		expect(jsonOf(run, 'Call Get')).toEqual([expect.objectContaining({ id: call.id, to: OPS.callTo })]);
		expect(only('DELETE /v1/call/{id}').path).toBe(`/v1/call/${String(call.id)}`);
		expect(jsonOf(run, 'Call Hang Up')).toEqual([{ id: call.id, hungUp: true }]);
		expect((await sandbox.control.call(call.id as string)).to).toBe(OPS.callTo);
	});

	it('Lookup → Check Format, HLR, MNP', () => {
		const encoded = [OPS.lookup, encodeURIComponent(OPS.lookup), OPS.lookup.slice(1)];
		for (const method of ['verify', 'hlr', 'mnp']) {
			const lookup = only('GET /v1/lookup/{method}/{number}', (r) => r.path.startsWith(`/v1/lookup/${method}/`));
			expect(encoded).toContain(lookup.path.split('/').pop());
		}
		expect(jsonOf(run, 'Lookup Validate')[0]).toMatchObject({ cost: 0 });
		expect(jsonOf(run, 'Lookup HLR')[0]).toMatchObject({ is_ported: true, reachable: 'connected' });
		expect(jsonOf(run, 'Lookup MNP')[0]).toMatchObject({ number_type: 'mobile', current_network: expect.objectContaining({ network_name: expect.any(String) }) });
	});

	it('Lookup → HLR Bulk and MNP Bulk (numbers from a list, results to the notification callback)', async () => {
		expect(only('POST /v1/lookup/{method}', (r) => r.path === '/v1/lookup/hlr').json).toEqual({ numbers: [...OPS.bulk], notification_callback: receiver.url });
		expect(only('POST /v1/lookup/{method}', (r) => r.path === '/v1/lookup/mnp').json).toEqual({ numbers: [...OPS.bulk], notification_callback: receiver.url });
		expect(jsonOf(run, 'Lookup HLR Bulk')).toEqual([expect.objectContaining({ total_count: 3, accepted_count: 3, lookup_method: 'hlr' })]);
		expect(jsonOf(run, 'Lookup MNP Bulk')).toEqual([expect.objectContaining({ total_count: 3, accepted_count: 3, lookup_method: 'mnp' })]);
		// The sandbox delivers the results: one HLR and one MNP batch.
		const callbacks = await receiver.waitFor(2, 30_000);
		expect(callbacks.map((c) => (c.json as { lookup_method: string }).lookup_method).sort()).toEqual(['hlr', 'mnp']);
	}, 60_000);

	it('Number → Get Validation Methods', () => {
		expect(only('POST /v1/checknumber').json).toEqual({ number: OPS.check });
		expect(jsonOf(run, 'Number Check')[0]).toMatchObject({ is_mobile: true, country_iso_code: 'RO', validation_methods: expect.any(Object) });
	});

	it('Country → Get Many (limit) and Prefix → Get Many (all)', () => {
		only('GET /v1/countries');
		only('GET /v1/prefixes');
		const countries = jsonOf(run, 'Country Get Many');
		expect(countries).toHaveLength(3);
		expect(countries[0]).toEqual(expect.objectContaining({ iso2: expect.any(String), name: expect.any(String), prefix: expect.any(String) }));
		expect(jsonOf(run, 'Prefix Get Many').length).toBeGreaterThan(200);
	});

	it('Continue On Fail in n8n: a CheckMobi error becomes an error item, the run goes on', () => {
		only('POST /v1/validation/request', (r) => (r.json as { number: string }).number === OPS.blocked);
		expect(jsonOf(run, 'Blocked Number')).toEqual([expect.objectContaining({ code: 13, httpStatus: 400, failedAt: 'request', error: expect.stringContaining('13') })]);
		expect(run.data.resultData.error).toBeUndefined();
	});

	it('On Error → Continue (using error output) in n8n: failed items take the error branch with their input\'s fields', () => {
		const [ok, refused, unreadable] = OPS.errorOutput;
		const sends = received('POST /v1/sms/send').filter((r) => OPS.errorOutput.includes((r.json as { to: string }).to as never));
		expect(sends.map((r) => [(r.json as { to: string }).to, r.status])).toEqual([
			[ok, 200],
			[refused, 400],
		]);
		const output = (index: number) => run.data.resultData.runData['SMS Send Error Output'][0].data!.main[index]!;
		expect(output(0).map((item) => [item.pairedItem, String(item.json.id).slice(0, 4)])).toEqual([[{ item: 0 }, 'MSG-']]);
		// n8n adds the input item's fields (to, name) to each item it moves to the error output.
		expect(output(1).map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(output(1).map((item) => item.json)).toEqual([
			{
				to: refused,
				name: OPS.name,
				error: expect.stringMatching(/^CheckMobi error 2: .*\[item 1\]$/),
				details: { description: expect.stringContaining('E.164'), code: 2, httpStatus: 400, failedAt: 'request' },
			},
			{
				to: unreadable,
				name: OPS.name,
				error: expect.stringMatching(/\[item 2\]/),
				details: { description: expect.any(String), code: null, httpStatus: null, failedAt: 'input' },
			},
		]);
		expect(jsonOf(run, 'Sent')).toEqual([{ id: output(0)[0].json.id }]);
		expect(jsonOf(run, 'Not Sent')).toEqual([
			{ to: refused, why: output(1)[0].json.error, code: 2 },
			{ to: unreadable, why: output(1)[1].json.error, code: null },
		]);
		expect(run.data.resultData.error).toBeUndefined();
	});

	it('output items are paired with the items they came from', () => {
		for (const name of ['SMS Get', 'Validation Verify', 'Call Hang Up', 'Number Check']) {
			expect(run.data.resultData.runData[name][0].data!.main[0]![0].pairedItem).toEqual({ item: 0 });
		}
	});
});

// Against the sandbox (a loopback Base URL) a loopback callback is sent as given: see the bulk lookups above.
describe('callbacks CheckMobi cannot reach, in a real n8n', () => {
	const task = (name: string) => reach.data.resultData.runData[name][0];

	it('against the real service, a loopback or private Notification Callback fails its item before anything is sent, naming WEBHOOK_URL and a tunnel', () => {
		// Continue (regular output): the error item has the message and its description side by side.
		const [loopback] = jsonOf(reach, 'Loopback Callback') as Array<{ error: string; description: string }>;
		expect(loopback.error).toBe(`Invalid value in "Notification Callback": ${JSON.stringify(REACH.loopback)} [item 0]`);
		expect(loopback.description).toMatch(/^CheckMobi calls it from the internet, and "localhost:5678" is on this machine\. .*WEBHOOK_URL.*tunnel.*Nothing was sent\.$/);
		const [privateNetwork] = jsonOf(reach, 'Private Callback') as Array<{ error: string; description: string }>;
		expect(privateNetwork.error).toBe(`Invalid Notification Callback: CheckMobi cannot reach ${JSON.stringify(REACH.privateNetwork)}`);
		expect(privateNetwork.description).toMatch(/"192\.168\.1\.20:5678" is on a private network\. .*WEBHOOK_URL.*tunnel/);
		expect(task('Loopback Callback').hints ?? []).toEqual([]);
	});

	it('an n8n Test URL is sent, with an execution hint n8n keeps with the run', () => {
		const [sent] = jsonOf(reach, 'Test URL Callback') as Array<{ error: string }>;
		// Sent: it failed on the way to CheckMobi (this machine has no internet), not on its callback.
		expect(sent.error).not.toMatch(/Notification Callback/);
		expect(sent.error).toMatch(/CheckMobi/);
		expect(task('Test URL Callback').hints).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/^The Notification Callback is an n8n Test URL \(\/webhook-test\/…\): it listens only while the editor waits/) }),
		]);
	});
});

describe('the node in n8n\'s node list', () => {
	it('is offered as an AI agent tool (n8n export:nodes lists checkMobiTool), the trigger is not', async () => {
		await withN8nLog(n8n, async () => {
			const nodes = await timings.time('n8n export:nodes', async () => await n8n.exportNodes());
			const ours = nodes.map((n) => n.name).filter((name) => name.startsWith('n8n-nodes-checkmobi.'));
			expect(ours.sort()).toEqual(['n8n-nodes-checkmobi.checkMobi', 'n8n-nodes-checkmobi.checkMobiTool', 'n8n-nodes-checkmobi.checkMobiTrigger']);
			const tool = nodes.find((n) => n.name === 'n8n-nodes-checkmobi.checkMobiTool')!;
			expect(tool.displayName).toBe('CheckMobi Tool');
			expect(JSON.stringify(tool.outputs)).toContain('ai_tool');

			// What each variant shows, by n8n-workflow's own display rules over the descriptions n8n exported.
			const action = nodes.find((n) => n.name === 'n8n-nodes-checkmobi.checkMobi')!;
			const asTool = view(tool as unknown as INodeTypeDescription);
			const asAction = view(action as unknown as INodeTypeDescription);
			expect(asTool.operations({ resource: 'lookup' })).toEqual(['hlr', 'mnp', 'validate']);
			expect(asAction.operations({ resource: 'lookup' })).toEqual(['hlr', 'hlrBulk', 'mnp', 'mnpBulk', 'validate']);
			const runTuning = ['clientIp', 'concurrency', 'paceToAccountLimits', 'timeout'];
			for (const operation of [{ resource: 'sms', operation: 'send' }, { resource: 'call', operation: 'place' }, { resource: 'validation', operation: 'request' }]) {
				expect(asTool.options(operation).filter((name) => runTuning.includes(name))).toEqual([]);
				expect(asAction.options(operation)).toEqual(expect.arrayContaining(['concurrency', 'timeout']));
			}
			const speak = { resource: 'call', operation: 'place', eventsMode: 'fields' };
			expect(asTool.eventFields(speak, { type: 'speak' }).filter((f) => f.name === 'loop').map((f) => f.typeOptions?.minValue)).toEqual([1]);
			expect(asAction.eventFields(speak, { type: 'speak' }).filter((f) => f.name === 'loop').map((f) => f.typeOptions?.minValue)).toEqual([0]);
		});
	}, N8N_STEP_TIMEOUT_MS);
});

/** A node type's fields as the editor shows them for some parameter values (n8n's own display rules). */
function view(type: INodeTypeDescription) {
	const node = { name: type.displayName, type: type.name, typeVersion: 1, parameters: {} } as unknown as INode;
	const shown = (properties: INodeProperties[], values: INodeParameters, root: INodeParameters = values) =>
		properties.filter((property) => NodeHelpers.displayParameter(values, property, node, type, root));
	const top = (values: INodeParameters) => shown(type.properties, values);
	return {
		operations: (values: INodeParameters) =>
			top(values)
				.filter((p) => p.name === 'operation')
				.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => String(o.value)))
				.sort(),
		options: (values: INodeParameters) =>
			top(values)
				.filter((p) => p.name === 'options')
				.flatMap((p) => shown(p.options as INodeProperties[], {}, values).map((o) => o.name))
				.sort(),
		eventFields: (values: INodeParameters, event: INodeParameters) =>
			top(values)
				.filter((p) => p.name === 'events')
				.flatMap((p) => (p.options as INodePropertyCollection[]).flatMap((c) => shown(c.values, event, values))),
	};
}
