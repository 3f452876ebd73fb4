/**
 * Load, real n8n (regular mode): 2,000 items through SMS → Send (acts, never repeated) and through
 * Lookup → HLR (a read, retried) against a sandbox that fails 5% of all requests (seeded `rate`
 * faults of every kind, before and after processing). Every item is accounted for (a result or an
 * error item, paired with its input), and no SMS is ever sent twice.
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox';
import type { FaultSpec } from '../../sandbox/faults';
import { checkMobiCredential, node, tail, webhookNode, workflow, type N8nInstance, type N8nItem } from '../../scripts/lib/n8n';
import { CHECKMOBI_NODE_TYPE } from '../../scripts/lib/examples';
import { recordFigures, startN8nWithPackage } from './common';

const ITEMS = Number(process.env.LOAD_ITEMS ?? 2000);
const FAULT_RATE = 0.05;
const CONCURRENCY = 10;
const SEED = 4242;

// Seven kinds, each an equal share; 1 - (1 - r)^7 = 5% of requests hit one.
const KINDS: Array<Pick<FaultSpec, 'type' | 'status' | 'when'>> = [
	{ type: 'status', status: 500, when: 'before' },
	{ type: 'status', status: 503, when: 'after' },
	{ type: 'timeout', when: 'after' },
	{ type: 'reset', when: 'before' },
	{ type: 'malformed', when: 'after' },
	{ type: 'html', when: 'before' },
	{ type: 'empty', when: 'after' },
];
const RATE_EACH = 1 - Math.pow(1 - FAULT_RATE, 1 / KINDS.length);

let sandbox: Sandbox;
let n8n: N8nInstance;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, config: { requestLogSize: 50_000 } });
	n8n = await startN8nWithPackage();
}, 30 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 120_000);

const isError = (item: N8nItem) => typeof item.json.error === 'string' && 'httpStatus' in item.json;

test(`${ITEMS} items through SMS → Send and Lookup → HLR with ${FAULT_RATE * 100}% of requests failing: every item accounted for, no SMS sent twice`, async () => {
	try {
		const credential = checkMobiCredential({ id: 'loadActCred00001', secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url });
		const credentials = { checkMobiApi: { id: credential.id, name: credential.name } };
		const options = { concurrency: CONCURRENCY, timeout: 2000 };
		const wf = workflow({
			id: 'loadActions00001',
			name: 'load: actions under faults',
			nodes: [
				webhookNode('Webhook', { path: `load-actions-${randomUUID().slice(0, 8)}` }),
				node('Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.phones', include: 'noOtherFields', options: {} }),
				node('Send', CHECKMOBI_NODE_TYPE, { resource: 'sms', operation: 'send', to: '={{ $json.phone }}', text: 'Your code is 1234', options }, { credentials, onError: 'continueRegularOutput' }),
				node('HLR', CHECKMOBI_NODE_TYPE, { resource: 'lookup', operation: 'hlr', number: '={{ $json.phone }}', options }, { credentials, onError: 'continueRegularOutput' }),
			],
			connections: {
				Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
				'Split Out': { main: [[{ node: 'Send', type: 'main', index: 0 }, { node: 'HLR', type: 'main', index: 0 }]] },
			},
		});
		const webhookPath = (wf.nodes[0].parameters as { path: string }).path;
		await n8n.importCredentials(credential);
		await n8n.importWorkflows(wf);
		await n8n.publishWorkflow(wf.id);
		await n8n.start();

		await sandbox.control.addFaults(KINDS.map((kind, i) => ({ ...kind, method: '*', path: '**', rate: RATE_EACH, seed: SEED + i })));
		const phones = Array.from({ length: ITEMS }, (_, i) => ({ phone: `+4074${String(5000000 + i).padStart(7, '0')}` }));
		const started = Date.now();
		const response = await n8n.callWebhook(webhookPath, { body: JSON.stringify({ phones }), headers: { 'content-type': 'application/json' } });
		expect(response.status).toBe(200);
		const [done] = await n8n.waitForExecutions(wf.id, 1, { timeoutMs: 20 * 60_000 });
		const seconds = (Date.now() - started) / 1000;
		const execution = await n8n.getExecution(done.id, true);
		const runData = execution.data!.resultData.runData;
		const sent = runData.Send[0].data!.main[0]!;
		const looked = runData.HLR[0].data!.main[0]!;

		// The sandbox's side: what it received and did.
		const faults = await sandbox.control.faults();
		const sendLog = (await sandbox.control.requests({ method: 'POST', path: '/sms/send', limit: 50_000 })).entries;
		const perNumber = new Map<string, number>();
		for (const entry of sendLog) {
			const to = String((entry.json as { to?: string } | null)?.to);
			perNumber.set(to, (perNumber.get(to) ?? 0) + 1);
		}
		const stats = await sandbox.control.stats();
		const hlrLog = (await sandbox.control.requests({ method: 'GET', path: '/lookup/hlr/*', limit: 50_000 })).entries;
		const allRequests = stats.requests;
		const faulted = faults.reduce((sum, fault) => sum + fault.applied, 0);

		const pairedIndexes = (items: N8nItem[]) => items.map((item) => (item.pairedItem as { item: number }).item);
		const sendErrors = sent.filter(isError);
		const hlrErrors = looked.filter(isError);
		recordFigures('actions-regular', {
			items: ITEMS,
			faultRate: FAULT_RATE,
			concurrency: CONCURRENCY,
			seconds,
			requests: allRequests,
			faultsHit: faulted,
			faultsByKind: Object.fromEntries(faults.map((fault) => [`${fault.type}${fault.status && fault.type === 'status' ? ` ${fault.status}` : ''}:${fault.when}`, fault.applied])),
			smsSend: { items: sent.length, results: sent.length - sendErrors.length, errorItems: sendErrors.length, requests: sendLog.length, created: stats.creates.sms, maxSendsPerNumber: Math.max(...perNumber.values()), duplicates: [...perNumber.values()].filter((n) => n > 1).length },
			hlr: { items: looked.length, results: looked.length - hlrErrors.length, errorItems: hlrErrors.length, requests: hlrLog.length, retries: hlrLog.length - ITEMS },
			lost: ITEMS - sent.length + (ITEMS - looked.length),
		});

		expect(faulted).toBeGreaterThan(0);
		// SMS → Send: one output per input item, in order, each a result or an error item.
		expect(pairedIndexes(sent)).toEqual(phones.map((_, i) => i));
		expect(sent.every((item) => isError(item) || /^MSG-/.test(String(item.json.id)))).toBe(true);
		// Each number got exactly one request, never a second; the sandbox created one SMS per request it processed.
		expect(sendLog).toHaveLength(ITEMS);
		expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
		expect(perNumber.size).toBe(ITEMS);
		const processedSends = sendLog.filter((entry) => entry.fault === null || entry.fault.endsWith(':after')).length;
		expect(stats.creates.sms).toBe(processedSends);
		// An error item for exactly the requests the fault hit.
		expect(sendErrors).toHaveLength(sendLog.filter((entry) => entry.fault !== null).length);
		// Lookup → HLR: every item too; the faults were retried away (three in a row for one item is ~1 in 8,000).
		expect(pairedIndexes(looked)).toEqual(phones.map((_, i) => i));
		expect(looked.every((item) => isError(item) || item.json.number_type !== undefined || item.json.reachable !== undefined)).toBe(true);
		expect(hlrLog.length).toBeGreaterThan(ITEMS);
		expect(hlrErrors.length).toBeLessThanOrEqual(2);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- tail of ${n8n.logFile}:\n${n8n.logTail(40)}\n--- cli:\n${tail(n8n.cliLogFile, 20)}`);
	}
}, 30 * 60_000);
