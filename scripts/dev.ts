/**
 * `npm run dev`: a real n8n (the pinned 2.41.1) with this package loaded as a community package,
 * next to a CheckMobi sandbox; a "CheckMobi sandbox" credential and the example workflows already
 * there. Ctrl-C stops both.
 *
 * The n8n user folder is `.cache/dev/n8n` and is kept between runs (workflows, credentials,
 * executions). `.cache/dev/dev.json` remembers the ports, the owner's password and which examples
 * were imported, so a second start neither changes the URLs nor overwrites your edits.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { CONTROL_TOKEN_HEADER, DEFAULT_PORT, startSandbox, type Sandbox } from '../sandbox';
import { inboxCurl } from '../sandbox/curl';
import { DEV_CREDENTIAL, exampleCredentials, hasActivatableTrigger, loadExamples, productionWebhooks, WEBHOOK_KEY_CREDENTIAL, WEBHOOK_KEY_HEADER, webhookCurl } from './lib/examples';
import { findFreePort, isPortFree, N8nInstance, privateDir, projectRoot, provisionN8n, writeSecretFile } from './lib/n8n';

const USAGE = `npm run dev -- [options]

  --port N             n8n's port (default: the one of the last run, else a free one)   env CHECKMOBI_DEV_N8N_PORT
  --sandbox-port N     the sandbox's port (default ${DEFAULT_PORT}, else a free one)         env CHECKMOBI_SANDBOX_PORT
  --reimport-examples  import the example workflows again (overwrites your edits to them)
  --reset              start from an empty n8n (deletes .cache/dev/)
  --help               this text

The sandbox keys come from CHECKMOBI_SANDBOX_SECRET_KEY / CHECKMOBI_SANDBOX_SIGNATURE_KEY or the
sandbox's well-known defaults.`;

interface DevOptions {
	port?: number;
	sandboxPort?: number;
	reimportExamples: boolean;
	reset: boolean;
	help: boolean;
}

export interface DevState {
	n8nPort?: number;
	sandboxPort?: number;
	ownerEmail: string;
	ownerPassword: string;
	/** The sandbox's control token, kept so that the credential holding it stays valid. */
	controlToken: string;
	/** What the examples' webhooks want in X-Api-Key (credential "CheckMobi examples: webhook key"). */
	webhookKey: string;
	/** sha256 of the credentials last imported (the sandbox URL, keys and tokens) */
	credentialSha256?: string;
	/** example workflow id → sha256 of its file when imported, and the sandbox URL it was imported with */
	examples: Record<string, { sha256: string; sandboxUrl: string; file: string }>;
}

const OWNER_EMAIL = 'owner@checkmobi.test';

