/**
 * The tool variant's scope (README "As an AI agent tool"), checked on any description of the node:
 * the built one (unit test) or the checkMobiTool entry n8n exports (e2e).
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import { operationChoices, shownFields } from './toolSchema';

export type Description = Pick<INodeTypeDescription, 'name' | 'properties'>;

const NOT_FOR_AGENTS = ['options.clientIp', 'options.concurrency', 'options.paceToAccountLimits', 'options.timeout'];

/** Every resource and operation the tool offers, with the plain node's. */
const OPERATIONS: Array<[string, string]> = [
	['account', 'get'], ['call', 'get'], ['call', 'hangUp'], ['call', 'place'], ['country', 'getAll'],
	['lookup', 'hlr'], ['lookup', 'mnp'], ['lookup', 'validate'], ['number', 'check'], ['prefix', 'getAll'],
	['sms', 'get'], ['sms', 'send'], ['validation', 'getRemoteConfig'], ['validation', 'getStatus'],
	['validation', 'request'], ['validation', 'verify'],
];

/** Fields n8n adds to every tool variant (how the agent is told what the tool does). */
const N8N_TOOL_FIELDS = ['descriptionType', 'toolDescription'];

const paths = (description: Description, resource: string, operation: string) =>
	shownFields(description, { resource, operation, eventsMode: 'fields' }, { type: 'speak' })
		.map((field) => field.path)
		.filter((path) => !N8N_TOOL_FIELDS.includes(path));

export function expectToolScope(tool: Description, plain: Description): void {
	expect(tool.name.endsWith('Tool')).toBe(true);
	const hiddenFromTool = new Set<string>();
	for (const [resource, operation] of OPERATIONS) {
		const onTool = paths(tool, resource, operation);
		const onNode = paths(plain, resource, operation);
		expect([resource, operation, onTool.filter((path) => NOT_FOR_AGENTS.includes(path))]).toEqual([resource, operation, []]);
		// Nothing else is taken from the agent's node.
		expect([resource, operation, onTool]).toEqual([resource, operation, onNode.filter((path) => !NOT_FOR_AGENTS.includes(path))]);
		for (const path of onNode) if (NOT_FOR_AGENTS.includes(path)) hiddenFromTool.add(path);
	}
	// Each of them exists on the plain node, so the checks above can fail.
	expect([...hiddenFromTool].sort()).toEqual(NOT_FOR_AGENTS);

	// The bulk lookups need a callback URL an agent cannot supply.
	expect(operationChoices(shownFields(tool, { resource: 'lookup' })).sort()).toEqual(['hlr', 'mnp', 'validate']);
	expect(operationChoices(shownFields(plain, { resource: 'lookup' })).sort()).toEqual(['hlr', 'hlrBulk', 'mnp', 'mnpBulk', 'validate']);

	// A Speak action repeats for ever with Loop 0: the tool does not offer it.
	const loop = (description: Description) =>
		shownFields(description, { resource: 'call', operation: 'place', eventsMode: 'fields' }, { type: 'speak' })
			.filter((field) => field.path === 'events.event.loop')
			.map((field) => field.property.typeOptions?.minValue);
	expect(loop(tool)).toEqual([1]);
	expect(loop(plain)).toEqual([0]);
}
