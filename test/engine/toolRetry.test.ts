/**
 * Retry On Fail on the AI agent tool variant, in n8n-core's own tool wrapper (the function that
 * n8n's getInputConnectionData hands an agent for each connected tool). Unlike a workflow node's
 * retry, the wrapper gives every try the next run index; a try still never sends again what an
 * earlier try of the same tool call sent and CheckMobi may have acted on. Counts are the sandbox's.
 */
import { SupplyDataContext } from 'n8n-core';
import { makeHandleToolInvocation } from 'n8n-core/dist/execution-engine/node-execution-context/utils/get-input-connection-data';
import type { IDataObject, IExecuteData, INode } from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { keptRunCount } from '../../nodes/CheckMobi/actions/retryOnFail';
import { additionalData, checkMobiCredentials, TestNodeTypes } from '../helpers/n8nHost';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();
const TYPE = 'test.checkMobiTool';
const GOOD = '+40745000002';
let executions = 0;

/** One agent tool call of the SMS → Send tool (Text and To from the agent), with the node settings given. */
async function callTool(args: IDataObject, settings: Partial<INode>): Promise<{ answer?: string; error?: Error }> {
	const credentials = checkMobiCredentials({ secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url });
	const node: INode = {
		id: 'tool-under-test',
		name: 'Send SMS',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'sms', operation: 'send', to: "={{ $fromAI('to', 'The phone number', 'string') }}", text: "={{ $fromAI('text', 'The message', 'string') }}", options: { paceToAccountLimits: false } },
		credentials: credentials.nodeCredentials,
		...settings,
	};
	const workflow = new Workflow({ id: 'tool-test', name: 'tool test', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes({ [TYPE]: new CheckMobi() }) });
	const runExecutionData = createRunExecutionData({});
	const data = additionalData('http://127.0.0.1:1', credentials.credentialsHelper, { executionId: `tool-test-${++executions}` });
	const executeData: IExecuteData = { node, data: { main: [[{ json: {} }]] }, source: null };
	const context = (runIndex: number) =>
		new SupplyDataContext(workflow, node, data, 'manual', runExecutionData, runIndex, [], {}, NodeConnectionTypes.AiTool, executeData, []);
	const invoke = makeHandleToolInvocation(context, node, new CheckMobi(), runExecutionData);
	try {
		return { answer: await invoke(args) };
	} catch (error) {
		return { error: error as Error };
	}
}

test('an SMS that failed after CheckMobi sent it is not sent again by the tool wrapper\'s retries; every try ends with its error', async () => {
	await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/sms/send', when: 'after', count: 1 });
	const result = await callTool({ to: GOOD, text: 'Your order shipped' }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 });
	expect(result.error?.message).toMatch(/^CheckMobi failed with HTTP 500 \[item 0\]/);
	expect((await sandbox.control.stats()).creates.sms).toBe(1);
	expect(keptRunCount()).toBe(0);
});

test('a refusal (error 12, nothing sent) is tried again by the wrapper, and the next try goes through', async () => {
	const limits = JSON.stringify({ code: 12, error: 'Your account exceeded one or more limitations.' });
	await sandbox.control.addFault({ type: 'status', status: 400, body: limits, method: 'POST', path: '/sms/send', count: 1 });
	const result = await callTool({ to: GOOD, text: 'Your order shipped' }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 });
	expect(result.error).toBeUndefined();
	expect(JSON.parse(result.answer!)).toEqual([expect.objectContaining({ id: expect.stringMatching(/^MSG-/) })]);
	expect((await sandbox.control.stats()).creates.sms).toBe(1);
});

test('two tool calls with different arguments each send their SMS', async () => {
	const settings = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };
	await callTool({ to: GOOD, text: 'First' }, settings);
	await callTool({ to: GOOD, text: 'Second' }, settings);
	expect((await sandbox.control.stats()).creates.sms).toBe(2);
});
