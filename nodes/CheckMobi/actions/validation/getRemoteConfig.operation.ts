import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, phoneNumberField, platformField } from '../common.descriptions';
import { readPhoneNumber, readPlatform } from '../inputs';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { readAnyLanguage } from './fields';

const properties: INodeProperties[] = [
	phoneNumberField(
		'The phone number that is about to be verified, in international form with its country code (E.164). Nothing is sent to it.',
	),
	{
		...platformField,
		required: true,
		description:
			'The platform of the app that will run the validation. For Android, an SMS step also returns the app hash for the SMS Retriever API when your profile has one.',
	},
	optionsCollection([
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. en',
			description:
				'Language of the texts in the answer: a two-letter ISO 639-1 code of a custom SMS text (en, it…) or a voice language (en-US, fr-FR…). Without it, the application defaults are used.',
		},
	]),
];

// A POST, but it only reads the profile: a failed one is sent again.
export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: true } };

export const description = updateDisplayOptions(
	{ show: { resource: ['validation'], operation: ['getRemoteConfig'] } },
	withSharedOptions(declaration, properties),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const number = readPhoneNumber.call(this, itemIndex);
	const platform = readPlatform.call(this, this.getNodeParameter('platform', itemIndex), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { number, platform };
	const language = readAnyLanguage.call(this, options.language, itemIndex);
	if (language) body.language = language;
	return { request: { method: 'POST', path: '/validation/remote-config', body } };
}
