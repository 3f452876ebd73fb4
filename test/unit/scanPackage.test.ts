/**
 * scripts/scan-package.mjs (part of `npm run lint`) runs n8n's own scanner over the source checkout
 * and over the packed tarball, offline. On a copy of the package with one fault only the source
 * can show (a credential's documentationUrl that is no URL: compiled, the class field is gone) and
 * one only the tarball can show (`index.js`, the package's `main`, is published but outside the
 * source patterns), each leg must report its own fault, and nothing may reach for the network.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const SHIPPED = ['package.json', 'tsconfig.json', 'gulpfile.js', 'index.js', 'README.md', 'LICENSE', '.npmrc', 'nodes', 'credentials'];

let trap: Server;
let trapUrl: string;
let connections = 0;
const copies: string[] = [];

beforeAll(async () => {
	// Registry and proxies point here: any attempt to go online shows up as a connection.
	trap = createServer((socket) => {
		connections++;
		socket.destroy();
	});
	await new Promise<void>((done) => trap.listen(0, '127.0.0.1', done));
	const address = trap.address();
	if (!address || typeof address === 'string') throw new Error('no trap address');
	trapUrl = `http://127.0.0.1:${address.port}/`;
});

afterAll(async () => {
	for (const dir of copies) rmSync(dir, { recursive: true, force: true });
	await new Promise((done) => trap.close(done));
});

function copyOfPackage(): string {
	const dir = mkdtempSync(join(tmpdir(), 'checkmobi-scan-test-'));
	copies.push(dir);
	for (const entry of SHIPPED) cpSync(join(root, entry), join(dir, entry), { recursive: true });
	return dir;
}

function scan(dir: string): Promise<{ code: number; source: string; tarball: string; output: string }> {
	const env = {
		...process.env,
		npm_config_registry: trapUrl,
		HTTP_PROXY: trapUrl,
		HTTPS_PROXY: trapUrl,
		http_proxy: trapUrl,
		https_proxy: trapUrl,
		NO_PROXY: '',
		no_proxy: '',
	};
	return new Promise((done) => {
		execFile('node', [join(root, 'scripts', 'scan-package.mjs'), dir], { env, encoding: 'utf8' }, (error, stdout, stderr) => {
			const output = stdout + stderr;
			const tarballAt = output.search(/^(passed|FAILED): packed tarball/m);
			done({
				code: error ? Number(error.code) : 0,
				source: output.slice(0, tarballAt),
				tarball: output.slice(tarballAt),
				output,
			});
		});
	});
}

describe('scripts/scan-package.mjs: n8n\'s scanner over the source and the packed tarball', () => {
	it('runs in `npm run lint`, which .ci/run runs', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
		expect(pkg.scripts.lint.split(' && ')).toEqual(['eslint package.json credentials nodes --max-warnings 0', 'node scripts/scan-package.mjs']);
		expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm run lint$/m);
	});

	it('passes the package as it is, offline', async () => {
		const result = await scan(copyOfPackage());
		expect(result.output).toMatch(/^passed: source checkout/m);
		expect(result.output).toMatch(/^passed: packed tarball n8n-nodes-checkmobi-[\d.]+\.tgz/m);
		expect(result.code).toBe(0);
		expect(connections).toBe(0);
	}, 240_000);

	it('fails, each leg on the fault only it can see', async () => {
		const dir = copyOfPackage();
		writeFileSync(join(dir, 'index.js'), `${readFileSync(join(dir, 'index.js'), 'utf8')}require('node:child_process');\n`);
		const credentials = join(dir, 'credentials', 'CheckMobiApi.credentials.ts');
		writeFileSync(
			credentials,
			readFileSync(credentials, 'utf8').replace(/documentationUrl = '[^']*'/, "documentationUrl = 'see the README'"),
		);

		const result = await scan(dir);
		expect(result.code).toBe(1);
		expect(result.source).toMatch(/^FAILED: source checkout/m);
		expect(result.source).toContain('@n8n/community-nodes/credential-documentation-url');
		expect(result.source).not.toContain('index.js');
		expect(result.tarball).toMatch(/^FAILED: packed tarball/m);
		expect(result.tarball).toMatch(/tarball\/index\.js\n.*node:child_process.*@n8n\/community-nodes\/no-restricted-imports/);
		expect(result.tarball).not.toContain('credential');
		expect(connections).toBe(0);
	}, 240_000);
});
