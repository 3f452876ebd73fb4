/**
 * Secrets in a real n8n (2.41.1, this package loaded): after runs that fail in every way the
 * sandbox can make them fail (every fault, before and after processing, on a request that acts and
 * on a read; a CheckMobi error; bad input; a run that stops) and after forged and genuine callbacks
 * into the trigger, neither the secret key nor the signature key appears in the stored executions
 * (public API, with their data and items), in the SQLite database files, in n8n's log or in any
 * other file n8n wrote.
 */
import { randomUUID } from 'node:crypto';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import type { FaultSpec } from '../../sandbox/faults';
import {
	checkMobiCredential,
	node,
	tail,
	webhookNode,
	workflow,
	type N8nExecution,
	type N8nInstance,
	type WorkflowNodeJson,
} from '../../scripts/lib/n8n';
import { CHECKMOBI_NODE_TYPE, CHECKMOBI_TRIGGER_TYPE, CHECKMOBI_TRIGGER_VERSION } from '../../scripts/lib/examples';
import { startN8nWithPackage } from '../load/common';

const SECRET_KEY = `SECRET-${randomUUID()}`;
const SIGNATURE_KEY = `SIGNATURE-${randomUUID()}`;
const SECRETS = { 'secret key': SECRET_KEY, 'signature key': SIGNATURE_KEY };

const FAULT_TYPES: Array<Pick<FaultSpec, 'type' | 'status'>> = [
	{ type: 'status', status: 500 },
	{ type: 'status', status: 503 },
	{ type: 'timeout' },
	{ type: 'reset' },
	{ type: 'malformed' },
	{ type: 'html' },
	{ type: 'empty' },
];
const FAULTS = (['before', 'after'] as const).flatMap((when) => FAULT_TYPES.map((fault) => ({ ...fault, when })));

let sandbox: Sandbox;
let n8n: N8nInstance;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY });
	n8n = await startN8nWithPackage();
}, 30 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 120_000);

/** Every file under a folder, except the harness's own input files (our plain credential import). */
function filesUnder(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir)) {
		const full = join(dir, entry);
		if (entry === 'harness-input') continue;
		if (statSync(full).isDirectory()) out.push(...filesUnder(full));
		else out.push(full);
	}
	return out;
}

function leaksIn(text: string | Buffer): string[] {
	const haystack = typeof text === 'string' ? Buffer.from(text) : text;
	return Object.entries(SECRETS)
		.filter(([, secret]) => haystack.includes(secret) || haystack.includes(secret.slice(-36)))
		.map(([name]) => name);
}

const credential = checkMobiCredential({ id: 'secretsCred00001', secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY, baseUrl: 'set in beforeAll' });
const credentials = { checkMobiApi: { id: credential.id, name: credential.name } };

function checkMobi(name: string, parameters: Record<string, unknown>, onError: WorkflowNodeJson['onError'] = 'continueRegularOutput'): WorkflowNodeJson {
	return node(name, CHECKMOBI_NODE_TYPE, parameters, { credentials, onError });
}

