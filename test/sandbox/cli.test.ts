// The CLI's options (arguments over environment over defaults) and its start banner.

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { DEFAULT_SECRET_KEY, DEFAULT_SIGNATURE_KEY, startSandbox } from '../../sandbox';
import { banner, parseCli, USAGE } from '../../sandbox/cli';
import { curlLine, inboxCurl } from '../../sandbox/curl';

test('defaults: port 4010, loopback, well-known keys that look like CheckMobi keys', () => {
	const options = parseCli([], {});
	expect(options).toEqual({ help: false, port: 4010, host: '127.0.0.1', secretKey: DEFAULT_SECRET_KEY, signatureKey: DEFAULT_SIGNATURE_KEY, config: {}, warnings: [] });
	expect(options.controlToken).toBeUndefined();
	const uuid = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
	expect(DEFAULT_SECRET_KEY).toMatch(uuid);
	expect(DEFAULT_SIGNATURE_KEY).toMatch(uuid);
	expect(DEFAULT_SECRET_KEY).not.toBe(DEFAULT_SIGNATURE_KEY);
});

test('environment, then arguments (both --opt value and --opt=value)', () => {
	const env = { CHECKMOBI_SANDBOX_PORT: '4100', CHECKMOBI_SANDBOX_SECRET_KEY: 'ENV-K', CHECKMOBI_SANDBOX_SIGNATURE_KEY: 'ENV-S' };
	expect(parseCli([], env)).toMatchObject({ port: 4100, secretKey: 'ENV-K', signatureKey: 'ENV-S' });
	expect(parseCli(['--port', '4200', '--secret-key=ARG-K', '--signature-key', 'ARG-S'], env)).toMatchObject({ port: 4200, secretKey: 'ARG-K', signatureKey: 'ARG-S' });
});

test('keys and the control token from the environment or from files, so that ps does not show them', () => {
	const dir = mkdtempSync(join(tmpdir(), 'sandbox-keys-'));
	const file = (name: string, text: string) => {
		writeFileSync(join(dir, name), text, { mode: 0o600 });
		return join(dir, name);
	};
	const env = { CHECKMOBI_SANDBOX_SECRET_KEY: 'ENV-K', CHECKMOBI_SANDBOX_SIGNATURE_KEY: 'ENV-S', CHECKMOBI_SANDBOX_CONTROL_TOKEN: 'ENV-T' };
	expect(parseCli([], env)).toMatchObject({ secretKey: 'ENV-K', signatureKey: 'ENV-S', controlToken: 'ENV-T', warnings: [] });
	const argv = ['--secret-key-file', file('secret', 'FILE-K\n'), `--signature-key-file=${file('signature', 'FILE-S')}`, '--control-token-file', file('token', ' FILE-T ')];
	expect(parseCli(argv, env)).toMatchObject({ secretKey: 'FILE-K', signatureKey: 'FILE-S', controlToken: 'FILE-T', warnings: [] });
	expect(() => parseCli(['--secret-key-file', join(dir, 'missing')])).toThrow(/--secret-key-file: ENOENT/);
	expect(() => parseCli(['--control-token-file', file('empty', '\n')])).toThrow(/is empty/);
	expect(USAGE).toMatch(/other users of the machine see them in ps/);
});

test('a key on the command line still works, with a warning that ps shows it', () => {
	expect(parseCli(['--secret-key', 'ARG-K']).warnings).toEqual([
		'--secret-key on the command line is visible to other users of this machine (ps): use CHECKMOBI_SANDBOX_SECRET_KEY or --secret-key-file instead.',
	]);
});

test('--config as JSON or @file; --help', () => {
	expect(parseCli(['--config', '{"smsPerMinute":3}']).config).toEqual({ smsPerMinute: 3 });
	const file = join(tmpdir(), `sandbox-config-${process.pid}.json`);
	writeFileSync(file, '{"pinLength":6}');
	expect(parseCli([`--config=@${file}`]).config).toEqual({ pinLength: 6 });
	expect(parseCli(['--help']).help).toBe(true);
	expect(USAGE).toContain('--signature-key');
});

test.each([[['--port', 'x']], [['--port', '70000']], [['--nope', '1']], [['stray']], [['--port']], [['--config', '{bad']]])('%j is refused', (argv) => {
	expect(() => parseCli(argv)).toThrow();
});

test('the banner gives the base URL, both keys and the loopback callback note; the options start a sandbox', async () => {
	const sandbox = await startSandbox({ ...parseCli(['--port', '0', '--secret-key', 'K1', '--signature-key', 'S1']) });
	try {
		const text = banner(sandbox);
		expect(text).toContain(sandbox.url);
		expect(text).toContain('K1');
		expect(text).toContain('S1');
		expect(text).toMatch(/refuses loopback and private/);
		expect(text).toContain(`Control token  ${sandbox.controlToken}`);
		expect((await sandbox.control.health()).secretKey).toBe('K1');
		// The inbox line it prints, run as printed by a shell and real curl, reads the inbox.
		const line = /\((curl [^)]*)\)/.exec(text)?.[1];
		expect(line).toBe(inboxCurl(sandbox, '+40745123456'));
		const { stdout } = await promisify(execFile)('bash', ['-c', `${line} --silent --show-error`]);
		expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ lastPin: null, entries: [] }));
	} finally {
		await sandbox.close();
	}
});

test('curl lines are quoted for a shell: a shell gives back the very words', async () => {
	const line = curlLine("http://127.0.0.1:1/a b?x='1'", { method: 'POST', headers: { 'X-Api-Key': "k'$(id)`x`\\" }, body: '{"text": "it\'s $HOME"}' });
	const { stdout } = await promisify(execFile)('bash', ['-c', `printf '%s\\n' ${line.slice('curl '.length)}`]);
	expect(stdout.split('\n').slice(0, -1)).toEqual(['-X', 'POST', '-H', "X-Api-Key: k'$(id)`x`\\", "http://127.0.0.1:1/a b?x='1'", '-d', '{"text": "it\'s $HOME"}']);
});
