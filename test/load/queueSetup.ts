/**
 * The queue-mode set-up the queue load runs share: Redis and PostgreSQL (Debian's packages, on
 * loopback, each with a random password) and a main n8n in queue mode, started before the file's
 * tests; the worker and webhook processes a test starts are stopped after them, then the rest.
 */
import { N8nInstance, provisionN8n, tail } from '../../scripts/lib/n8n';
import { queueEnv, startQueueBackends, type N8nProcess, type QueueBackends } from '../../scripts/lib/queue';
import { waitForBuiltPackage } from './common';

export interface QueueMode {
	backends(): QueueBackends;
	main(): N8nInstance;
	/** Processes a test started: stopped (last first) after the file's tests. */
	processes: N8nProcess[];
	/** An error with `error`'s message and the tails of every n8n process's log. */
	withLogs(error: unknown): Error;
}

export function useQueueMode(): QueueMode {
	let backends: QueueBackends | undefined;
	let main: N8nInstance | undefined;
	const processes: N8nProcess[] = [];

	beforeAll(async () => {
		const runtime = await provisionN8n();
		await waitForBuiltPackage();
		backends = await startQueueBackends();
		main = await N8nInstance.create({ runtime, disableUi: true, env: queueEnv(backends) });
	}, 30 * 60_000);

	afterAll(async () => {
		for (const p of processes.reverse()) await p.stop().catch(() => undefined);
		await main?.dispose().catch(() => undefined);
		await backends?.stop();
	}, 180_000);

	return {
		backends: () => backends!,
		main: () => main!,
		processes,
		withLogs(error: unknown): Error {
			const n8n = main!;
			const logs = [n8n.logFile, ...processes.map((p) => p.logFile)].map((file) => `--- tail of ${file}:\n${tail(file, 25)}`).join('\n');
			return new Error(`${(error as Error).message}\n${logs}\n--- cli:\n${tail(n8n.cliLogFile, 20)}`);
		},
	};
}