test('no key in stored executions, items, the database, the log or any file n8n wrote, after every kind of failure', async () => {
	try {
		credential.data.baseUrl = sandbox.url;
		await n8n.importCredentials(credential);

		// Runs that fail: one item per fault on SMS → Send (acts, never repeated) and on Lookup → HLR
		// (a read: the fault lasts through its 3 attempts); a CheckMobi error; bad input.
		const phones = FAULTS.map((_, i) => ({ phone: `+4074580${String(i).padStart(4, '0')}` }));
		const failing = workflow({
			id: 'secretsFailing01',
			name: 'secrets: every failure',
			nodes: [
				webhookNode('Webhook', { path: 'secrets-failing' }),
				node('Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.phones', include: 'noOtherFields', options: {} }),
				checkMobi('Send', { resource: 'sms', operation: 'send', to: '={{ $json.phone }}', text: 'Code 1234', options: { timeout: 1500 } }),
				checkMobi('HLR', { resource: 'lookup', operation: 'hlr', number: "={{ $('Split Out').item.json.phone }}", options: { timeout: 1500 } }),
				checkMobi('Blocked', { resource: 'sms', operation: 'send', to: '+40745999930', text: 'x' }),
				checkMobi('Bad Input', { resource: 'sms', operation: 'send', to: 'not a number', text: 'x' }),
			],
		});
		// A run that stops at a failing node (no Continue On Fail): the run's own error is stored.
		const stopping = workflow({
			id: 'secretsStopping1',
			name: 'secrets: a run that stops',
			nodes: [webhookNode('Webhook', { path: 'secrets-stopping' }), checkMobi('Send', { resource: 'sms', operation: 'send', to: '+40745123456', text: 'x' }, 'stopWorkflow')],
		});
		const webhookId = randomUUID();
		const trigger = workflow({
			id: 'secretsTrigger01',
			name: 'secrets: trigger',
			nodes: [node('CheckMobi Trigger', CHECKMOBI_TRIGGER_TYPE, {}, { webhookId, credentials, typeVersion: CHECKMOBI_TRIGGER_VERSION })],
		});
		await n8n.importWorkflows([failing, stopping, trigger]);
		for (const wf of [failing, stopping, trigger]) await n8n.publishWorkflow(wf.id);
		await n8n.start();

		// Faults in the order the items reach them: count 1 on the send, count 3 (every attempt) on the read.
		for (const fault of FAULTS) await sandbox.control.addFault({ ...fault, method: 'POST', path: '/sms/send', count: 1 });
		for (const fault of FAULTS) await sandbox.control.addFault({ ...fault, method: 'GET', path: '/lookup/hlr/*', count: 3 });
		const json = { 'content-type': 'application/json' };
		expect((await n8n.callWebhook('secrets-failing', { body: JSON.stringify({ phones }), headers: json })).status).toBe(200);
		const [failedRun] = await n8n.waitForExecutions(failing.id, 1, { timeoutMs: 180_000 });

		await sandbox.control.clearFaults();
		await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', when: 'after', count: 1 });
		expect((await n8n.callWebhook('secrets-stopping', { body: '{}', headers: json })).status).toBe(200);
		const [stoppedRun] = await n8n.waitForExecutions(stopping.id, 1, { timeoutMs: 60_000 });

		// Callbacks: forged (unsigned, signed with the secret key, a wrong digest) and one genuine.
		const body = JSON.stringify({ id: 'MSG-00000000-0000-4000-8000-000000000001', to: '+40745123456', status: 'delivered' });
		const hmac = (key: string) => createHmac('sha256', key).update(body).digest('hex');
		const path = `${webhookId}/webhook`;
		for (const signature of [undefined, hmac(SECRET_KEY), '0'.repeat(64)]) {
			const response = await n8n.callWebhook(path, { body, headers: { ...json, ...(signature ? { 'x-checkmobi-signature': signature } : {}) } });
			expect(response.status).toBe(401);
			expect(leaksIn(await response.text())).toEqual([]);
		}
		expect((await n8n.callWebhook(path, { body, headers: { ...json, 'x-checkmobi-signature': hmac(SIGNATURE_KEY) } })).status).toBe(200);
		await n8n.waitForExecutions(trigger.id, 1, { timeoutMs: 60_000 });

		// The keys were in use: CheckMobi (the sandbox) got the secret key on every request.
		const received = await sandbox.control.requests({ path: '/sms/send' });
		expect(received.entries.length).toBeGreaterThanOrEqual(FAULTS.length);
		expect(received.entries.every((entry) => entry.headers.authorization === SECRET_KEY)).toBe(true);

		// The runs failed as intended: the errors are stored, with the items.
		const failedData = await n8n.getExecution(failedRun.id, true);
		const runData = failedData.data!.resultData.runData;
		const sendItems = runData.Send[0].data!.main[0]!;
		expect(sendItems).toHaveLength(FAULTS.length);
		expect(sendItems.every((item) => typeof item.json.error === 'string' && /\[item \d+\]$/.test(item.json.error as string))).toBe(true);
		const hlrItems = runData.HLR[0].data!.main[0]!;
		expect(hlrItems.every((item) => typeof item.json.error === 'string')).toBe(true);
		expect(runData.Blocked[0].data!.main[0]![0].json.code).toBe(13);
		expect(String(runData['Bad Input'][0].data!.main[0]![0].json.error)).toMatch(/To/);
		const stoppedData = await n8n.getExecution(stoppedRun.id, true);
		expect(stoppedData.status).toBe('error');
		expect(stoppedData.data!.resultData.error?.message).toMatch(/HTTP 500/);

		// Nowhere a key: every execution with its data through the public API ...
		const everything: N8nExecution[] = [];
		for (const wf of [failing, stopping, trigger]) everything.push(...(await n8n.listExecutions(wf.id, { includeData: true })));
		expect(everything.length).toBeGreaterThanOrEqual(3);
		const apiText = JSON.stringify(everything);
		expect(apiText).toContain('+40745800000'); // the items are in there
		expect(leaksIn(apiText)).toEqual([]);

		// ... the database files, n8n's log and everything else n8n wrote in its folder.
		await n8n.stop();
		const files = filesUnder(n8n.userFolder);
		const database = files.filter((file) => /database\.sqlite/.test(file));
		expect(database.length).toBeGreaterThan(0);
		expect(Buffer.concat(database.map((file) => readFileSync(file))).includes('+40745800000')).toBe(true);
		expect(readFileSync(n8n.logFile, 'utf8')).toContain('Editor is now accessible');
		const leaks = files.flatMap((file) => leaksIn(readFileSync(file)).map((name) => `${name} in ${relative(n8n.userFolder, file)}`));
		expect(leaks).toEqual([]);
		const dataFiles = files.map((f) => relative(n8n.userFolder, f)).filter((f) => !f.startsWith('.n8n/nodes/'));
		process.stderr.write(`[secrets] scanned ${everything.length} executions and ${files.length} files (the package's own, and ${dataFiles.join(', ')}): no key\n`);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(40)}\n--- cli:\n${tail(n8n.cliLogFile, 20)}`);
	}
}, 15 * 60_000);
