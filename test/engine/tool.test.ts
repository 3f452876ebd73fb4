/**
 * The node as an AI agent's tool (n8n runs it under the type name with `Tool` appended): what is
 * hidden from the tool's fields is refused at run time too, since a saved workflow or a value the
 * agent fills in can still hold it. The same parameters on the action node work as before.
 */
import type { INodeParameters } from 'n8n-workflow';

import { runCheckMobi } from '../helpers/checkMobi';
import { startReceiver, useSandbox, type Receiver } from '../helpers/sandbox';

const sandbox = useSandbox();
const TOOL = { typeName: 'n8n-nodes-checkmobi.checkMobiTool' };

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});

const speak = (loop: number) =>
	({
		to: '+40745123456',
		eventsMode: 'fields',
		events: { event: [{ type: 'speak', text: 'Disk full', loop }] },
	}) as unknown as INodeParameters;

test('a bulk lookup is refused as a tool, and nothing is sent', async () => {
	const parameters = { resource: 'lookup', operation: 'hlrBulk', numbersFrom: 'eachItem', number: '+40745000001', notificationCallback: receiver.url };
	const { error } = await runCheckMobi(sandbox, parameters, [{}], false, TOOL);
	expect(error?.message).toBe('The operation "hlrBulk" is not available to an AI agent');
	expect(error?.description).toMatch(/CheckMobi Trigger/);
	expect(await sandbox.received('/lookup/hlr')).toEqual([]);

	const asAction = await runCheckMobi(sandbox, parameters, [{}]);
	expect(asAction.error).toBeUndefined();
	expect(await sandbox.received('/lookup/hlr')).toHaveLength(1);
});

test('a Speak action with a Loop of 0 (until hung up) is refused as a tool; 1 or more is placed', async () => {
	const refused = await runCheckMobi(sandbox, { resource: 'call', operation: 'place', ...speak(0) }, [{}], false, TOOL);
	expect(refused.error?.message).toBe('A Loop of 0 is not available to an AI agent [item 0]');
	expect(await sandbox.received('/call')).toEqual([]);

	const placed = await runCheckMobi(sandbox, { resource: 'call', operation: 'place', ...speak(2) }, [{}], false, TOOL);
	expect(placed.error).toBeUndefined();
	expect(String(placed.items[0].json.id)).toMatch(/^CAL-/);

	const asAction = await runCheckMobi(sandbox, { resource: 'call', operation: 'place', ...speak(0) }, [{}]);
	expect(asAction.error).toBeUndefined();
	const sent = await sandbox.received('/call');
	expect(sent.map((request) => (request.json as { events: Array<{ loop: number }> }).events[0].loop)).toEqual([2, 0]);
});
