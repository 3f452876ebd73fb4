/**
 * The node's resource and operation lists and the router's map come from one typed table, so they
 * cannot disagree, and a missing, extra or misspelt operation fails the type-check (the
 * `@ts-expect-error` lines below fail `npm run typecheck` if the type stops catching them).
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import * as sms from '../../nodes/CheckMobi/actions/sms/Sms.resource';
import type { OperationName, ResourceName } from '../../nodes/CheckMobi/actions/registry';
import { resources } from '../../nodes/CheckMobi/actions/registry';
import { operationFieldsForNodeAndTool } from '../../nodes/CheckMobi/actions/operationField';
import { isBatchOperation, operationChoices } from '../../nodes/CheckMobi/actions/types';
import { isWaitOperation } from '../../nodes/CheckMobi/actions/wait/types';

const { properties } = new CheckMobi().description;
const choice = { name: 'X', action: 'X' };

describe('the operation registry', () => {
	it('types operation choices by the resource table: a missing or misspelt key does not compile', () => {
		// @ts-expect-error "send" is missing
		expect(() => operationChoices(sms.operations, { get: choice })).not.toThrow();
		// @ts-expect-error "sned" is no operation of SMS
		expect(() => operationChoices(sms.operations, { get: choice, send: choice, sned: choice })).toThrow('No operation "sned"');
		const known: OperationName<'sms'> = 'send';
		// @ts-expect-error "sned" is no operation name
		const misspelt: OperationName<'sms'> = 'sned';
		// @ts-expect-error "mms" is no resource
		const resource: ResourceName = 'mms';
		expect([known, misspelt, resource]).toHaveLength(3);
	});

	it('gives the editor exactly the resources and operations the router runs', () => {
		const resourceOptions = properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
		expect(resourceOptions.map((o) => o.value).sort()).toEqual(Object.keys(resources).sort());
		expect(Object.keys(resources)).toContain(properties.find((p) => p.name === 'resource')!.default);
		for (const [resource, operations] of Object.entries(resources)) {
			// The action node's list; a resource may add a shorter one for the AI tool (`@tool`).
			const operationList = properties.filter(
				(p: INodeProperties) =>
					p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions?.show?.['@tool']?.[0] !== true,
			);
			expect(operationList).toHaveLength(1);
			const values = (operationList[0].options as INodePropertyOptions[]).map((o) => o.value);
			expect([...values].sort()).toEqual(Object.keys(operations).sort());
			expect(values).toContain(operationList[0].default);
		}
	});
});

describe("the AI tool's Operation lists", () => {
	it('hide exactly the operations an agent cannot use: those that wait, and the bulk lookups', () => {
		for (const [resource, operations] of Object.entries(resources)) {
			const lists = properties.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource));
			const forTool = lists.find((p) => p.displayOptions?.show?.['@tool']?.[0] === true) ?? lists[0];
			const offered = (forTool.options as INodePropertyOptions[]).map((o) => o.value);
			const usable = Object.entries(operations)
				.filter(([, operation]) => !isBatchOperation(operation) && !isWaitOperation(operation))
				.map(([name]) => name);
			expect([...offered].sort()).toEqual(usable.sort());
			expect(offered).toContain(forTool.default);
		}
	});

	it('are decided from each operation itself: the tool list leaves out what waits', () => {
		const choices = { get: choice, send: choice, sendAndWaitForDelivery: choice };
		const [node, tool] = operationFieldsForNodeAndTool('sms', sms.operations, choices, 'send');
		const values = (field: INodeProperties) => (field.options as INodePropertyOptions[]).map((o) => o.value).sort();
		expect(values(node)).toEqual(['get', 'send', 'sendAndWaitForDelivery']);
		expect(values(tool)).toEqual(['get', 'send']);
	});
});

describe('the shared options each operation declares', () => {
	const shared = ['concurrency', 'defaultCountry', 'paceToAccountLimits', 'timeout'] as const;
	for (const [resource, operations] of Object.entries(resources)) {
		for (const [name, operation] of Object.entries(operations)) {
			it(`${resource} → ${name}: its Options collection has exactly the shared fields it declares`, () => {
				const collection = operation.description.find((p) => p.name === 'options');
				const offered = ((collection?.options ?? []) as INodeProperties[]).map((field) => field.name);
				const { options, pacing } = operation.declaration;
				expect(shared.filter((field) => offered.includes(field))).toEqual(shared.filter((field) => options[field]));
				// Pacing is only offered where the operation is paced.
				expect(options.paceToAccountLimits).toBe(pacing !== null);
			});
		}
	}
});
