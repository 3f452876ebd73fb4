/**
 * The README's operations table states each operation's side effect; the operation's own
 * declaration is the truth, so the table is checked against it (and lists every operation).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { resources } from '../../nodes/CheckMobi/actions/registry';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const { properties } = new CheckMobi().description;

/** "SMS → Send" for every operation, by resource and operation name, as the editor shows them. */
function labels(): Map<string, { resource: string; operation: string }> {
	const byLabel = new Map<string, { resource: string; operation: string }>();
	const resourceOptions = properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
	for (const resource of resourceOptions) {
		const operationList = properties.find(
			(p: INodeProperties) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
		)!;
		for (const operation of operationList.options as INodePropertyOptions[]) {
			byLabel.set(`${resource.name} → ${operation.name}`, { resource: String(resource.value), operation: String(operation.value) });
		}
	}
	return byLabel;
}

test("the README's operations table gives each operation's declared side effect, and lists them all", () => {
	const section = readme.slice(readme.indexOf('## Operations reference')).split('\n');
	const header = section.findIndex((line) => line.startsWith('| Resource → Operation | Endpoint | Side effect |'));
	expect(header).toBeGreaterThan(0);
	const end = section.indexOf('', header);
	const rows = section.slice(header + 2, end);
	const byLabel = labels();
	const seen = new Set<string>();
	let label = '';
	for (const row of rows) {
		const cells = row.split('|').map((cell) => cell.trim());
		label = cells[1] || label;
		const operation = byLabel.get(label);
		expect({ label, known: operation !== undefined }).toEqual({ label, known: true });
		const declared = resources[operation!.resource][operation!.operation].declaration.sideEffect;
		expect({ label, sideEffect: cells[3] }).toEqual({ label, sideEffect: declared });
		seen.add(label);
	}
	expect([...seen].sort()).toEqual([...byLabel.keys()].sort());
});
