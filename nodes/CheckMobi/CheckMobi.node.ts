import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceChoices, resourceProperties } from './actions/registry';
import { router } from './actions/router';
import type { TransportSettings } from './transport';
import { DEFAULT_TRANSPORT_SETTINGS } from './transport';
import { WAIT_WEBHOOKS } from './actions/wait/fields';
import { resumeWebhook } from './actions/wait/resume';

export class CheckMobi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CheckMobi',
		name: 'checkMobi',
		icon: { light: 'file:checkmobi.svg', dark: 'file:checkmobi.dark.svg' },
		group: ['output'],
		// 2: Lookup → HLR, MNP and Validate simplify their output by default.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Verify phone numbers by SMS, voice or missed call, send SMS, place voice calls and look up numbers with CheckMobi',
		defaults: { name: 'CheckMobi' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'checkMobiApi', required: true }],
		// Only the operations that wait for CheckMobi's callback use it (n8n's resume URL).
		webhooks: WAIT_WEBHOOKS,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resourceChoices,
				default: 'validation',
			},
			...resourceProperties,
		],
	};

	/** Made per node so it keeps the settings: n8n calls it with the execution's context as `this`. */
	readonly execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	/** n8n builds the node without arguments (the real retry delays); tests may pass shorter ones. */
	constructor(transport: TransportSettings = DEFAULT_TRANSPORT_SETTINGS) {
		this.execute = async function (this: IExecuteFunctions) {
			return await router.call(this, transport);
		};
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWebhook.call(this);
	}
}
