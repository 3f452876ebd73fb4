/**
 * The send half of the waiting operations, run by n8n's own engine against the sandbox (the
 * execution goes to wait, the callback URL is its resume URL, the timed-out item is what n8n will
 * output when the limit expires), and the resume decision for each kind of callback. The whole
 * round trip through a real n8n is in test/e2e/sendAndWait.test.ts.
 */
import type { IDataObject, INode, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, WAIT_INDEFINITELY } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import * as placeAndWaitForEnd from '../../nodes/CheckMobi/actions/call/placeAndWaitForEnd.operation';
import * as sendAndWaitForDelivery from '../../nodes/CheckMobi/actions/sms/sendAndWaitForDelivery.operation';
import * as requestAndWaitForVerification from '../../nodes/CheckMobi/actions/validation/requestAndWaitForVerification.operation';
import { decideResume } from '../../nodes/CheckMobi/actions/wait/resume';
import { runCheckMobi } from '../helpers/checkMobi';
import { runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

const sendAndWait = (parameters: IDataObject = {}, input?: IDataObject[], onError = false) =>
	runCheckMobi(sandbox, { resource: 'sms', operation: 'sendAndWaitForDelivery', to: '+40745123456', text: 'Your order shipped', ...parameters }, input, onError);

/** The item n8n's engine will pass on when the wait limit expires: the stack entry it keeps for the waiting node. */
function waitingStackItems(run: Awaited<ReturnType<typeof sendAndWait>>['run']): INodeExecutionData[] | undefined {
	return run.data.executionData?.nodeExecutionStack[0]?.data.main[0] ?? undefined;
}

describe('SMS → Send and Wait for Delivery: the send half', () => {
	test('sends one SMS with the execution\'s resume URL (this node\'s id in its path) as callback, and waits without limit', async () => {
		const input = [{ order: 1 }];
		const { items, error, run } = await sendAndWait({}, input);
		expect(error).toBeUndefined();

		const sends = await sandbox.received('/sms/send');
		expect(sends).toHaveLength(1);
		const callback = String((sends[0].json as IDataObject).notification_callback);
		expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:1\/webhook-waiting\/engine-test-run-\d+\/node-under-test\?signature=[0-9a-f]{64}$/);
		expect(callback).toContain(`signature=${run.data.resumeToken}`);
		expect(sends[0].json).toMatchObject({ to: '+40745123456', text: 'Your order shipped' });

		expect(run.waitTill).toEqual(WAIT_INDEFINITELY);
		expect(run.status).toBe('waiting');
		const timedOut = { id: expect.stringMatching(/^MSG-/), status: 'timeout', delivered: false };
		// While it waits, the node shows the send with status "waiting".
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ ...timedOut, status: 'waiting' })]);
		// What n8n outputs if the limit expires: the timed-out item, not the input (which is left as it was).
		expect(waitingStackItems(run)).toEqual([{ json: expect.objectContaining(timedOut), pairedItem: { item: 0 } }]);
		expect(input).toEqual([{ order: 1 }]);
	});

	test('Limit Wait Time after an interval sets the wait\'s end; at a date and time, that date', async () => {
		const before = Date.now();
		const interval = await sendAndWait({ options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' } } } });
		expect(interval.error).toBeUndefined();
		const waitTill = interval.run.waitTill!.getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);

		const at = new Date(Date.now() + 86_400_000).toISOString();
		const dated = await sendAndWait({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } } } });
		expect(dated.run.waitTill?.toISOString()).toBe(at);
	});

	test('a limit in the past or not a date fails before anything is sent', async () => {
		for (const maxDateAndTime of ['2020-01-01T00:00:00Z', 'next tuesday']) {
			const { error, run } = await sendAndWait({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime } } } });
			expect(error?.message).toMatch(/^Invalid value in "Limit Wait Time → Max Date and Time"/);
			expect(error?.description).toMatch(/Nothing was sent/);
			expect(run.waitTill).toBeUndefined();
		}
		expect(await sandbox.received('/sms/send')).toHaveLength(0);
	});

	test('with several input items, only the first is sent, and a hint says so', async () => {
		const { items, error, run } = await sendAndWait({ to: '={{ $json.to }}' }, [{ to: '+40745123456' }, { to: '+40745123457' }, { to: '+40745123458' }]);
		expect(error).toBeUndefined();
		const sends = await sandbox.received('/sms/send');
		expect(sends.map((s) => (s.json as IDataObject).to)).toEqual(['+40745123456']);
		expect(items).toHaveLength(1);
		const hints = run.data.resultData.runData.CheckMobi[0].hints ?? [];
		expect(hints.map((h) => h.message)).toEqual([expect.stringMatching(/first of the 3 input items only.*Loop Over Items/)]);
	});

	test('a send that fails under Continue On Fail outputs the error and does not wait', async () => {
		const { items, error, run } = await sendAndWait({ to: '+40745999930' }, undefined, true);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.code)).toEqual([13]);
		expect(run.waitTill).toBeUndefined();
		expect(run.status).not.toBe('waiting');
	});
});

