/** The parameters and webhook that every operation that waits for CheckMobi's callback shares. */
import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import type { OperationDeclaration } from '../types';

/**
 * The resume webhook: n8n routes /webhook-waiting/<execution>/<node id>?signature=<token> to the
 * waiting node. A named constant, not an inline array: it is not registered anywhere (restart
 * webhooks have no lifecycle), which the community lint's webhook-lifecycle rule cannot tell.
 */
export const WAIT_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** As n8n's own send-and-wait nodes: after an interval or at a date and time; no limit waits for ever. */
export const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether to stop waiting after a time. The node then outputs the item with status "timeout". n8n checks for expired waits once a minute, so it may end up to a minute late.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					description: 'Whether to stop waiting after a time interval or at a date and time',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Waits for a certain amount of time' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until a date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					typeOptions: { minValue: 1, numberPrecision: 0 },
					default: 45,
					description: 'The time to wait',
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'minutes',
					description: 'Unit of the interval value',
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
					default: '',
					description: 'Continue execution after the specified date and time',
				},
			],
		},
	],
};

/**
 * A sending operation's fields for its waiting twin: one request, whose callback is this execution,
 * so no Concurrency, Pace to Account Limits or Notification Callback; Limit Wait Time instead.
 */
export function waitingFields(fields: INodeProperties[]): INodeProperties[] {
	return fields.map((field) => {
		if (field.name !== 'options') return field;
		const kept = (field.options as INodeProperties[]).filter((option) => !['concurrency', 'notificationCallback', 'paceToAccountLimits'].includes(option.name));
		return { ...field, options: [...kept, limitWaitTimeOption].sort((a, b) => a.displayName.localeCompare(b.displayName)) };
	});
}

/** The sending operation's declaration for its waiting twin: one request, so not paced, and none of the options it leaves out. */
export function waitingDeclaration(declaration: OperationDeclaration): OperationDeclaration {
	return { ...declaration, pacing: null, options: { ...declaration.options, concurrency: false, paceToAccountLimits: false } };
}
