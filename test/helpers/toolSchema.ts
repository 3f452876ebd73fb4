/**
 * What the editor shows of a node description for given parameter values, as n8n-workflow's
 * displayParameter decides it (the `@tool` condition is true when the description's name ends in
 * "Tool", as on n8n's generated tool variant). Serves the built description and n8n's export alike.
 */
import type { INodeParameters, INodeProperties, INodePropertyCollection, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

export interface ShownField {
	/** e.g. "operation", "options.timeout", "events.event.loop" */
	path: string;
	property: INodeProperties;
}

/**
 * The fields shown for `parameters`; the children of a collection or fixed collection are judged
 * with `nested` as their own values (e.g. { type: 'speak' } for a call action).
 */
export function shownFields(description: Pick<INodeTypeDescription, 'name' | 'properties'>, parameters: INodeParameters, nested: INodeParameters = {}): ShownField[] {
	const type = description as INodeTypeDescription;
	const shown = (values: INodeParameters, property: INodeProperties) => NodeHelpers.displayParameter(values, property, null, type, values);
	const out: ShownField[] = [];
	for (const property of description.properties) {
		if (!shown(parameters, property)) continue;
		out.push({ path: property.name, property });
		if (property.type === 'collection') {
			for (const child of (property.options ?? []) as INodeProperties[]) {
				if (shown({ ...parameters, ...nested }, child)) out.push({ path: `${property.name}.${child.name}`, property: child });
			}
		}
		if (property.type === 'fixedCollection') {
			for (const group of (property.options ?? []) as INodePropertyCollection[]) {
				for (const child of group.values) {
					if (shown(nested, child)) out.push({ path: `${property.name}.${group.name}.${child.name}`, property: child });
				}
			}
		}
	}
	return out;
}

/** The choices of the shown Operation field. */
export function operationChoices(fields: ShownField[]): string[] {
	const operations = fields.filter((field) => field.path === 'operation');
	if (operations.length !== 1) throw new Error(`expected one Operation field shown, got ${operations.length}`);
	return (operations[0].property.options ?? []).map((option) => String((option as { value: unknown }).value));
}
