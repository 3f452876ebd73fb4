/**
 * Secrets in a real n8n (2.41.1, this package loaded): after runs that fail in every way the
 * sandbox can make them fail (every fault, before and after processing, on a request that acts and
 * on a read; a CheckMobi error; bad input; a run that stops) and after forged and genuine callbacks
 * into the trigger, neither the secret key nor the signature key appears in the stored executions
 * (public API, with their data and items), in the SQLite database files, in n8n's log or in any
 * other file n8n wrote. On the way, the key's trust boundary: a Base URL that redirects (302, 307)
 * hands another host nothing, through the nodes, the HTTP Request node using these credentials and
 * the credentials' Test button; a Base URL off CheckMobi and this machine is refused by the Test
 * button before any request.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { CREDENTIAL_BLANKING_VALUE } from 'n8n-workflow';

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
import { okJson, redirectingServer, tinyServer, type TinyServer } from '../helpers/hostileServers';
import { startN8nWithPackage } from '../load/common';
import { LOGGED_SECRET_KEY } from '../../sandbox/requestLog';

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
/** The "other host" a redirect points to, and the Base URL that redirects there. */
let other: TinyServer;
let redirector: TinyServer;
let redirectStatus = 302;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY });
	other = await tinyServer(okJson);
	redirector = await redirectingServer(other.url, () => redirectStatus);
	n8n = await startN8nWithPackage();
}, 30 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	await other?.close();
	await redirector?.close();
}, 120_000);

