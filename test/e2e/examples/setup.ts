/**
 * What the example-workflow end-to-end files share: one real n8n (2.41.1) per test file, running,
 * with the examples imported and their trigger workflows published, a sandbox, and the examples
 * (plus the callback senders) run once headless from their Manual Triggers (one `n8n
 * execute-batch`). `useExamplesN8n()` registers the set-up; the state below is set by it (jest
 * gives each test file its own copy of this module, so each file has its own n8n).
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../../sandbox';
import {
	exampleById,
	exampleCredentials,
	hasActivatableTrigger,
	loadExamples,
	triggerPath,
	WEBHOOK_KEY_HEADER,
	type ExampleWorkflow,
} from '../../../scripts/lib/examples';
import { N8nInstance, provisionN8n, type BatchRun, type WorkflowJson } from '../../../scripts/lib/n8n';
import { PROVISION_TIMEOUT_MS, Timings, withN8nLog } from '../support';
import { ALL_EVENTS_WEBHOOK_ID, ALL_EVENTS_WORKFLOW_ID, allEventsWorkflow, CALLBACK_SENDERS_WORKFLOW_ID, callbackSendersWorkflow } from '../workflows';

export const EX = {
	signup: 'cmEx1Signup',
	hlrCleanup: 'cmEx2HlrCleanup',
	hlrResults: 'cmEx3HlrResults',
	smsTracking: 'cmEx4SmsTracking',
	chatOps: 'cmEx5ChatOpsCall',
	escalation: 'cmEx6Escalation',
} as const;

/** The sign-up example on its own paths with a wait of 3 s instead of 10 minutes: its timed-out branch within a test. */
export const EXPIRING_SIGNUP = { id: 'e2eSignupExpiring1', path: 'e2e-signup-expiring' } as const;

function expiringSignup(signup: WorkflowJson): WorkflowJson {
	const copy = structuredClone(signup);
	Object.assign(copy, { id: EXPIRING_SIGNUP.id, name: `${signup.name} (wait 3 s)` });
	for (const wfNode of copy.nodes) {
		if (wfNode.type === 'n8n-nodes-base.webhook') {
			wfNode.parameters.path = `${EXPIRING_SIGNUP.path}/${String(wfNode.parameters.path).split('/').pop()}`;
			wfNode.webhookId = randomUUID();
		}
		if (wfNode.name === 'Request Validation') {
			wfNode.parameters.options = {
				...(wfNode.parameters.options as Record<string, unknown>),
				limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '={{ $now.plus({ seconds: 3 }).toISO() }}' } },
			};
		}
	}
	return copy;
}

/** The key the examples' webhooks want in X-Api-Key. */
export const WEBHOOK_KEY = randomUUID();
export const withKey = { [WEBHOOK_KEY_HEADER]: WEBHOOK_KEY };
export let sandbox: Sandbox;
export let n8n: N8nInstance;
export let examples: ExampleWorkflow[];
export let batch: Map<string, BatchRun>;
export let allEventsUrl: string;

/** The run of one workflow of the batch, which must have succeeded. */
export function ran(id: string) {
	const result = batch.get(id);
	if (!result?.ok || !result.run) throw new Error(`${id} did not run successfully: ${result?.status} ${result?.error ?? ''}`);
	return result.run;
}

export function triggerUrl(exampleId: string): string {
	return n8n.webhookUrl(triggerPath(exampleById(examples, exampleId)));
}

/** Starts the sandbox and n8n before the file's tests, stops them after; `title` names the timings printed at the end. */
export function useExamplesN8n(title: string): void {
	const timings = new Timings();

	beforeAll(async () => {
		const runtime = await timings.time('provision (or reuse)', async () => await provisionN8n());
		// Batches of 2 numbers: the HLR clean-up's 6 accepted numbers come back in 3 callbacks.
		sandbox = await startSandbox({ port: 0, secretKey: randomUUID().toUpperCase(), signatureKey: randomUUID().toUpperCase(), config: { bulkBatchSize: 2 } });
		// Server-Sent Events for n8n's push channel: a test can then listen as an open editor does.
		n8n = await N8nInstance.create({ runtime, env: { N8N_PUSH_BACKEND: 'sse' } });
		examples = loadExamples({ sandboxUrl: sandbox.url });
		allEventsUrl = n8n.webhookUrl(`${ALL_EVENTS_WEBHOOK_ID}/webhook`);
		await withN8nLog(n8n, async () => {
			await timings.time('import credential + workflows (with migrations)', async () => {
				await n8n.importCredentials(exampleCredentials(sandbox, WEBHOOK_KEY));
				await n8n.importWorkflows([
					...examples.map((e) => e.workflow),
					expiringSignup(exampleById(examples, EX.signup)),
					allEventsWorkflow(),
					callbackSendersWorkflow(allEventsUrl),
				]);
			});
			await timings.time('n8n start', async () => await n8n.start());
			await timings.time('publish the trigger workflows', async () => {
				for (const { workflow } of examples.filter((e) => hasActivatableTrigger(e.workflow))) await n8n.activateWorkflow(workflow.id);
				await n8n.activateWorkflow(EXPIRING_SIGNUP.id);
				await n8n.activateWorkflow(ALL_EVENTS_WORKFLOW_ID);
			});
			const result = await timings.time('execute-batch (examples + callback senders)', async () =>
				await n8n.executeBatch([...Object.values(EX), CALLBACK_SENDERS_WORKFLOW_ID]),
			);
			batch = result.runs;
		});
	}, PROVISION_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
		timings.report(title);
	}, 60_000);
}
