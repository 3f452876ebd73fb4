import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as call from './actions/call/Call.resource';
import * as country from './actions/country/Country.resource';
import * as lookup from './actions/lookup/Lookup.resource';
import * as number from './actions/number/Number.resource';
import * as prefix from './actions/prefix/Prefix.resource';
import { router } from './actions/router';
import * as sms from './actions/sms/Sms.resource';
import * as validation from './actions/validation/Validation.resource';
import { WAIT_WEBHOOKS } from './actions/wait/fields';
import { resumeWebhook } from './actions/wait/resume';

export class CheckMobi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CheckMobi',
		name: 'checkMobi',
		icon: { light: 'file:checkmobi.svg', dark: 'file:checkmobi.dark.svg' },
		group: ['output'],
		version: 1,
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
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Call', value: 'call' },
					{ name: 'Country', value: 'country' },
					{ name: 'Lookup', value: 'lookup' },
					{ name: 'Number', value: 'number' },
					{ name: 'Prefix', value: 'prefix' },
					{ name: 'SMS', value: 'sms' },
					{ name: 'Validation', value: 'validation' },
				],
				default: 'validation',
			},
			...account.description,
			...validation.description,
			...sms.description,
			...call.description,
			...lookup.description,
			...number.description,
			...country.description,
			...prefix.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWebhook.call(this);
	}
}
