// npm run sandbox -- [--port 4010] [--host 127.0.0.1] [--secret-key K] [--signature-key S] [--config '{"...":...}']

import { readFileSync } from 'node:fs';

import type { SandboxConfig } from './config';
import { DEFAULT_PORT, DEFAULT_SECRET_KEY, DEFAULT_SIGNATURE_KEY, startSandbox } from './index';

const USAGE = `CheckMobi sandbox: a simulator of the CheckMobi API on loopback.

Usage: npm run sandbox -- [options]

  --port N              port to listen on (default ${DEFAULT_PORT}; 0 = any free port)   env CHECKMOBI_SANDBOX_PORT
  --host H              address to bind (default 127.0.0.1)
  --secret-key K        the API secret key (default ${DEFAULT_SECRET_KEY})              env CHECKMOBI_SANDBOX_SECRET_KEY
  --signature-key S     the callback signature key (default ${DEFAULT_SIGNATURE_KEY})   env CHECKMOBI_SANDBOX_SIGNATURE_KEY
  --config JSON|@file   settings on top of the defaults, e.g. '{"smsPerMinute":10}' or @sandbox.json
  --help                this text

See sandbox/README.md for the control API (/_sandbox/...), magic numbers and settings.`;

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			out.help = 'true';
			continue;
		}
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!m) fail(`unexpected argument: ${arg}`);
		if (!['port', 'host', 'secret-key', 'signature-key', 'config'].includes(m[1])) fail(`unknown option: --${m[1]}`);
		const value = m[2] ?? argv[++i];
		if (value === undefined) fail(`--${m[1]} needs a value`);
		out[m[1]] = value;
	}
	return out;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const portText = args.port ?? process.env.CHECKMOBI_SANDBOX_PORT ?? String(DEFAULT_PORT);
	const port = Number(portText);
	if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${portText}`);
	let config: Partial<SandboxConfig> = {};
	if (args.config) {
		try {
			const text = args.config.startsWith('@') ? readFileSync(args.config.slice(1), 'utf8') : args.config;
			config = JSON.parse(text) as Partial<SandboxConfig>;
		} catch (error) {
			fail(`--config: ${(error as Error).message}`);
		}
	}
	let sandbox;
	try {
		sandbox = await startSandbox({
			port,
			host: args.host ?? '127.0.0.1',
			secretKey: args['secret-key'] ?? process.env.CHECKMOBI_SANDBOX_SECRET_KEY ?? DEFAULT_SECRET_KEY,
			signatureKey: args['signature-key'] ?? process.env.CHECKMOBI_SANDBOX_SIGNATURE_KEY ?? DEFAULT_SIGNATURE_KEY,
			config,
		});
	} catch (error) {
		fail(`cannot start: ${(error as Error).message}`);
	}
	process.stdout.write(
		[
			`CheckMobi sandbox listening on ${sandbox.url}`,
			`  API base URL   ${sandbox.url}   (the credential's Base URL; endpoints under ${sandbox.url}/v1)`,
			`  Secret key     ${sandbox.secretKey}`,
			`  Signature key  ${sandbox.signatureKey}`,
			`  Control API    ${sandbox.url}/_sandbox/health`,
			'',
			'It answers every CheckMobi endpoint from memory: numbers ending in 9999NN trigger the',
			'scenarios of sandbox/README.md (absent, ported, SMS undelivered, never-answered calls, blocked...),',
			'PINs land in /_sandbox/inbox/<number>, timings are short, and callbacks are signed with the signature',
			'key and retried up to 3 times. Unlike the real service, which refuses loopback and private',
			'notification_callback URLs, the sandbox delivers to them (allowLoopbackCallbacks), so a local n8n',
			'webhook works. Ctrl+C stops it.',
			'',
		].join('\n'),
	);
	const stop = (signal: string) => {
		process.stdout.write(`\n${signal}: stopping the sandbox\n`);
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
