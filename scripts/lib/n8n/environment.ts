/**
 * The environment every n8n command of an instance runs with: on loopback, quiet and offline, the
 * owner set up without the setup screen, community packages loaded from the user folder only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { N8nRuntime } from './runtime';
import { writeSecretFile } from './secretFiles';

export interface EnvironmentSettings {
	runtime: N8nRuntime;
	userFolder: string;
	port: number;
	/** `http://127.0.0.1:<port>`: the editor's and the webhooks' base. */
	baseUrl: string;
	ownerEmail: string;
	ownerPassword: string;
	disableUi?: boolean;
	/** Extra or overriding variables. */
	env?: Record<string, string>;
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

/** The environment of every n8n command (without the per-process task-broker port). */
export function n8nEnvironment(settings: EnvironmentSettings): NodeJS.ProcessEnv {
	const { runtime, userFolder, port, baseUrl } = settings;
	const encryptionKey = folderEncryptionKey(userFolder);
	return {
		...inheritedEnv(),
		PATH: `${dirname(runtime.nodeBin)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		WEBHOOK_URL: `${baseUrl}/`,
		N8N_ENCRYPTION_KEY: encryptionKey,
		// n8n writes its config (with the encryption key) 0600 and keeps it so.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// Owner without the setup screen.
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: settings.ownerEmail,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(runtime, settings.ownerPassword),
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
		...(settings.disableUi ? { N8N_DISABLE_UI: 'true' } : {}),
		...settings.env,
	};
}
