/** What a run records about where it ran: the machine, its load, the versions and the commit. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { N8N_VERSION, NODE_VERSION, projectRoot, type N8nInstance } from '../../scripts/lib/n8n';
import { sleep } from './bench';
import { log } from './log';
import { loadAverage } from './proc';
import { round3 } from './stats';

export async function waitForQuiet(maxMinutes: number): Promise<void> {
	const until = Date.now() + maxMinutes * 60_000;
	for (;;) {
		const [one] = loadAverage();
		if (one < 1.5) return;
		if (Date.now() > until) {
			log(`load still ${one} after ${maxMinutes} min; running anyway (recorded)`);
			return;
		}
		log(`waiting for a quiet machine (load ${one})`);
		await sleep(30_000);
	}
}

export function machineInfo(): Record<string, unknown> {
	let osName = os.type();
	try {
		osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
	} catch {
		// keep os.type()
	}
	return {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		memoryGb: round3(os.totalmem() / 1024 ** 3),
		os: osName,
		kernel: os.release(),
	};
}

export function versions(n8n: N8nInstance): Record<string, unknown> {
	const root = projectRoot();
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
	const git = (args: string[]) => {
		try {
			return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
		} catch {
			return '';
		}
	};
	const changed = git(['status', '--porcelain', '--', 'nodes', 'credentials']).split('\n').filter(Boolean).length;
	return {
		n8n: N8N_VERSION,
		nodeForN8n: NODE_VERSION,
		nodeForDriverAndSandbox: process.version,
		package: pkg.version,
		commit: git(['rev-parse', '--short', 'HEAD']),
		uncommittedNodeFiles: changed,
		httpRequestNodeVersion: 4.5,
		expressionEngine: "n8n's default (vm)",
		packageDir: n8n.packagePath ? 'dist/ as built by npm run build, copied into n8n' : 'none',
	};
}
