import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from './types';
import { operationChoices } from './types';
import { offeredToAgents } from './agentOperations';

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

/**
 * A resource's Operation dropdown twice: whole for the node, and for the node's AI-tool variant
 * (n8n shows it under `@tool`) only the operations `offeredToAgents`.
 */
export function operationFieldsForNodeAndTool<K extends string>(
	resource: string,
	operations: Record<K, Operation>,
	choices: Record<K, Omit<INodePropertyOptions, 'value'>>,
	defaultOperation: NoInfer<K>,
): INodeProperties[] {
	const field = operationField(resource, operations, choices, defaultOperation);
	const show = { resource: [resource] };
	const offered = (option: INodePropertyOptions) => offeredToAgents(operations[option.value as K]);
	return [
		{ ...field, displayOptions: { show: { ...show, '@tool': [false] } } },
		{ ...field, displayOptions: { show: { ...show, '@tool': [true] } }, options: (field.options as INodePropertyOptions[]).filter(offered) },
	];
}
