/**
 * No import cycle anywhere in the repository: every source file's relative imports (type-only ones,
 * re-exports, `require()` and `import()` included), resolved as TypeScript resolves them, form a
 * graph without cycles.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
/** Generated, installed or copied code: not ours to keep free of cycles. */
const SKIPPED_FOLDERS = new Set(['.git', '.cache', 'node_modules', 'dist', 'build', 'coverage']);
const SOURCE_FILE = /\.(c|m)?(t|j)s$/;
const RESOLUTION: ts.CompilerOptions = { allowJs: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(join(dir, entry.name));
		return entry.isFile() && SOURCE_FILE.test(entry.name) ? [join(dir, entry.name)] : [];
	});
}

/** File → the files of this tree it imports. Packages (`n8n-workflow`, `node:fs`) are not followed. */
function importGraph(root: string): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of sourceFiles(root)) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
		const targets = importedFiles
			.filter(({ fileName }) => fileName.startsWith('.'))
			.map(({ fileName }) => ts.resolveModuleName(fileName, file, RESOLUTION, ts.sys).resolvedModule)
			.filter((resolved): resolved is ts.ResolvedModuleFull => resolved !== undefined && !resolved.isExternalLibraryImport)
			.map((resolved) => resolve(resolved.resolvedFileName));
		graph.set(file, [...new Set(targets)]);
	}
	return graph;
}

/** The strongly connected components with more than one file, or one file that imports itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (file: string) => {
		index.set(file, index.size);
		low.set(file, index.get(file)!);
		stack.push(file);
		onStack.add(file);
		for (const next of graph.get(file) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(file, Math.min(low.get(file)!, low.get(next)!));
			} else if (onStack.has(next)) {
				low.set(file, Math.min(low.get(file)!, index.get(next)!));
			}
		}
		if (low.get(file) !== index.get(file)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
		} while (member !== file);
		if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
	};
	for (const file of graph.keys()) if (!index.has(file)) visit(file);
	return found;
}

const cyclesIn = (root: string) => cycles(importGraph(root)).map((component) => component.map((file) => relative(root, file)));

describe('import cycles', () => {
	it('the repository has none', () => {
		const graph = importGraph(ROOT);
		// The walk really reads the tree: the node, the sandbox, the harness, the benchmarks and the tests.
		for (const file of ['nodes/CheckMobi/CheckMobi.node.ts', 'sandbox/server.ts', 'scripts/dev.ts', 'bench/run.ts', 'test/helpers/engine.ts']) {
			expect(graph.has(join(ROOT, file))).toBe(true);
		}
		expect(graph.get(join(ROOT, 'test/helpers/checkMobi.ts'))).toContain(join(ROOT, 'test/helpers/engine.ts'));
		expect(cyclesIn(ROOT)).toEqual([]);
	});

	it('finds a cycle through a type-only import, a re-export or an index file', () => {
		const dir = mkdtempSync(join(tmpdir(), 'checkmobi-cycles-'));
		try {
			mkdirSync(join(dir, 'lib'));
			writeFileSync(join(dir, 'run.ts'), "import { report } from './lib/report';\nexport interface Row { a: number }\nreport();\n");
			writeFileSync(join(dir, 'lib', 'report.ts'), "import type { Row } from '../run';\nexport function report(_row?: Row) {}\n");
			writeFileSync(join(dir, 'lib', 'index.ts'), "export * from './a';\n");
			writeFileSync(join(dir, 'lib', 'a.ts'), "import { b } from '.';\nexport const a = b;\n");
			writeFileSync(join(dir, 'alone.ts'), "import { report } from './lib/report';\nimport { readFileSync } from 'node:fs';\nreport(); readFileSync;\n");
			expect(cyclesIn(dir).sort()).toEqual([
				[join('lib', 'a.ts'), join('lib', 'index.ts')],
				[join('lib', 'report.ts'), 'run.ts'],
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
