/**
 * The one place that puts the shared options (Concurrency, Timeout, Pace to Account Limits,
 * Default Country) into an operation's Options collection, from what its declaration says it takes.
 */
import type { INodeProperties } from 'n8n-workflow';

import { concurrencyOption, paceOption, timeoutOption } from './common.descriptions';
import { defaultCountryOption } from './defaultCountry';
import type { OperationDeclaration, SharedOption } from './types';

const FIELDS: Record<SharedOption, INodeProperties> = {
	concurrency: concurrencyOption,
	timeout: timeoutOption,
	paceToAccountLimits: paceOption,
	defaultCountry: defaultCountryOption,
};

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/**
 * The properties with the declared shared options added to their Options collection, which lists
 * its fields by name as the editor does. An operation that takes any of them must have the
 * collection (`optionsCollection([])` when it has no option of its own).
 */
export function withSharedOptions(declaration: OperationDeclaration, properties: INodeProperties[]): INodeProperties[] {
	const shared = (Object.keys(FIELDS) as SharedOption[]).filter((option) => declaration.options[option]).map((option) => FIELDS[option]);
	const collections = properties.filter((property) => property.name === 'options' && property.type === 'collection');
	if (collections.length > 1) throw new Error('An operation has one Options collection');
	if (collections.length === 0) {
		if (shared.length > 0) throw new Error(`No Options collection to add ${shared.map((field) => field.displayName).join(', ')} to`);
		return properties;
	}
	return properties.map((property) =>
		property === collections[0]
			? { ...property, options: [...((property.options ?? []) as INodeProperties[]), ...shared].sort(byDisplayName) }
			: property,
	);
}
