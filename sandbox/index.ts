// startSandbox(): the CheckMobi simulator on loopback, for tests, benchmarks and `npm run sandbox`.

import type { AddressInfo } from 'node:net';

import { SandboxControl } from './client';
import type { SandboxConfig } from './config';
import { createControlHandler } from './control';
import { newControlToken } from './controlAccess';
import { createServer } from './server';
import { SandboxState } from './state';

export type { SandboxConfig } from './config';
export { defaultConfig } from './config';
export { SandboxApi, SandboxControl } from './client';
export { CONTROL_TOKEN_HEADER } from './controlAccess';
export { LOGGED_SECRET_KEY } from './requestLog';

/** Well-known keys of a sandbox started without keys (they look like CheckMobi keys). */
export const DEFAULT_SECRET_KEY = '5A4DB0C5-0000-4000-8000-5EC2E7000001';
export const DEFAULT_SIGNATURE_KEY = '5A4DB0C5-0000-4000-8000-516A70000002';
export const DEFAULT_PORT = 4010;

export interface SandboxOptions {
	/** 0 = any free port. Default 0. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	secretKey?: string;
	signatureKey?: string;
	/** The token of the control API (header X-Sandbox-Token); a random one by default. */
	controlToken?: string;
	config?: Partial<SandboxConfig>;
}

export interface Sandbox {
	/** http://127.0.0.1:PORT, without /v1. */
	url: string;
	port: number;
	secretKey: string;
	signatureKey: string;
	controlToken: string;
	/** Typed client of this sandbox's control API (it sends the token). */
	control: SandboxControl;
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const secretKey = options.secretKey ?? DEFAULT_SECRET_KEY;
	const signatureKey = options.signatureKey ?? DEFAULT_SIGNATURE_KEY;
	const controlToken = options.controlToken || newControlToken();
	const state = new SandboxState({ secretKey, signatureKey }, options.config ?? {});
	const { server, closeAll } = createServer(state, createControlHandler(state), controlToken);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	const control = new SandboxControl(url, controlToken);
	let closing: Promise<void> | null = null;
	return {
		url,
		port,
		secretKey,
		signatureKey,
		controlToken,
		control,
		close() {
			closing ??= new Promise<void>((resolve) => {
				state.close();
				control.close();
				server.close(() => resolve());
				closeAll();
			});
			return closing;
		},
	};
}
