/** A test-only node that makes one transport call per item, so the transport runs in a real n8n context. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import type { SideEffect } from '../../nodes/CheckMobi/transport';
import { checkMobiApiRequest, DEFAULT_TRANSPORT_SETTINGS } from '../../nodes/CheckMobi/transport';
import { labelItems } from '../../nodes/CheckMobi/transport/wording';

export class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the CheckMobi transport once per item',
		defaults: { name: 'Transport Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'checkMobiApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/my-account' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Client IP', name: 'clientIp', type: 'string', default: '' },
			{ displayName: 'Timeout', name: 'timeout', type: 'number', default: 0 },
			{ displayName: 'Side Effect', name: 'sideEffect', type: 'string', default: 'none' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const body = this.getNodeParameter('body', i) as string | IDataObject;
			let response;
			try {
				response = await checkMobiApiRequest.call(this, {
					method: this.getNodeParameter('method', i) as 'GET' | 'POST' | 'DELETE',
					path: this.getNodeParameter('path', i) as string,
					body: body === '' ? undefined : typeof body === 'string' ? (JSON.parse(body) as IDataObject) : body,
					clientIp: (this.getNodeParameter('clientIp', i) as string) || undefined,
					timeout: (this.getNodeParameter('timeout', i) as number) || undefined,
					sideEffect: this.getNodeParameter('sideEffect', i) as SideEffect,
				}, DEFAULT_TRANSPORT_SETTINGS);
			} catch (error) {
				// The transport knows nothing of items: the caller labels the error, as the node's router does.
				throw labelItems(error as Error, [i]);
			}
			output.push({ json: { response: (response ?? null) as IDataObject }, pairedItem: { item: i } });
		}
		return [output];
	}
}
