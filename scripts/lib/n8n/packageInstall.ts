/** Installs a built community package into an n8n user folder, the way n8n loads community packages. */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

interface PackageJsonShape {
	name: string;
	main?: string;
	files?: string[];
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/**
 * Copies a built community package the way `npm pack` would ship it (package.json, its `files`,
 * its `main`) into `<userFolder>/.n8n/nodes/node_modules/<name>`, where n8n loads community packages.
 * No node_modules: a second n8n-workflow would break n8n's instanceof checks.
 */
export function installPackageInto(userFolder: string, packageDir: string): string {
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageJsonShape;
	const listed = [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])];
	const missing = listed.filter((file) => !existsSync(join(packageDir, file)));
	if (missing.length > 0) {
		throw new Error(`${pkg.name} is not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
	}
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', pkg.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const entries = new Set(['package.json', ...(pkg.files ?? []), ...(pkg.main ? [pkg.main] : [])]);
	for (const entry of entries) {
		const from = join(packageDir, entry);
		if (!existsSync(from)) continue;
		cpSync(from, join(target, entry), {
			recursive: true,
			filter: (source) => !relative(packageDir, source).split(sep).includes('node_modules'),
		});
	}
	const stray = findNamed(target, 'node_modules');
	if (stray) throw new Error(`the installed package must not contain node_modules (found ${stray})`);
	return target;
}

function findNamed(dir: string, name: string): string | undefined {
	for (const entry of readdirSync(dir)) {
		const full = join(dir, entry);
		if (entry === name) return full;
		if (statSync(full).isDirectory()) {
			const inner = findNamed(full, name);
			if (inner) return inner;
		}
	}
	return undefined;
}
