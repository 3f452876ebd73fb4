// npm run sandbox -- [--port 4010] [--host 127.0.0.1] [--secret-key-file F] [--signature-key-file F] [--control-token-file F] [--config '{"...":...}']

import { readFileSync } from 'node:fs';

import type { SandboxConfig } from './config';
import { CONTROL_TOKEN_HEADER } from './controlAccess';
import { inboxCurl } from './curl';
import { DEFAULT_PORT, DEFAULT_SECRET_KEY, DEFAULT_SIGNATURE_KEY, startSandbox } from './index';

const USAGE = `CheckMobi sandbox: a simulator of the CheckMobi API on loopback.

Usage: npm run sandbox -- [options]

  --port N                   port to listen on (default ${DEFAULT_PORT}; 0 = any free port)   env CHECKMOBI_SANDBOX_PORT
  --host H                   address to bind (default 127.0.0.1)
  --secret-key-file F        the API secret key, read from a file (default ${DEFAULT_SECRET_KEY})
                                                                          env CHECKMOBI_SANDBOX_SECRET_KEY
  --signature-key-file F     the callback signature key, read from a file (default ${DEFAULT_SIGNATURE_KEY})
                                                                          env CHECKMOBI_SANDBOX_SIGNATURE_KEY
  --control-token-file F     the control API's token, read from a file (default: a new random one, printed)
                                                                          env CHECKMOBI_SANDBOX_CONTROL_TOKEN
  --secret-key K, --signature-key S
                             the keys themselves; other users of the machine see them in ps: prefer
                             the environment or a file
  --config JSON|@file        settings on top of the defaults, e.g. '{"smsPerMinute":10}' or @sandbox.json
  --help                     this text

Every /_sandbox request needs the header ${CONTROL_TOKEN_HEADER}: <control token>, a loopback Host and, with a
body, Content-Type: application/json. See sandbox/README.md for the control API, magic numbers and settings.`;

export class CliError extends Error {}

export interface CliOptions {
	help: boolean;
	port: number;
	host: string;
	secretKey: string;
	signatureKey: string;
	/** Undefined: the sandbox makes a random one. */
	controlToken?: string;
	config: Partial<SandboxConfig>;
	/** What the user should know about the options given (e.g. a key visible in ps). */
	warnings: string[];
}

const OPTIONS = ['port', 'host', 'secret-key', 'signature-key', 'secret-key-file', 'signature-key-file', 'control-token-file', 'config'];

function readSecretFile(option: string, file: string): string {
	let text: string;
	try {
		text = readFileSync(file, 'utf8').trim();
	} catch (error) {
		throw new CliError(`--${option}: ${(error as Error).message}`);
	}
	if (text === '') throw new CliError(`--${option}: ${file} is empty`);
	return text;
}

/** Options from the command line, then the environment, then the defaults. Throws CliError. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): CliOptions {
	const args: Record<string, string> = {};
	let help = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			help = true;
			continue;
		}
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!m) throw new CliError(`unexpected argument: ${arg}`);
		if (!OPTIONS.includes(m[1])) throw new CliError(`unknown option: --${m[1]}`);
		const value = m[2] ?? argv[++i];
		if (value === undefined) throw new CliError(`--${m[1]} needs a value`);
		args[m[1]] = value;
	}
	const portText = args.port ?? env.CHECKMOBI_SANDBOX_PORT ?? String(DEFAULT_PORT);
	const port = Number(portText);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid port: ${portText}`);
	let config: Partial<SandboxConfig> = {};
	if (args.config) {
		try {
			const text = args.config.startsWith('@') ? readFileSync(args.config.slice(1), 'utf8') : args.config;
			config = JSON.parse(text) as Partial<SandboxConfig>;
		} catch (error) {
			throw new CliError(`--config: ${(error as Error).message}`);
		}
	}
	const secret = (name: 'secret-key' | 'signature-key' | 'control-token', envName: string): string | undefined => {
		const file = args[`${name}-file`];
		if (file !== undefined) return readSecretFile(`${name}-file`, file);
		return args[name] ?? (env[envName] || undefined);
	};
	const warnings = (['secret-key', 'signature-key'] as const)
		.filter((name) => args[name] !== undefined)
		.map((name) => `--${name} on the command line is visible to other users of this machine (ps): use CHECKMOBI_SANDBOX_${name.replace('-', '_').toUpperCase()} or --${name}-file instead.`);
	return {
		help,
		port,
		host: args.host ?? '127.0.0.1',
		secretKey: secret('secret-key', 'CHECKMOBI_SANDBOX_SECRET_KEY') ?? DEFAULT_SECRET_KEY,
		signatureKey: secret('signature-key', 'CHECKMOBI_SANDBOX_SIGNATURE_KEY') ?? DEFAULT_SIGNATURE_KEY,
		controlToken: secret('control-token', 'CHECKMOBI_SANDBOX_CONTROL_TOKEN'),
		config,
		warnings,
	};
}

/** What the CLI prints once listening. */
export function banner(sandbox: { url: string; secretKey: string; signatureKey: string; controlToken: string }): string {
	return [
		`CheckMobi sandbox listening on ${sandbox.url}`,
		`  API base URL   ${sandbox.url}   (the credential's Base URL; endpoints under ${sandbox.url}/v1)`,
		`  Secret key     ${sandbox.secretKey}`,
		`  Signature key  ${sandbox.signatureKey}`,
		`  Control API    ${sandbox.url}/_sandbox/health`,
		`  Control token  ${sandbox.controlToken}   (header ${CONTROL_TOKEN_HEADER} on every /_sandbox request)`,
		'',
		'It answers every CheckMobi endpoint from memory: numbers ending in 9999NN trigger the',
		'scenarios of sandbox/README.md (absent, ported, SMS undelivered, never-answered calls, blocked...),',
		`PINs land in /_sandbox/inbox/<number> (${inboxCurl(sandbox, '+40745123456')}),`,
		'timings are short, and callbacks are signed with the signature',
		'key and retried up to 3 times. Unlike the real service, which refuses loopback and private',
		'notification_callback URLs, the sandbox delivers to them (allowLoopbackCallbacks), so a local n8n',
		'webhook works. Ctrl+C stops it.',
		'',
	].join('\n');
}

export { USAGE };

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseCli(process.argv.slice(2), process.env);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
		process.exit(2);
	}
	if (options.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	for (const warning of options.warnings) process.stderr.write(`warning: ${warning}\n`);
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	try {
		sandbox = await startSandbox(options);
	} catch (error) {
		process.stderr.write(`cannot start the sandbox: ${(error as Error).message}\n`);
		process.exit(1);
	}
	process.stdout.write(banner(sandbox));
	const stop = (signal: string) => {
		process.stdout.write(`\n${signal}: stopping the sandbox\n`);
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
