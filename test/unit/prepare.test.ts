/**
 * Request shapes without a server: each operation's `prepare()` called directly, parameters in,
 * request out. The engine and sandbox tests check the same shapes end to end; these take milliseconds.
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { resources } from '../../nodes/CheckMobi/actions/registry';
import type { ItemOperation, OperationRequest } from '../../nodes/CheckMobi/actions/types';
import { isBatchOperation } from '../../nodes/CheckMobi/actions/types';

const node: INode = { id: 'n', name: 'CheckMobi', type: 'n8n-nodes-checkmobi.checkMobi', typeVersion: 1, position: [0, 0], parameters: {} };

/** Just enough of n8n's execute context for prepare(): parameters (dotted paths too), the node, hints. */
function context(parameters: IDataObject): IExecuteFunctions {
	const read = (path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], parameters);
	return {
		getNode: () => node,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => read(name) ?? fallback,
		addExecutionHints: () => undefined,
	} as unknown as IExecuteFunctions;
}

async function prepared(resource: string, operation: string, parameters: IDataObject): Promise<OperationRequest> {
	const op = resources[resource][operation];
	if (isBatchOperation(op)) throw new Error(`${resource} → ${operation} plans batches`);
	return (await (op as ItemOperation).prepare.call(context(parameters), 0)).request;
}

const table: Array<[string, string, IDataObject, OperationRequest]> = [
	['account', 'get', {}, { method: 'GET', path: '/my-account' }],
	['sms', 'get', { id: 'MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }, { method: 'GET', path: '/sms/MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }],
	['call', 'get', { id: 'CAL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }, { method: 'GET', path: '/call/CAL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D' }],
	['lookup', 'hlr', { number: '+40 745 123 456' }, { method: 'GET', path: '/lookup/hlr/40745123456' }],
	['lookup', 'mnp', { number: '+40745123456' }, { method: 'GET', path: '/lookup/mnp/40745123456' }],
	['lookup', 'validate', { number: '+40745123456' }, { method: 'GET', path: '/lookup/verify/40745123456' }],
	[
		'sms',
		'send',
		{ to: '+40745123456', text: 'Hello', options: { from: 'CHKMOB', isTransactional: false, platform: 'ios', clientIp: '203.0.113.7' } },
		{ method: 'POST', path: '/sms/send', body: { from: 'CHKMOB', to: '+40745123456', text: 'Hello', is_transactional: false, platform: 'ios' }, clientIp: '203.0.113.7' },
	],
];

describe('prepare(): parameters in, request out', () => {
	test.each(table)('%s → %s', async (resource, operation, parameters, request) => {
		expect(await prepared(resource, operation, parameters)).toEqual(expect.objectContaining(request));
	});

	test('a bad parameter fails before any request, naming the field (the router adds the item)', async () => {
		await expect(prepared('sms', 'send', { to: '0745', text: 'Hi' })).rejects.toThrow(/"To"/);
		await expect(prepared('sms', 'send', { to: '+40745123456', text: '  ' })).rejects.toThrow('Invalid value in "Text"');
	});
});
