import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as account from './account/Account.resource';
import * as call from './call/Call.resource';
import * as country from './country/Country.resource';
import * as lookup from './lookup/Lookup.resource';
import * as number from './number/Number.resource';
import * as prefix from './prefix/Prefix.resource';
import * as sms from './sms/Sms.resource';
import type { Operation } from './types';
import * as validation from './validation/Validation.resource';

interface Resource {
	operations: Record<string, Operation>;
	description: INodeProperties[];
}

/** The node's one table of resources: the Resource choices, the properties and the router's map come from it. */
const registry = {
	account: { name: 'Account', resource: account },
	call: { name: 'Call', resource: call },
	country: { name: 'Country', resource: country },
	lookup: { name: 'Lookup', resource: lookup },
	number: { name: 'Number', resource: number },
	prefix: { name: 'Prefix', resource: prefix },
	sms: { name: 'SMS', resource: sms },
	validation: { name: 'Validation', resource: validation },
} satisfies Record<string, { name: string; resource: Resource }>;

export type ResourceName = keyof typeof registry;
/** The operation names of a resource, as its table declares them. */
export type OperationName<R extends ResourceName> = keyof (typeof registry)[R]['resource']['operations'] & string;

const names = Object.keys(registry) as ResourceName[];

/** Every operation of the node, by resource and operation name. */
export const resources: Record<string, Record<string, Operation>> = Object.fromEntries(
	names.map((name) => [name, registry[name].resource.operations]),
);

export const resourceChoices: INodePropertyOptions[] = names.map((value) => ({ name: registry[value].name, value }));

/** Every resource's properties (its Operation choice and each operation's fields). */
export const resourceProperties: INodeProperties[] = names.flatMap((name) => registry[name].resource.description);
