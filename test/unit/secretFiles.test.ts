/**
 * Development secrets on disk are the current user's alone: `npm run dev`'s state (owner password,
 * control token, webhook key) and the harness's files (encryption key, credential inputs) are
 * written 0600 into folders only the owner can enter (0700), whatever the umask, and files or
 * folders left looser by an earlier version are tightened.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readState, saveState } from '../../scripts/dev';
import { privateDir, writeSecretFile } from '../../scripts/lib/n8n';

const mode = (path: string) => statSync(path).mode & 0o777;
let root: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'secret-files-'));
});

test('a secret file is 0600 in a 0700 folder, even under a permissive umask', () => {
	const umask = process.umask(0o000);
	try {
		writeSecretFile(join(root, 'a', 'b', 'key'), 'k');
	} finally {
		process.umask(umask);
	}
	expect(mode(join(root, 'a', 'b'))).toBe(0o700);
	expect(mode(join(root, 'a', 'b', 'key'))).toBe(0o600);
	expect(readFileSync(join(root, 'a', 'b', 'key'), 'utf8')).toBe('k');
});

test('a file and folder left readable by others are tightened', () => {
	const dir = join(root, 'dev');
	mkdirSync(dir, { mode: 0o755 });
	writeFileSync(join(dir, 'dev.json'), '{}', { mode: 0o644 });
	chmodSync(join(dir, 'dev.json'), 0o644);
	writeSecretFile(join(dir, 'dev.json'), '{"x":1}');
	expect(mode(dir)).toBe(0o700);
	expect(mode(join(dir, 'dev.json'))).toBe(0o600);
	expect(mode(privateDir(join(root, 'other')))).toBe(0o700);
});

test("npm run dev's state holds its secrets 0600, and keeps its control token and webhook key across runs", () => {
	const file = join(root, 'dev', 'dev.json');
	const first = readState(file);
	expect(first.controlToken).toMatch(/^[\w-]{24}$/);
	expect(first.webhookKey).toMatch(/^[\w-]{24}$/);
	saveState(file, first);
	expect(mode(join(root, 'dev'))).toBe(0o700);
	expect(mode(file)).toBe(0o600);
	expect(readState(file)).toEqual(first);
});
