/** Folders and files that hold keys: readable by the current user only. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A folder only the current user can enter (0700): created so, or tightened if it exists. */
export function privateDir(dir: string): string {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
	return dir;
}

/** Writes a file only the current user can read (0600) into a folder only they can enter (0700). */
export function writeSecretFile(file: string, content: string): void {
	privateDir(dirname(file));
	writeFileSync(file, content, { mode: 0o600 });
	chmodSync(file, 0o600);
}