/** Every file under a folder (the harness's plain credential inputs among them, were they not deleted after import). */
function filesUnder(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir)) {
		const full = join(dir, entry);
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

/** The same key, its Base URL a host that redirects every request to `other`. */
const redirectCredential = checkMobiCredential({ id: 'secretsRedirect1', name: 'CheckMobi behind a redirect', secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY, baseUrl: 'set in beforeAll' });
const redirectCredentials = { checkMobiApi: { id: redirectCredential.id, name: redirectCredential.name } };

/** Account → Get, SMS → Send and n8n's HTTP Request node with these credentials, each with Continue On Fail. */
function redirectWorkflow() {
	const onError = 'continueRegularOutput' as const;
	return workflow({
		id: 'secretsRedirect1',
		name: 'secrets: a Base URL that redirects',
		nodes: [
			webhookNode('Webhook', { path: 'secrets-redirect' }),
			node('Account', CHECKMOBI_NODE_TYPE, { resource: 'account', operation: 'get' }, { credentials: redirectCredentials, onError }),
			node('Send', CHECKMOBI_NODE_TYPE, { resource: 'sms', operation: 'send', to: '+40745123456', text: 'x', options: { paceToAccountLimits: false } }, { credentials: redirectCredentials, onError }),
			node(
				'HTTP Request',
				'n8n-nodes-base.httpRequest',
				{ url: `${other.url}/collect`, authentication: 'predefinedCredentialType', nodeCredentialType: 'checkMobiApi', options: {} },
				{ typeVersion: 4.2, credentials: redirectCredentials, onError },
			),
		],
	});
}

/** Presses the credentials' Test button as an editor who cannot read the keys (they stay masked) and changed the Base URL. */
async function testButton(baseUrl: string): Promise<{ status: string; message: string }> {
	const data = { secretKey: CREDENTIAL_BLANKING_VALUE, signatureKey: CREDENTIAL_BLANKING_VALUE, baseUrl };
	return await n8n.rest('POST', '/credentials/test', { credentials: { id: credential.id, name: credential.name, type: credential.type, data } });
}

/** The key's trust boundary in the running n8n (called by the test below, before it stops n8n). */
async function checkTheKeyStaysWithCheckMobi(): Promise<void> {
	for (const status of [302, 307]) {
		redirectStatus = status;
		const before = (await n8n.listExecutions('secretsRedirect1')).length;
		expect((await n8n.callWebhook('secrets-redirect', { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
		const runs = await n8n.waitForExecutions('secretsRedirect1', before + 1, { timeoutMs: 120_000 });
		const run = await n8n.getExecution(runs[0].id, true);
		const output = (name: string) => run.data!.resultData.runData[name][0].data!.main[0]![0].json;
		const notFollowed = `CheckMobi answered with a redirect (HTTP ${status}) to ${other.host}: not followed [item 0]`;
		expect([output('Account').error, output('Send').error]).toEqual([notFollowed, notFollowed]);
		expect(JSON.stringify(output('HTTP Request'))).toMatch(/The secret key goes only to the Base URL's host \(127\.0\.0\.1:\d+\), not to 127\.0\.0\.1:\d+/);
	}
	for (const status of [302, 307]) {
		redirectStatus = status;
		expect(await testButton(redirector.url)).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^The Base URL answered with a redirect \\(HTTP ${status}\\): not followed`)) });
	}
	// The redirecting host got the key (it is the Base URL); the host it pointed to got nothing at all.
	expect(redirector.seen.length).toBeGreaterThanOrEqual(6);
	expect(other.seen).toEqual([]);

	// A Base URL off CheckMobi and this machine, or with a path: refused before any request.
	const receivedBefore = other.seen.length;
	for (const [baseUrl, problem] of [
		['https://192.0.2.10:4010', /^Base URL not allowed: The Base URL's host "192\.0\.2\.10:4010" is neither CheckMobi nor this machine\./],
		[`${other.url}/collect`, /^Base URL not allowed: The Base URL has the path "\/collect"\./],
		['http://api.checkmobi.com', /^Base URL not allowed: The Base URL uses http:\/\//],
	] as const) {
		expect(await testButton(baseUrl)).toEqual({ status: 'Error', message: expect.stringMatching(problem) });
	}
	expect(other.seen).toHaveLength(receivedBefore);
	// And the Base URL of the sandbox passes.
	expect(await testButton(sandbox.url)).toEqual({ status: 'OK', message: 'Connection successful!' });
}

test('no key in stored executions, items, the database, the log or any file n8n wrote, after every kind of failure', async () => {
	try {
		credential.data.baseUrl = sandbox.url;
		redirectCredential.data.baseUrl = redirector.url;
		await n8n.importCredentials([credential, redirectCredential]);

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
		const redirecting = redirectWorkflow();
		await n8n.importWorkflows([failing, stopping, trigger, redirecting]);
		for (const wf of [failing, stopping, trigger, redirecting]) await n8n.publishWorkflow(wf.id);
		await n8n.start();

		await checkTheKeyStaysWithCheckMobi();

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
		expect(received.entries.every((entry) => entry.headers.authorization === LOGGED_SECRET_KEY)).toBe(true);

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
		for (const wf of [failing, stopping, trigger, redirecting]) everything.push(...(await n8n.listExecutions(wf.id, { includeData: true })));
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
		// The plain credential files the harness fed n8n are gone, and what holds secrets is the owner's alone.
		expect(files.filter((file) => relative(n8n.userFolder, file).startsWith('harness-input'))).toEqual([]);
		const mode = (path: string) => statSync(path).mode & 0o777;
		expect(mode(n8n.userFolder)).toBe(0o700);
		expect(mode(join(n8n.userFolder, '.harness-encryption-key'))).toBe(0o600);
		expect(mode(join(n8n.userFolder, '.n8n', 'config'))).toBe(0o600);
		const dataFiles = files.map((f) => relative(n8n.userFolder, f)).filter((f) => !f.startsWith('.n8n/nodes/'));
		process.stderr.write(`[secrets] scanned ${everything.length} executions and ${files.length} files (the package's own, and ${dataFiles.join(', ')}): no key\n`);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(40)}\n--- cli:\n${tail(n8n.cliLogFile, 20)}`);
	}
}, 15 * 60_000);
