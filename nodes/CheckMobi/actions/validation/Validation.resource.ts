import type { INodeProperties } from 'n8n-workflow';

import { operationFieldsForNodeAndTool } from '../operationField';
import type { Operation } from '../types';
import * as getRemoteConfig from './getRemoteConfig.operation';
import * as getStatus from './getStatus.operation';
import * as request from './request.operation';
import * as requestAndWaitForVerification from './requestAndWaitForVerification.operation';
import * as verify from './verify.operation';

export const operations = { request, requestAndWaitForVerification, verify, getStatus, getRemoteConfig } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	...operationFieldsForNodeAndTool(
		'validation',
		operations,
		{
			getRemoteConfig: {
				name: 'Get Remote Config',
				description: 'Get the validation methods, in order, that your Remote Config profile sets for a number',
				action: 'Get the remote config for a number',
			},
			getStatus: {
				name: 'Get Status',
				description: 'Get whether a validation request has been completed',
				action: 'Get the status of a validation',
			},
			request: {
				name: 'Request',
				description: 'Prove a user owns a number: CheckMobi sends a PIN by SMS or IVR call, or rings with a missed call whose number ends in the PIN',
				action: 'Request a phone number validation',
			},
			requestAndWaitForVerification: {
				name: 'Request and Wait for Verification',
				description:
					"Start verifying the first input item's number, wait until it is verified, then continue. CheckMobi reports only completed validations: set a Limit Wait Time for the others.",
				action: 'Request a validation and wait for verification',
			},
			verify: {
				name: 'Verify',
				description: 'Check the PIN a user entered against their validation request',
				action: 'Verify a PIN',
			},
		},
		'request',
	),
	...request.description,
	...requestAndWaitForVerification.description,
	...verify.description,
	...getStatus.description,
	...getRemoteConfig.description,
];
