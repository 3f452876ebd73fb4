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

/**
 * A resource's Operation dropdown twice: whole for the node, and without `hiddenFromTool` for the
 * node's AI-tool variant (n8n shows it under `@tool`). Those are operations an agent cannot use: one
 * that waits (n8n resumes no waiting tool call but its own human-approval ones) or one whose results
 * go to a CheckMobi Trigger's URL. Hidden keys are the resource's operation keys, so a misspelt one fails the type-check.
 */
export function operationFieldsForNodeAndTool<K extends string>(
	resource: string,
	operations: Record<K, Operation>,
	choices: Record<K, Omit<INodePropertyOptions, 'value'>>,
	defaultOperation: NoInfer<K>,
	hiddenFromTool: ReadonlyArray<NoInfer<K>>,
): INodeProperties[] {
	const field = operationField(resource, operations, choices, defaultOperation);
	const show = { resource: [resource] };
	return [
		{ ...field, displayOptions: { show: { ...show, '@tool': [false] } } },
		{
			...field,
			displayOptions: { show: { ...show, '@tool': [true] } },
			options: (field.options as INodePropertyOptions[]).filter((option) => !(hiddenFromTool as readonly string[]).includes(String(option.value))),
		},
	];
}