describe('refusals before anything is sent', () => {
	const parameters = { resource: 'sms', operation: 'sendAndWaitForDelivery', to: '+40745123456', text: 'Hi' };

	test("against the real service, a resume URL on this machine fails with the Notification Callback's fix", async () => {
		const { error, run } = await runNode({
			nodeType: new CheckMobi(),
			parameters,
			credentials: { secretKey: 'LIVE-KEY', signatureKey: '', baseUrl: 'https://api.checkmobi.com' },
		});
		expect(error?.message).toBe("CheckMobi cannot reach this n8n's resume URL");
		expect(error?.description).toMatch(/^CheckMobi calls it from the internet, and "127\.0\.0\.1:1" is on this machine\..*WEBHOOK_URL.*tunnel.*Nothing was sent\.$/s);
		expect(run.waitTill).toBeUndefined();
	});

	test('the AI-tool variant refuses a waiting operation a saved workflow still names', async () => {
		const { error, run } = await runNode({
			nodeType: new CheckMobi(),
			typeName: 'n8n-nodes-checkmobi.checkMobiTool',
			parameters,
			credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		});
		expect(error?.message).toBe('This operation waits for CheckMobi and cannot run as an AI tool');
		expect(run.waitTill).toBeUndefined();
		expect(await sandbox.received('/sms/send')).toHaveLength(0);
	});
});

describe('the resume decision', () => {
	const { wait } = sendAndWaitForDelivery;
	const sent = { id: 'MSG-1', status: 'timeout', delivered: false, estimated_units: 1 };

	test.each(['queued', 'sent'])('"%s" is acknowledged and the execution keeps waiting', (status) => {
		expect(decideResume(wait, { id: 'MSG-1', status }, sent)).toEqual({ answer: expect.objectContaining({ resumed: false }) });
	});

	test.each([
		['delivered', true],
		['failed', false],
		['undelivered', false],
		['rejected', false],
	])('"%s" resumes with the status, delivered: %s, the charges and the time', (status, delivered) => {
		const decision = decideResume(wait, { id: 'MSG-1', status, charged_amount: 0.05, units: 1 }, sent);
		expect(decision).toEqual({
			resume: { id: 'MSG-1', status, delivered, charged_amount: 0.05, units: 1, estimated_units: 1, status_time: expect.any(String) },
		});
		const { resume } = decision as { resume: IDataObject };
		expect(Math.abs(Date.parse(String(resume.status_time)) - Date.now())).toBeLessThan(5_000);
	});

	test('a final callback for another SMS (an earlier run of the node in a loop) does not resume', () => {
		expect(decideResume(wait, { id: 'MSG-0', status: 'delivered' }, sent)).toEqual({ answer: expect.objectContaining({ resumed: false }) });
	});
});

