/**
 * The process groups of the n8n processes this process started (each runs detached, in a group of
 * its own with its task runner): tracked, so that none outlives a crashed or interrupted test.
 */

/** Process groups of n8n processes this process started and that may still run. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pid: number | undefined): void {
	if (!pid) return;
	liveGroups.add(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// A crashed or interrupted test must not leave n8n running: kill what is still up, synchronously.
	process.once('exit', () => {
		for (const group of liveGroups) killGroup(group, 'SIGKILL');
	});
}

/** The group has ended (stopped by us, or by itself): nothing to kill at exit. */
export function untrackGroup(pid: number | undefined): void {
	if (pid) liveGroups.delete(pid);
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

export function groupAlive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(-pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
