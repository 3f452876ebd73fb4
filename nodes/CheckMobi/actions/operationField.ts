import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from './types';
import { operationChoices } from './types';

/** A resource's Operation dropdown, shown when that resource is chosen, its choices checked against its operations table. */
export function operationField<K extends string>(
	resource: string,
	operations: Record<K, Operation>,
	choices: Record<K, Omit<INodePropertyOptions, 'value'>>,
	defaultOperation: NoInfer<K>,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operationChoices(operations, choices),
		default: defaultOperation,
	};
}