describe('Call → Place and Wait for End', () => {
	test('places one call with the resume URL as callback and waits; the timed-out item says not answered', async () => {
		const { items, error, run } = await runCheckMobi(sandbox, {
			resource: 'call',
			operation: 'placeAndWaitForEnd',
			to: '+40745123456',
			eventsMode: 'json',
			eventsJson: '[{ "action": "speak", "text": "The build is broken" }]',
		});
		expect(error).toBeUndefined();
		const calls = await sandbox.received('/call');
		expect(calls).toHaveLength(1);
		expect(String((calls[0].json as IDataObject).notification_callback)).toMatch(/\/webhook-waiting\/engine-test-run-\d+\/node-under-test\?signature=[0-9a-f]{64}$/);
		expect(run.status).toBe('waiting');
		const timedOut = { id: expect.stringMatching(/^CAL-/), status: 'timeout', answered: false };
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ ...timedOut, status: 'waiting' })]);
		expect(waitingStackItems(run)).toEqual([{ json: expect.objectContaining(timedOut), pairedItem: { item: 0 } }]);
	});

	const { wait } = placeAndWaitForEnd;
	const sent = { id: 'CAL-1', status: 'timeout', answered: false };

	test.each(['ringing', 'answer'])('"%s" keeps the execution waiting', (event) => {
		expect(decideResume(wait, { id: 'CAL-1', event }, sent)).toEqual({ answer: expect.objectContaining({ resumed: false }) });
	});

	test.each([
		[12, true],
		[0, false],
		[undefined, null],
	])('the hangup resumes; %s seconds billed: answered %s', (billed, answered) => {
		const callback: IDataObject = { id: 'CAL-1', event: 'hangup', charged_amount: 0.02, charged_rate: 0.02 };
		if (billed !== undefined) callback.duration_billed = billed;
		expect(decideResume(wait, callback, sent)).toEqual({
			resume: { ...callback, status: 'ended', answered, end_time: expect.any(String) },
		});
	});
});

describe('Validation → Request and Wait for Verification', () => {
	test('requests one validation with the resume URL as callback and waits; the timed-out item says not validated', async () => {
		const { items, error, run } = await runCheckMobi(sandbox, { resource: 'validation', operation: 'requestAndWaitForVerification', type: 'sms', number: '+40745123456' });
		expect(error).toBeUndefined();
		const requests = await sandbox.received('/validation/request');
		expect(requests).toHaveLength(1);
		expect(String((requests[0].json as IDataObject).notification_callback)).toMatch(/\/webhook-waiting\/engine-test-run-\d+\/node-under-test\?signature=[0-9a-f]{64}$/);
		expect(run.status).toBe('waiting');
		const timedOut = { id: expect.stringMatching(/^SMS-/), status: 'timeout', validated: false };
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ ...timedOut, status: 'waiting' })]);
		expect(waitingStackItems(run)).toEqual([{ json: expect.objectContaining(timedOut), pairedItem: { item: 0 } }]);
	});

	const { wait } = requestAndWaitForVerification;
	const sent = { id: 'SMS-1', type: 'sms', status: 'timeout', validated: false };

	test('the completed callback (its "key" is the validation id) resumes with validated true', () => {
		expect(decideResume(wait, { key: 'SMS-1', number: '+40745123456' }, sent)).toEqual({
			resume: { id: 'SMS-1', type: 'sms', key: 'SMS-1', number: '+40745123456', status: 'validated', validated: true, validated_at: expect.any(String) },
		});
	});

	test("another validation's callback does not resume", () => {
		expect(decideResume(wait, { key: 'SMS-0', number: '+40745123456' }, sent)).toEqual({ answer: expect.objectContaining({ resumed: false }) });
	});
});

describe('the AI-tool variant', () => {
	const { properties } = new CheckMobi().description;
	const shownOperations = (type: string, name: string, resource: string): string[] => {
		const node: INode = { id: 'x', name: 'CheckMobi', type, typeVersion: 1, position: [0, 0], parameters: { resource } };
		return properties
			.filter((p: INodeProperties) => p.name === 'operation' && NodeHelpers.displayParameter(node.parameters, p, node, { name, properties } as never))
			.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => String(o.value)));
	};

	test('offers the waiting operations in the node but not in its tool', () => {
		expect(shownOperations('n8n-nodes-checkmobi.checkMobi', 'checkMobi', 'sms')).toEqual(['get', 'send', 'sendAndWaitForDelivery']);
		expect(shownOperations('n8n-nodes-checkmobi.checkMobiTool', 'checkMobiTool', 'sms')).toEqual(['get', 'send']);
		expect(shownOperations('n8n-nodes-checkmobi.checkMobi', 'checkMobi', 'call')).toEqual(['get', 'hangUp', 'place', 'placeAndWaitForEnd']);
		expect(shownOperations('n8n-nodes-checkmobi.checkMobiTool', 'checkMobiTool', 'call')).toEqual(['get', 'hangUp', 'place']);
		expect(shownOperations('n8n-nodes-checkmobi.checkMobi', 'checkMobi', 'validation')).toContain('requestAndWaitForVerification');
		expect(shownOperations('n8n-nodes-checkmobi.checkMobiTool', 'checkMobiTool', 'validation')).toEqual(['getRemoteConfig', 'getStatus', 'request', 'verify']);
	});
});
