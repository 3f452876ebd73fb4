/**
 * n8n in queue mode on this machine: Redis and PostgreSQL from Debian's packages, each started on
 * loopback on a free port with a data folder of its own, and stopped by its process id; then the
 * environment that puts an n8n main process, a worker and a webhook process on them.
 *
 * Additive to lib/n8n.ts: the main process is an N8nInstance created with `queueEnv()`, the worker
 * and the webhook process are started here with the same environment (same database, same
 * encryption key, same community package folder).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findFreePort, tail, writeSecretFile, type N8nInstance } from './n8n';

const sleep = async (ms: number) => await new Promise<void>((r) => setTimeout(r, ms));

function log(line: string): void {
	process.stderr.write(`[queue-mode] ${line}\n`);
}

function which(binary: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		if (dir && existsSync(join(dir, binary))) return join(dir, binary);
	}
	return undefined;
}

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

/** Installs redis-server and postgresql from Debian's packages when they are missing (root, apt-get). */
export function ensureQueuePackages(): { redisServer: string; pgBin: string } {
	let redisServer = which('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
	let pgBin = postgresBinDir();
	if (!redisServer || !pgBin) {
		const packages = [...(redisServer ? [] : ['redis-server']), ...(pgBin ? [] : ['postgresql'])];
		log(`installing ${packages.join(' ')} from Debian's packages`);
		const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		try {
			install();
		} catch {
			execFileSync('apt-get', ['update'], { stdio: 'ignore' });
			install();
		}
		redisServer = which('redis-server') ?? '/usr/bin/redis-server';
		pgBin = postgresBinDir();
	}
	if (!redisServer || !existsSync(redisServer)) throw new Error('redis-server is not installed');
	if (!pgBin) throw new Error('PostgreSQL is not installed');
	return { redisServer, pgBin };
}

/** A service process of ours: stopped by its own process id. */
export interface Service {
	name: string;
	pid: number;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
	const started = Date.now();
	while (!(await ready())) {
		if (Date.now() - started > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms${logFile ? `:\n${tail(logFile, 30)}` : ''}`);
		await sleep(200);
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function stopPid(name: string, pid: number, signal: NodeJS.Signals, timeoutMs = 20_000): Promise<void> {
	if (!alive(pid)) return;
	process.kill(pid, signal);
	const started = Date.now();
	while (alive(pid) && Date.now() - started < timeoutMs) await sleep(100);
	if (alive(pid)) {
		log(`${name} (pid ${pid}) still up after ${timeoutMs} ms: SIGKILL`);
		process.kill(pid, 'SIGKILL');
	}
}

function spawnLogged(command: string, args: string[], logFile: string, options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}): ChildProcess {
	const fd = openSync(logFile, 'a');
	try {
		return spawn(command, args, { stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd, uid: options.uid, gid: options.gid });
	} finally {
		closeSync(fd);
	}
}

/** A password for a service of ours; it goes to n8n in its environment, never on a command line. */
const newPassword = () => randomBytes(24).toString('hex');

/**
 * redis-server on 127.0.0.1, a free port, no persistence, its own folder, and a password: any local
 * user can reach a loopback port. The password is in its config file (0600), where ps cannot show it.
 */
export async function startRedis(dir: string, redisServer: string): Promise<Service & { password: string }> {
	const port = await findFreePort();
	const password = newPassword();
	const config = join(dir, 'redis.conf');
	writeSecretFile(
		config,
		[`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly no', 'daemonize no', 'protected-mode yes', `requirepass ${password}`, ''].join('\n'),
	);
	const logFile = join(dir, 'redis.log');
	const child = spawnLogged(redisServer, [config], logFile);
	const pid = child.pid!;
	await waitUntil('redis', () => existsSync(logFile) && /Ready to accept connections/.test(readFileSync(logFile, 'utf8')), 30_000, logFile);
	log(`redis on 127.0.0.1:${port} (pid ${pid}, password required)`);
	return { name: 'redis', pid, port, logFile, password, stop: async () => await stopPid('redis', pid, 'SIGTERM') };
}

function postgresUser(): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('no postgres user (the postgresql package creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * PostgreSQL on 127.0.0.1, a free port, a fresh cluster in `dir` (initdb), a database `n8n` owned by
 * the superuser `n8n`, whose password (random, given to initdb in a file deleted at once) every
 * connection needs, on loopback and on the socket: the superuser can run programs as `postgres`.
 * PostgreSQL refuses to run as root: it runs as the package's `postgres` user.
 */
export async function startPostgres(dir: string, pgBin: string): Promise<Service & { database: string; user: string; password: string }> {
	const port = await findFreePort();
	const { uid, gid } = postgresUser();
	const dataDir = join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	chownSync(dir, uid, gid);
	chmodSync(dir, 0o700);
	const logFile = join(dir, 'postgres.log');
	const password = newPassword();
	const asPostgres = { uid, gid, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } as NodeJS.ProcessEnv };
	const passwordFile = join(dir, 'initdb-password');
	writeSecretFile(passwordFile, `${password}\n`);
	chownSync(passwordFile, uid, gid);
	try {
		execFileSync(join(pgBin, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C.UTF-8'], {
			...asPostgres,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		throw new Error(`initdb failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message)}`);
	} finally {
		rmSync(passwordFile, { force: true });
	}
	const child = spawnLogged(
		join(pgBin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
		logFile,
		asPostgres,
	);
	child.unref();
	await waitUntil('postgres', () => existsSync(logFile) && /database system is ready to accept connections/.test(readFileSync(logFile, 'utf8')), 60_000, logFile);
	// The postmaster's own pid, from its pid file.
	const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
	execFileSync(join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], {
		...asPostgres,
		env: { ...asPostgres.env, PGPASSWORD: password },
		stdio: 'ignore',
	});
	log(`postgres on 127.0.0.1:${port} (pid ${pid}, data ${dataDir}, password required)`);
	// SIGINT: PostgreSQL's fast shutdown.
	return { name: 'postgres', pid, port, logFile, database: 'n8n', user: 'n8n', password, stop: async () => await stopPid('postgres', pid, 'SIGINT') };
}

export interface QueueBackends {
	redis: Awaited<ReturnType<typeof startRedis>>;
	postgres: Awaited<ReturnType<typeof startPostgres>>;
	dir: string;
	stop(): Promise<void>;
}

export async function startQueueBackends(): Promise<QueueBackends> {
	const { redisServer, pgBin } = ensureQueuePackages();
	const dir = mkdtempSync(join(tmpdir(), 'checkmobi-queue-'));
	// PostgreSQL runs as its own user, which must be able to reach its folder inside.
	chmodSync(dir, 0o755);
	const redis = await startRedis(join(dir, 'redis'), redisServer);
	let postgres: QueueBackends['postgres'];
	try {
		postgres = await startPostgres(join(dir, 'postgres'), pgBin);
	} catch (error) {
		await redis.stop();
		throw error;
	}
	return {
		redis,
		postgres,
		dir,
		async stop() {
			await postgres.stop();
			await redis.stop();
			if (process.env.CHECKMOBI_N8N_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** The environment every n8n process of the queue-mode set-up shares. */
export function queueEnv(backends: QueueBackends): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(backends.redis.port),
		QUEUE_BULL_REDIS_PASSWORD: backends.redis.password,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(backends.postgres.port),
		DB_POSTGRESDB_DATABASE: backends.postgres.database,
		DB_POSTGRESDB_USER: backends.postgres.user,
		DB_POSTGRESDB_PASSWORD: backends.postgres.password,
		// A worker running 10 executions at once on a loaded 2-core machine waited longer than the
		// default 20 s for a database connection (pool of 10: "timeout exceeded when trying to connect").
		DB_POSTGRESDB_POOL_SIZE: '20',
		DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
	};
}

export interface N8nProcess {
	name: string;
	pid: number;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

/**
 * Starts `n8n worker` or `n8n webhook` beside a main N8nInstance (same folder, same environment,
 * ports of their own), in its own process group; resolves once it says it is ready.
 */
export async function startN8nProcess(
	main: N8nInstance,
	kind: 'worker' | 'webhook',
	extraArgs: string[] = [],
	/** Names the process and its log file: two processes of one kind need two names (readiness is read from the log). */
	name: string = kind,
): Promise<N8nProcess> {
	const port = await findFreePort();
	const env = {
		...main.env(),
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(await findFreePort()),
		QUEUE_HEALTH_CHECK_PORT: String(await findFreePort()),
		N8N_WORKER_SERVER_PORT: String(await findFreePort()),
	};
	const logFile = join(main.userFolder, `n8n-${name}.log`);
	const fd = openSync(logFile, 'a');
	let child: ChildProcess;
	try {
		child = spawn(main.runtime.nodeBin, [main.runtime.n8nBin, kind, ...extraArgs], { cwd: main.userFolder, env, detached: true, stdio: ['ignore', fd, fd] });
	} finally {
		closeSync(fd);
	}
	const pid = child.pid!;
	let exited = false;
	child.once('exit', () => (exited = true));
	const readyText = kind === 'worker' ? /n8n worker is now ready|Worker started/i : /Webhook listener waiting for requests/i;
	await waitUntil(
		`n8n ${kind}`,
		() => {
			if (exited) throw new Error(`n8n ${kind} exited:\n${tail(logFile, 40)}`);
			return existsSync(logFile) && readyText.test(readFileSync(logFile, 'utf8'));
		},
		180_000,
		logFile,
	);
	log(`n8n ${name} ready (pid ${pid}${kind === 'webhook' ? `, port ${port}` : ''})`);
	return {
		name,
		pid,
		port,
		logFile,
		stop: async () => {
			// Its process group: the task runner it started goes with it.
			try {
				process.kill(-pid, 'SIGTERM');
			} catch {
				// already gone
			}
			const started = Date.now();
			while (!exited && Date.now() - started < 30_000) await sleep(100);
			if (!exited) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// gone meanwhile
				}
			}
		},
	};
}
