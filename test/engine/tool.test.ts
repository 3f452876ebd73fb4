/**
 * The node as an AI agent's tool (n8n runs it under the type name with `Tool` appended): what is
 * hidden from the tool's fields is refused at run time too, since a saved workflow or a value the
 * agent fills in can still hold it. The same parameters on the action node work as before.
 */
import type { INodeParameters } from 'n8n-workflow';

import { agentRefusal, offeredToAgents } from '../../nodes/CheckMobi/actions/agentOperations';
import { resources } from '../../nodes/CheckMobi/actions/registry';
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

// Every operation the tool does not offer, with parameters that would send as the action node.
const HIDDEN_FROM_AGENTS: Record<string, { parameters: INodeParameters; path: string }> = {
	'sms → sendAndWaitForDelivery': { parameters: { to: '+40745123456', text: 'Hi' }, path: '/sms/send' },
	'call → placeAndWaitForEnd': { parameters: { to: '+40745123456', eventsMode: 'json', eventsJson: '[{"action":"speak","text":"Hi"}]' }, path: '/call' },
	'validation → requestAndWaitForVerification': { parameters: { type: 'sms', number: '+40745123456' }, path: '/validation/request' },
	'lookup → hlrBulk': { parameters: { numbersFrom: 'eachItem', number: '+40745000001' }, path: '/lookup/hlr' },
	'lookup → mnpBulk': { parameters: { numbersFrom: 'eachItem', number: '+40745000001' }, path: '/lookup/mnp' },
};

test('the cases below are exactly the operations the tool does not offer', () => {
	const hidden = Object.entries(resources).flatMap(([resource, operations]) =>
		Object.entries(operations)
			.filter(([, operation]) => !offeredToAgents(operation))
			.map(([name]) => `${resource} → ${name}`),
	);
	expect(hidden.sort()).toEqual(Object.keys(HIDDEN_FROM_AGENTS).sort());
});

test.each(Object.entries(HIDDEN_FROM_AGENTS))('%s is refused as a tool before anything is read or sent', async (key, { parameters, path }) => {
	const [resource, operation] = key.split(' → ');
	const { error } = await runCheckMobi(sandbox, { resource, operation, notificationCallback: receiver.url, ...parameters }, [{}], false, TOOL);
	const expected = agentRefusal({} as never, operation, resources[resource][operation]);
	expect(error?.message).toBe(expected.message);
	expect(error?.description).toBe(expected.description);
	expect(await sandbox.received(path)).toEqual([]);
});

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
