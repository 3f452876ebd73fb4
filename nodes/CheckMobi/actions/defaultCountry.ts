/** The Default Country option: how the operations that take phone numbers read national numbers. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { defaultCountryOptions } from '../helpers/countries';

export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'options',
	options: defaultCountryOptions,
	default: 'US',
	description:
		'Read numbers written without an international prefix (no "+" or "00") as national numbers of this country, its trunk prefix dropped: with Romania, "0745 123 456" is +40745123456. Numbers with "+" or "00" are read as international whatever the country.',
};

/** The Default Country of an item: its ISO2 code, or undefined where the option is not set. */
export function readDefaultCountry(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const value = this.getNodeParameter('options.defaultCountry', itemIndex, '') as unknown;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
