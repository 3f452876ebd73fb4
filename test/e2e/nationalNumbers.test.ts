/**
 * A national number inside a real n8n (2.41.1, the package loaded as a community package): a
 * CheckMobi node of version 2 reads "0745 123 456" through Default Country Romania and outputs the
 * simplified HLR result; without the option the same number fails its item with an error that
 * names the option, and nothing is sent for it.
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox';
import { CHECKMOBI_NODE_TYPE, DEV_CREDENTIAL, devCredential } from '../../scripts/lib/examples';
import { manualTriggerNode, N8nInstance, node, provisionN8n, workflow, type N8nRun } from '../../scripts/lib/n8n';
import { set } from './workflows';
import { jsonOf, N8N_STEP_TIMEOUT_MS, PROVISION_TIMEOUT_MS, withN8nLog } from './support';

const WORKFLOW_ID = 'e2eNationalNumber1';
const credentials = { checkMobiApi: { id: DEV_CREDENTIAL.id, name: DEV_CREDENTIAL.name } };

let sandbox: Sandbox;
let n8n: N8nInstance;
let run: N8nRun;

beforeAll(async () => {
	const runtime = await provisionN8n();
	sandbox = await startSandbox({ port: 0, secretKey: randomUUID().toUpperCase(), signatureKey: randomUUID().toUpperCase() });
	n8n = await N8nInstance.create({ runtime });
	await withN8nLog(n8n, async () => {
		await n8n.importCredentials([devCredential(sandbox)]);
		const hlr = (name: string, options: Record<string, unknown>) =>
			node(
				name,
				CHECKMOBI_NODE_TYPE,
				{ resource: 'lookup', operation: 'hlr', number: "={{ $('Input').item.json.phone }}", options },
				{ credentials, typeVersion: 2, onError: 'continueRegularOutput' },
			);
		await n8n.importWorkflows([
			workflow({
				id: WORKFLOW_ID,
				nodes: [
					manualTriggerNode('Start'),
					set('Input', [['phone', '0745 123 456', 'string']]),
					hlr('HLR Romania', { defaultCountry: 'RO' }),
					hlr('HLR No Country', {}),
				],
			}),
		]);
		const result = await n8n.executeBatch([WORKFLOW_ID]);
		const batch = result.runs.get(WORKFLOW_ID)!;
		if (!batch.ok || !batch.run) throw new Error(`the workflow failed: ${batch.status} ${batch.error ?? ''}`);
		run = batch.run;
	});
}, PROVISION_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

describe('a national number in a real n8n', () => {
	it('with Default Country Romania, "0745 123 456" is looked up as +40745123456 and the output is simplified', async () => {
		const requests = (await sandbox.control.requests({ path: '/v1/lookup/**' })).entries;
		expect(requests.map((request) => request.path)).toEqual(['/v1/lookup/hlr/40745123456']);
		expect(jsonOf(run, 'HLR Romania')).toEqual([
			{ number: '+40745123456', line_status: 'active', ported: false, current_network: expect.any(String), country: 'RO', number_type: 'mobile', cost: expect.any(Number) },
		]);
	}, N8N_STEP_TIMEOUT_MS);

	it('without the option, the item fails with an error that names Default Country', () => {
		const [item] = jsonOf(run, 'HLR No Country');
		expect(item.error).toMatch(/Invalid phone number in "Phone Number": "0745 123 456"/);
		expect(item.description).toMatch(/Default Country option/);
	});
});
