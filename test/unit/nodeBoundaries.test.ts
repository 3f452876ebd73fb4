/**
 * The two nodes stay apart: no file of `nodes/CheckMobi` imports from `nodes/CheckMobiTrigger` or
 * the other way round; what both use lives in `nodes/shared/`, which imports from neither.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

import ts from 'typescript';

const NODES = resolve(__dirname, '..', '..', 'nodes');
const SOURCE_FILE = /\.(c|m)?(t|j)s$/;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (entry.isDirectory()) return sourceFiles(join(dir, entry.name));
		return entry.isFile() && SOURCE_FILE.test(entry.name) ? [join(dir, entry.name)] : [];
	});
}

/** The top folder of `nodes/` a path lies in (`CheckMobi`, `CheckMobiTrigger`, `shared`), or `outside`. */
function area(path: string): string {
	const rel = relative(NODES, path);
	return rel.startsWith('..') ? 'outside' : rel.split(sep)[0];
}

/** Whether `file` may import `target` (a relative specifier): within its own area, or a node from shared. */
function allowed(file: string, target: string): boolean {
	const from = area(file);
	const to = area(resolve(dirname(file), target));
	return to === from || (to === 'shared' && from !== 'shared');
}

/** Each relative import (type-only, re-export, `require()` and `import()` included) that leaves its file's area for another node. */
function crossings(root: string): string[] {
	const found: string[] = [];
	for (const file of sourceFiles(root)) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
		for (const { fileName } of importedFiles) {
			if (!fileName.startsWith('.')) continue;
			if (!allowed(file, fileName)) found.push(`${relative(root, file)} imports ${fileName}`);
		}
	}
	return found;
}

describe('node boundaries', () => {
	it('no file in nodes/ imports across the two nodes, and nodes/shared imports from neither', () => {
		const files = sourceFiles(NODES).map((file) => relative(NODES, file));
		// The walk really reads both nodes and the shared folder.
		expect(files).toEqual(expect.arrayContaining([join('CheckMobi', 'CheckMobi.node.ts'), join('CheckMobiTrigger', 'CheckMobiTrigger.node.ts'), join('shared', 'credentials.ts')]));
		expect(crossings(NODES)).toEqual([]);
	});

	it('reports an import from one node into the other, and one from shared into a node', () => {
		expect(area(join(NODES, 'CheckMobiTrigger', 'x.ts'))).toBe('CheckMobiTrigger');
		const check = (file: string, target: string) => allowed(join(NODES, file), target);
		expect(check(join('CheckMobiTrigger', 'CheckMobiTrigger.node.ts'), '../CheckMobi/helpers/signature')).toBe(false);
		expect(check(join('CheckMobi', 'helpers', 'callEvents.ts'), '../../CheckMobiTrigger/events')).toBe(false);
		expect(check(join('shared', 'signature.ts'), '../CheckMobi/transport')).toBe(false);
		expect(check(join('CheckMobiTrigger', 'CheckMobiTrigger.node.ts'), '../shared/signature')).toBe(true);
		expect(check(join('CheckMobi', 'actions', 'sms', 'send.operation.ts'), '../../helpers/bulk')).toBe(true);
	});
});
