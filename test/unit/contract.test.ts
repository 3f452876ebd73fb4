/**
 * The contract itself (contract/checkmobi.ts): each place where it departs from the reference's
 * tables is explained in the README's API notes, and the sandbox cannot share the contract's
 * mistakes (nor the node's): it imports neither.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CONTRACT } from '../../contract/checkmobi';
import type { Choice, Field } from '../../contract/types';

const root = join(__dirname, '..', '..');

function choicesOf(field: Field | undefined, out: Choice[] = []): Choice[] {
	if (!field) return out;
	if (field.choice) out.push(field.choice);
	choicesOf(field.choice?.field, out);
	choicesOf(field.items, out);
	for (const child of Object.values(field.fields ?? {})) choicesOf(child, out);
	for (const shape of Object.values(field.variants?.shapes ?? {})) for (const child of Object.values(shape)) choicesOf(child, out);
	return out;
}

function allChoices(): Choice[] {
	const choices: Choice[] = [];
	for (const endpoint of CONTRACT.endpoints) {
		if (endpoint.choice) choices.push(endpoint.choice);
		if (endpoint.response.status === 200) choicesOf(endpoint.response.body, choices);
		for (const param of Object.values(endpoint.params ?? {})) choicesOf(param, choices);
	}
	for (const callback of CONTRACT.callbacks) for (const field of Object.values(callback.body)) choicesOf(field, choices);
	for (const error of Object.values(CONTRACT.errors)) if (error.choice) choices.push(error.choice);
	for (const statuses of Object.values(CONTRACT.errorStatuses)) for (const status of statuses) if (status.choice) choices.push(status.choice);
	return choices;
}

test("every place where the contract departs from the reference's tables has its bullet in the README's API notes", () => {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	const start = readme.indexOf('## API notes');
	expect(start).toBeGreaterThan(0);
	const notes = readme.slice(start, readme.indexOf('\n## ', start + 1));
	const keys = [...new Set(allChoices().map((choice) => choice.note))];
	expect(keys.length).toBeGreaterThanOrEqual(11);
	expect(keys.filter((note) => !notes.includes(`- **${note}**`))).toEqual([]);
});

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

test('the sandbox imports nothing from the node, the credentials or the contract', () => {
	const imports = sourceFiles(join(root, 'sandbox')).flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => `${file.slice(root.length + 1)}: ${match[1]}`),
	);
	expect(imports.length).toBeGreaterThan(20);
	expect(imports.filter((line) => /(nodes|credentials|contract)\//.test(line))).toEqual([]);
});