function parsePort(value: string | undefined, what: string): number | undefined {
	if (value === undefined || value === '') return undefined;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${what}: not a port: ${value}`);
	return port;
}

export function parseDevArgs(argv: string[], env: NodeJS.ProcessEnv): DevOptions {
	const options: DevOptions = {
		reimportExamples: false,
		reset: false,
		help: false,
		port: parsePort(env.CHECKMOBI_DEV_N8N_PORT, 'CHECKMOBI_DEV_N8N_PORT'),
		sandboxPort: parsePort(env.CHECKMOBI_SANDBOX_PORT, 'CHECKMOBI_SANDBOX_PORT'),
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => inline ?? argv[++i];
		if (flag === '--help' || flag === '-h') options.help = true;
		else if (flag === '--reimport-examples') options.reimportExamples = true;
		else if (flag === '--reset') options.reset = true;
		else if (flag === '--port') options.port = parsePort(value(), '--port');
		else if (flag === '--sandbox-port') options.sandboxPort = parsePort(value(), '--sandbox-port');
		else throw new Error(`unknown option ${argv[i]}\n\n${USAGE}`);
	}
	return options;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`[dev] ${line}\n`);

const newSecret = () => randomBytes(18).toString('base64url');

export function readState(file: string): DevState {
	try {
		const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevState>;
		if (state.ownerEmail && state.ownerPassword) {
			return {
				...state,
				ownerEmail: state.ownerEmail,
				ownerPassword: state.ownerPassword,
				controlToken: state.controlToken || newSecret(),
				webhookKey: state.webhookKey || newSecret(),
				examples: state.examples ?? {},
			};
		}
	} catch {
		// first run, or a broken file: start over
	}
	// n8n's own rules for a password: 8+ characters, a number and a capital letter.
	return { ownerEmail: OWNER_EMAIL, ownerPassword: `Dev-${randomBytes(6).toString('hex')}-9Q`, controlToken: newSecret(), webhookKey: newSecret(), examples: {} };
}

/** The state holds the owner's password, the control token and the webhook key: readable by the owner only. */
export function saveState(file: string, state: DevState): void {
	writeSecretFile(file, JSON.stringify(state, null, 2) + '\n');
}

/** The port asked for, else the last one if free, else `preferred` if free, else any free one. */
async function choosePort(asked: number | undefined, last: number | undefined, preferred: number | undefined, what: string): Promise<number> {
	if (asked !== undefined) {
		if (!(await isPortFree(asked))) throw new Error(`${what}: port ${asked} is in use`);
		return asked;
	}
	for (const candidate of [last, preferred]) {
		if (candidate !== undefined && candidate !== 5679 && (await isPortFree(candidate))) return candidate;
	}
	return await findFreePort();
}

async function main(): Promise<void> {
	const options = parseDevArgs(process.argv.slice(2), process.env);
	if (options.help) {
		say(USAGE);
		return;
	}
	const devDir = join(projectRoot(), '.cache', 'dev');
	if (options.reset) {
		note(`--reset: deleting ${devDir}`);
		rmSync(devDir, { recursive: true, force: true });
	}
	privateDir(devDir);
	const stateFile = join(devDir, 'dev.json');
	const state = readState(stateFile);

	const runtime = await provisionN8n({ log: (line) => note(line) });

	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	let stopping = false;
	const stopAll = async (why: string, exitCode: number): Promise<never> => {
		if (!stopping) {
			stopping = true;
			note(`${why}: stopping n8n${n8n?.pid ? ` (process group ${n8n.pid})` : ''} and the sandbox`);
			await n8n?.stop().catch((error: unknown) => note(`n8n did not stop cleanly: ${(error as Error).message}`));
			await sandbox?.close().catch(() => undefined);
			note('stopped');
		}
		process.exit(exitCode);
	};
	process.once('SIGINT', () => void stopAll('Ctrl-C', 0));
	process.once('SIGTERM', () => void stopAll('SIGTERM', 0));

	try {
		const sandboxPort = await choosePort(options.sandboxPort, state.sandboxPort, DEFAULT_PORT, 'sandbox');
		sandbox = await startSandbox({
			port: sandboxPort,
			secretKey: process.env.CHECKMOBI_SANDBOX_SECRET_KEY || undefined,
			signatureKey: process.env.CHECKMOBI_SANDBOX_SIGNATURE_KEY || undefined,
			controlToken: state.controlToken,
		});
		const n8nPort = await choosePort(options.port, state.n8nPort, undefined, 'n8n');
		state.n8nPort = n8nPort;
		state.sandboxPort = sandbox.port;
		saveState(stateFile, state);

		n8n = await N8nInstance.create({
			runtime,
			userFolder: join(devDir, 'n8n'),
			port: n8nPort,
			ownerEmail: state.ownerEmail,
			ownerPassword: state.ownerPassword,
			keepFolder: true,
			log: (line) => note(line),
		});

		// The credentials follow the sandbox; imported again only when its URL, keys or tokens changed
		// (a CLI import costs n8n's start-up time).
		const credentials = exampleCredentials(sandbox, state.webhookKey);
		const credentialHash = createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
		if (state.credentialSha256 !== credentialHash || !existsSync(join(devDir, 'n8n', '.n8n', 'database.sqlite'))) {
			note(`credentials "${credentials.map((c) => c.name).join('", "')}" → ${sandbox.url}`);
			await n8n.importCredentials(credentials);
			state.credentialSha256 = credentialHash;
			saveState(stateFile, state);
		}

		const examples = loadExamples({ sandboxUrl: sandbox.url });
		const hashes = new Map(examples.map((e) => [e.workflow.id, createHash('sha256').update(readFileSync(join(projectRoot(), 'examples', e.file))).digest('hex')]));
		const toImport = examples.filter((e) => options.reimportExamples || !state.examples[e.workflow.id]);
		if (toImport.length > 0) {
			note(`importing ${toImport.length} example workflow(s): ${toImport.map((e) => e.file).join(', ')}`);
			await n8n.importWorkflows(toImport.map((e) => e.workflow));
		}

		note(`starting n8n on ${n8n.baseUrl} (log: ${n8n.logFile})`);
		await n8n.start({ timeoutMs: 300_000 });

		// Publish what was just imported and can receive calls, so callbacks and webhooks work at once.
		const toPublish = toImport.filter((e) => hasActivatableTrigger(e.workflow));
		if (toPublish.length > 0) {
			const label = `npm run dev ${Date.now()}`;
			await n8n.createApiKey(label);
			try {
				for (const { workflow } of toPublish) await n8n.activateWorkflow(workflow.id);
			} finally {
				// The key was only for this: remove it (n8n 2.41 lists keys as {items}, older ones as an array).
				const listed = await n8n.rest<Array<{ id: string; label: string }> | { items: Array<{ id: string; label: string }> }>('GET', '/api-keys');
				const keys = Array.isArray(listed) ? listed : listed.items;
				for (const key of keys.filter((k) => k.label.startsWith(label))) await n8n.rest('DELETE', `/api-keys/${key.id}`);
			}
		}
		for (const { workflow, file } of toImport) state.examples[workflow.id] = { sha256: hashes.get(workflow.id)!, sandboxUrl: sandbox.url, file };
		saveState(stateFile, state);

		say();
		say('n8n with n8n-nodes-checkmobi, and a CheckMobi sandbox, are running.');
		say();
		say(`  n8n editor       ${n8n.baseUrl}`);
		say(`  log in as        ${state.ownerEmail}  /  ${state.ownerPassword}`);
		say(`  n8n user folder  ${n8n.userFolder}   (kept between runs; log: n8n.log)`);
		say();
		say(`  Sandbox API      ${sandbox.url}   (credential "${DEV_CREDENTIAL.name}" points here)`);
		say(`  Secret key       ${sandbox.secretKey}`);
		say(`  Signature key    ${sandbox.signatureKey}`);
		say(`  Control token    ${sandbox.controlToken}   (header ${CONTROL_TOKEN_HEADER} on /_sandbox requests; control API: sandbox/README.md)`);
		say(`  PINs, SMS, calls ${inboxCurl(sandbox)}`);
		say();
		say(`  Webhook key      ${state.webhookKey}   (credential "${WEBHOOK_KEY_CREDENTIAL.name}": the examples' webhooks answer 403 without header ${WEBHOOK_KEY_HEADER})`);
		say();
		say('  Example workflows (examples/README.md):');
		for (const { workflow, file } of examples) {
			say(`    ${workflow.name}  [${file}]  ${n8n.baseUrl}/workflow/${workflow.id}`);
			for (const hook of productionWebhooks(workflow)) {
				const url = n8n.webhookUrl(hook.path);
				if (hook.type === 'n8n-nodes-base.webhook') {
					say(`        ${hook.node}:`);
					say(`          ${webhookCurl(url, hook, state.webhookKey)}`);
				} else say(`        ${hook.method} ${url}   (${hook.node}: signed CheckMobi callbacks)`);
			}
			const imported = state.examples[workflow.id];
			if (imported && imported.sha256 !== hashes.get(workflow.id)) say(`        changed in examples/ since it was imported: npm run dev -- --reimport-examples (overwrites your edits)`);
			else if (imported && imported.sandboxUrl !== sandbox.url && JSON.stringify(workflow).includes(sandbox.url)) {
				say(`        imported for the sandbox at ${imported.sandboxUrl}: npm run dev -- --reimport-examples`);
			}
		}
		say();
		say('Ctrl-C stops both.');

		await n8n.exited;
		if (!stopping) await stopAll(`n8n exited by itself (its log: ${n8n.logFile})`, 1);
	} catch (error) {
		note(`failed: ${error instanceof Error ? error.message : String(error)}`);
		if (n8n && existsSync(n8n.logFile)) note(`n8n's log: ${n8n.logFile}`);
		await stopAll('error', 1);
	}
}

if (require.main === module) {
	void main().catch((error: unknown) => {
		process.stderr.write(`[dev] ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
