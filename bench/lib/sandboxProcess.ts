/**
 * The CheckMobi sandbox in a process of its own (the machine's Node.js), so that its CPU is apart
 * from the benchmark driver's and can be measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { SandboxApi, SandboxControl } from '../../sandbox/client';
import type { SandboxConfig } from '../../sandbox/config';
import { DEFAULT_SECRET_KEY, DEFAULT_SIGNATURE_KEY } from '../../sandbox/index';
import { findFreePort } from '../../scripts/lib/n8n';

export interface SandboxProcess {
	url: string;
	secretKey: string;
	signatureKey: string;
	pid: number;
	control: SandboxControl;
	api: SandboxApi;
	/** Back to the start with this configuration on top of the defaults (objects, windows, log, credit). */
	reset(config?: Partial<SandboxConfig>): Promise<void>;
	close(): Promise<void>;
}

export async function startSandboxProcess(config: Partial<SandboxConfig> = {}): Promise<SandboxProcess> {
	const port = await findFreePort();
	// build/bench/sandbox/cli.js, next to this file's build/bench/bench/lib/.
	const cli = join(__dirname, '..', '..', 'sandbox', 'cli.js');
	// The control token goes through the environment, not the command line (where ps shows it).
	const controlToken = randomBytes(18).toString('base64url');
	const child: ChildProcess = spawn(process.execPath, [cli, '--port', String(port), '--config', JSON.stringify(config)], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, CHECKMOBI_SANDBOX_CONTROL_TOKEN: controlToken },
	});
	let output = '';
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	while (!output.includes('listening on')) {
		if (child.exitCode !== null) throw new Error(`the sandbox exited: ${output}`);
		if (Date.now() - started > 20_000) throw new Error(`the sandbox did not start: ${output}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	const control = new SandboxControl(url, controlToken);
	const api = new SandboxApi(url, DEFAULT_SECRET_KEY);
	return {
		url,
		secretKey: DEFAULT_SECRET_KEY,
		signatureKey: DEFAULT_SIGNATURE_KEY,
		pid: child.pid!,
		control,
		api,
		async reset(patch?: Partial<SandboxConfig>) {
			await control.reset(patch);
		},
		async close() {
			control.close();
			api.close();
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
		},
	};
}
