/** The languages CheckMobi's voice speaks: data for the fields (descriptions) and for the call-action checks (helpers). */
import type { INodePropertyOptions } from 'n8n-workflow';

/** The languages CheckMobi's voice can speak (the reference's IVR table). */
export const voiceLanguageOptions: INodePropertyOptions[] = [
	{ name: 'Danish', value: 'da-DK' },
	{ name: 'Dutch', value: 'nl-NL' },
	{ name: 'English (Australia)', value: 'en-AU' },
	{ name: 'English (UK)', value: 'en-GB' },
	{ name: 'English (US)', value: 'en-US' },
	{ name: 'French', value: 'fr-FR' },
	{ name: 'French (Canada)', value: 'fr-CA' },
	{ name: 'German', value: 'de-DE' },
	{ name: 'Italian', value: 'it-IT' },
	{ name: 'Polish', value: 'pl-PL' },
	{ name: 'Portuguese', value: 'pt-PT' },
	{ name: 'Portuguese (Brazil)', value: 'pt-BR' },
	{ name: 'Russian', value: 'ru-RU' },
	{ name: 'Spanish', value: 'es-ES' },
	{ name: 'Spanish (US)', value: 'es-US' },
	{ name: 'Swedish', value: 'sv-SE' },
];

/** Languages that have only one voice; the other voice is not available for them. */
export const SINGLE_VOICE_LANGUAGES: Record<string, 'WOMAN'> = {
	'da-DK': 'WOMAN',
	'fr-CA': 'WOMAN',
	'pt-PT': 'WOMAN',
	'ru-RU': 'WOMAN',
	'sv-SE': 'WOMAN',
};
