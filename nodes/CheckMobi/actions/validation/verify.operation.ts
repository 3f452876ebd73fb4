import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../common.descriptions';
import { invalidValue, readId } from '../inputs';
import { withId } from '../records';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { validationId, validationIdField } from './fields';

/** The PIN that, with server hang-up, ends a missed call that is still ringing. */
const HANGUP_PIN = 'HANGUP';

const properties: INodeProperties[] = [
	validationIdField,
	{
		displayName: 'PIN',
		name: 'pin',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234',
		hint: 'For a Missed Call validation, the last 4 digits of the number that called the user',
		description:
			'The PIN the user entered: the code from the SMS or the IVR call, or for a Missed Call the last 4 digits of the calling number. Map it as text (a PIN stored as a number loses its leading zeros). Each validation allows 3 attempts by default; a wrong PIN returns validated = false rather than an error.',
	},
	{
		displayName: 'Use Server Hang-Up',
		name: 'useServerHangup',
		type: 'boolean',
		default: false,
		description:
			'Whether CheckMobi should end the missed call itself (Missed Call validations only). Some carriers charge the caller when the phone rejects a call, so the app lets it ring and CheckMobi hangs up instead.',
	},
	{
		displayName:
			'With Use Server Hang-Up on, the PIN <b>HANGUP</b> ends a missed call that is still ringing, without validating the number (the output shows validated = false). Make sure the app does not reject the call itself.',
		name: 'serverHangupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { useServerHangup: [true] } },
	},
	optionsCollection([]),
];

// Every verify uses up one of the validation's PIN attempts.
export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions(
	{ show: { resource: ['validation'], operation: ['verify'] } },
	withSharedOptions(declaration, properties),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, validationId);
	const pin = readPin.call(this, itemIndex);
	const useServerHangup = this.getNodeParameter('useServerHangup', itemIndex, false) as boolean;
	if (pin === HANGUP_PIN && !useServerHangup) {
		throw new NodeOperationError(this.getNode(), 'The PIN "HANGUP" needs "Use Server Hang-Up"', {
			itemIndex,
			description:
				'On its own, HANGUP is just a wrong PIN and uses up one of the validation\'s attempts. Turn on "Use Server Hang-Up" to end a missed call that is still ringing.',
		});
	}

	const body: IDataObject = { id, pin };
	if (useServerHangup) body.use_server_hangup = true;
	return {
		request: { method: 'POST', path: '/validation/verify', body },
		// The answer does not say which validation it is about.
		toOutput: withId(id),
	};
}

function readPin(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('pin', itemIndex);
	// A PIN may reach the node as a number from an expression; its digits are the same.
	const pin = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof pin !== 'string' || pin.trim() === '') {
		throw invalidValue(
			this,
			itemIndex,
			'PIN',
			value,
			'The PIN is empty or not text. Map the code the user entered, for example {{ $json.pin }}; nothing was sent, so no attempt was used up.',
		);
	}
	const trimmed = pin.trim();
	return trimmed.toUpperCase() === HANGUP_PIN ? HANGUP_PIN : trimmed;
}
