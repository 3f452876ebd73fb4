import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	optionsCollection,
	phoneNumberField,
	voiceLanguageOptions,
} from '../common.descriptions';
import { readClientIp, readPhoneNumber } from '../inputs';
import { readCallbackAndPlatform, sendingOptionFields } from '../sendingOptions';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { readAndroidAppHash, readSmsLanguage, readValidationType, readVoiceLanguage } from './fields';

export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

/** Request's fields; Validation → Request and Wait for Verification shows them too. */
export const requestFields: INodeProperties[] = withSharedOptions(declaration, [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		required: true,
		options: [
			{
				name: 'SMS',
				value: 'sms',
				description: 'CheckMobi texts a PIN to the number',
			},
			{
				name: 'IVR',
				value: 'ivr',
				description: 'CheckMobi calls the number and a voice reads out the PIN',
			},
			{
				name: 'Missed Call',
				value: 'reverse_cli',
				description:
					'CheckMobi rings the number once and hangs up; the PIN is the last 4 digits of the number that called',
			},
		],
		default: 'sms',
		description: 'How the user receives the PIN to enter',
	},
	phoneNumberField(
		'The phone number to verify, in international form with its country code (E.164). Spaces, dashes and brackets are fine.',
	),
	{
		displayName:
			'The user gets a call that rings once and stops. The PIN to verify is the <b>last 4 digits of the calling number</b>, which an Android app can read itself and other users find in their call log. The output has <code>pin_hash</code> (SHA-1 of the last 3 digits) and <code>cli_prefix</code> (the first digits) so an app can recognize that call; no PIN is sent by SMS or voice.',
		name: 'missedCallNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { type: ['reverse_cli'] } },
	},
	optionsCollection([
		{
			displayName: 'Android App Hash',
			name: 'androidAppHash',
			type: 'string',
			default: '',
			placeholder: 'e.g. FA+9qCX9VSu',
			displayOptions: { show: { '/type': ['sms'] } },
			description:
				'For Android apps that read the PIN with Google\'s SMS Retriever API: the 11-character hash of your app. CheckMobi then formats the SMS as "&lt;#&gt; {message}" followed by a line with the hash, so the app receives it without SMS permissions. Get Remote Config with platform Android returns it when your profile has one.',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. en',
			displayOptions: { show: { '/type': ['sms'] } },
			description:
				'Two-letter ISO 639-1 code (en, it, fr…) of a custom SMS text saved in your CheckMobi application settings. Without it, or when no text exists for that code, the default text is sent.',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			options: voiceLanguageOptions,
			default: 'en-US',
			displayOptions: { show: { '/type': ['ivr'] } },
			description:
				'The language the voice speaks the PIN in. It takes precedence over the voice chosen in your application settings. Without it, the application default is used.',
		},
		...sendingOptionFields({
			clientIp:
				"The IP address of the end user asking for the PIN, sent as X-Client-IP. CheckMobi's anti-fraud rules need it when the request comes from your server (as it does from n8n) rather than from the user's device.",
			notificationCallback:
				'Where CheckMobi posts a notice when the number has been validated (the PIN was verified). To react to it in n8n, add a CheckMobi Trigger node and paste its Production URL here.',
			platform: 'The platform of the app the user is on. CheckMobi recommends it for better analytics.',
		}),
	]),
]);

export const description = updateDisplayOptions(
	{ show: { resource: ['validation'], operation: ['request'] } },
	requestFields,
);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedRequest> {
	const type = readValidationType.call(this, itemIndex);
	const number = readPhoneNumber.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { number, type };
	// A language or app hash left over from another type is hidden in the editor: it must not be sent.
	const language =
		type === 'sms'
			? readSmsLanguage.call(this, options.language, itemIndex)
			: type === 'ivr'
				? readVoiceLanguage.call(this, options.language, itemIndex)
				: undefined;
	if (language) body.language = language;
	Object.assign(body, await readCallbackAndPlatform.call(this, options, itemIndex));
	const appHash = type === 'sms' ? readAndroidAppHash.call(this, options.androidAppHash, itemIndex) : undefined;
	if (appHash) body.android_app_hash = appHash;
	const clientIp = readClientIp.call(this, options.clientIp, itemIndex);

	return { request: { method: 'POST', path: '/validation/request', body, clientIp } };
}
