/** The lock that keeps two processes from provisioning the same folder at once. */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

import { sleep } from './common';

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** An exclusive lock file (`wx`); a lock left by a dead process is taken over. */
export async function acquireLock(lockPath: string, timeoutMs: number, log: (line: string) => void): Promise<() => void> {
	const started = Date.now();
	let lastNotice = 0;
	for (;;) {
		try {
			const fd = openSync(lockPath, 'wx');
			writeFileSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
			closeSync(fd);
			return () => rmSync(lockPath, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let holder: { pid?: number } = {};
		let raw = '';
		try {
			raw = readFileSync(lockPath, 'utf8');
			holder = JSON.parse(raw) as { pid?: number };
		} catch {
			// being written right now, or already gone: look again shortly
		}
		if (typeof holder.pid === 'number' && !pidAlive(holder.pid)) {
			// Move the stale lock aside atomically, and put it back if it changed in between.
			const aside = `${lockPath}.stale-${process.pid}`;
			try {
				renameSync(lockPath, aside);
				if (readFileSync(aside, 'utf8') === raw) {
					rmSync(aside, { force: true });
					log(`took over the lock left by dead process ${holder.pid}`);
				} else {
					renameSync(aside, lockPath);
				}
			} catch {
				// someone else got there first
			}
			continue;
		}
		const waited = Date.now() - started;
		if (waited > timeoutMs) throw new Error(`timed out after ${Math.round(waited / 1000)} s waiting for ${lockPath} (held by pid ${holder.pid ?? '?'})`);
		if (waited - lastNotice >= 30_000 || lastNotice === 0) {
			lastNotice = waited || 1;
			log(`waiting for process ${holder.pid ?? '?'} which is provisioning the same folder (${Math.round(waited / 1000)} s so far)`);
		}
		await sleep(1000);
	}
}
