/**
 * One n8n's folder and processes: the user folder (SQLite database, config, community packages,
 * logs), `cli()` for any `n8n <command>` against it, and the server (`start()`, `stop()`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { lastLines, seconds, sleep, tail } from './common';
import { n8nEnvironment } from './environment';
import { installPackageInto } from './packageInstall';
import { findFreePort, isPortFree } from './ports';
import { groupAlive, killGroup, trackGroup, untrackGroup } from './processGroups';
import { projectRoot, type N8nRuntime } from './runtime';
import { privateDir } from './secretFiles';

export interface CliResult {
	code: number | null;
	/** Set when the process died by a signal (then `code` is null). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
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

export abstract class N8nProcess {
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

	protected readonly log: (line: string) => void;

	private readonly baseEnv: NodeJS.ProcessEnv;

	private readonly ownsFolder: boolean;

	private readonly keepFolder: boolean;

	private child: ChildProcess | undefined;

	private childExit: Promise<void> | undefined;

	protected constructor(runtime: N8nRuntime, port: number, options: N8nInstanceOptions, log: (line: string) => void) {
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
		this.baseEnv = n8nEnvironment({
			runtime,
			userFolder: this.userFolder,
			port,
			baseUrl: this.baseUrl,
			ownerEmail: this.ownerEmail,
			ownerPassword: this.ownerPassword,
			disableUi: options.disableUi,
			env: options.env,
		});

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
				untrackGroup(child.pid);
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
		untrackGroup(child.pid);
		this.child = undefined;
		this.childExit = undefined;
		this.serverStopped();
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

	/** Called once the server process has exited: what a session with that server held is void. */
	protected abstract serverStopped(): void;

	private logSince(offset: number): string {
		try {
			const all = readFileSync(this.logFile);
			return all.subarray(offset).toString('utf8');
		} catch {
			return '';
		}
	}
}
