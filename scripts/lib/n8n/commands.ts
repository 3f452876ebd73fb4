/**
 * n8n's own CLI commands against an instance's folder: import credentials and workflows, publish,
 * execute (one workflow, or several in one process), export. They work whether or not the server runs.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { lastLines } from './common';
import { parseExecuteOutput, type N8nRun } from './executeOutput';
import type { CredentialJson, WorkflowJson } from './json';
import { N8nProcess, type CliResult } from './process';
import { writeSecretFile } from './secretFiles';

export interface ExecuteResult extends CliResult {
	/** The parsed run; undefined when n8n printed none (e.g. an unknown workflow id). */
	run: N8nRun | undefined;
	/** The run finished successfully: judged from the printed run, not only from the exit code (see `crashedAtExit`). */
	ok: boolean;
	/**
	 * n8n 2.41.1's `execute` calls process.exit() without disposing its isolated-vm expression
	 * isolates, and Node 24 then often dies by SIGSEGV on the way out, after the run was printed
	 * and stored. True when that happened to a run that had finished.
	 */
	crashedAtExit: boolean;
}

/** One workflow of `executeBatch()`. */
export interface BatchRun {
	workflowId: string;
	/** execute-batch's verdict: success, error or warning (n8n counts some errors, e.g. time-outs, as warnings). */
	status: string;
	error?: string;
	/** The whole run; only for runs that succeeded (execute-batch writes no snapshot of a failed one). */
	run?: N8nRun;
	ok: boolean;
}

export interface BatchResult {
	runs: Map<string, BatchRun>;
	cli: CliResult;
}

export abstract class N8nCommands extends N8nProcess {
	/** Imports credentials (plain `data` is encrypted by n8n on import). */
	async importCredentials(credentials: CredentialJson | CredentialJson[]): Promise<void> {
		const file = this.writeInputFile('credentials', Array.isArray(credentials) ? credentials : [credentials]);
		// The file holds the keys in plain text: gone once n8n has them (encrypted) in its database.
		const result = await this.cliOk(['import:credentials', `--input=${file}`]).finally(() => rmSync(file, { force: true }));
		// n8n reports some failures on stdout with exit 0.
		if (!/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(`n8n import:credentials did not report success:\n${lastLines(result.stdout + result.stderr, 40)}`);
		}
	}

	async importWorkflows(workflows: WorkflowJson | WorkflowJson[]): Promise<void> {
		const list = Array.isArray(workflows) ? workflows : [workflows];
		for (const wf of list) {
			if (wf.id.length > 21) throw new Error(`workflow id "${wf.id}" is longer than the 21 characters n8n allows`);
		}
		const file = this.writeInputFile('workflows', list);
		const result = await this.cliOk(['import:workflow', `--input=${file}`]).finally(() => rmSync(file, { force: true }));
		if (!/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(`n8n import:workflow did not report success:\n${lastLines(result.stdout + result.stderr, 40)}`);
		}
	}

	/** Publishes (activates) a workflow; a running n8n picks it up only after a restart. */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --id=<id> --rawOutput`: the workflow must start with a Manual Trigger. */
	async execute(id: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], options);
		const run = parseExecuteOutput(result.stdout) ?? parseExecuteOutput(result.stderr);
		const finished = run !== undefined && typeof run.stoppedAt === 'string' && run.status !== 'running';
		const succeeded = finished && run.status === 'success' && !run.data.resultData.error;
		const crashedAtExit = finished && result.signal === 'SIGSEGV';
		if (crashedAtExit) appendFileSync(this.cliLogFile, '[harness] n8n execute died by SIGSEGV after the run had finished (isolated-vm at exit); judged by the printed run\n');
		return { ...result, run, ok: succeeded && (result.code === 0 || crashedAtExit), crashedAtExit };
	}

	/**
	 * Runs several workflows in ONE n8n process (`n8n execute-batch`, one after the other), which
	 * saves the 5-10 s that every `n8n execute` spends starting up. Each workflow must start with a
	 * Manual Trigger. Failed workflows are not retried (`--retries=0`: a retry would send SMS again).
	 * A successful run comes back whole (from `--snapshot`); a failed one with n8n's error text only.
	 */
	async executeBatch(ids: string[], options: { timeoutMs?: number } = {}): Promise<BatchResult> {
		if (ids.length === 0) throw new Error('executeBatch: no workflow ids');
		for (const id of ids) {
			// execute-batch keeps only ids that contain a digit (it was written for numeric ids).
			if (!/\d/.test(id)) throw new Error(`executeBatch: workflow id "${id}" has no digit, which n8n execute-batch ignores`);
			if (id.includes(',')) throw new Error(`executeBatch: workflow id "${id}" contains a comma`);
		}
		const dir = join(this.userFolder, 'harness-batch', `${Date.now()}-${randomBytes(3).toString('hex')}`);
		const snapshots = join(dir, 'snapshots');
		mkdirSync(snapshots, { recursive: true });
		const outputFile = join(dir, 'results.json');
		const cli = await this.cli(['execute-batch', `--ids=${ids.join(',')}`, '--retries=0', `--snapshot=${snapshots}`, `--output=${outputFile}`], {
			timeoutMs: options.timeoutMs ?? 300_000,
		});
		if (!existsSync(outputFile)) {
			throw new Error(`n8n execute-batch wrote no results (exit ${cli.code ?? cli.signal}):\n${lastLines(cli.stdout + cli.stderr, 40)}`);
		}
		const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
			executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
		};
		const runs = new Map<string, BatchRun>();
		for (const execution of report.executions) {
			const snapshot = join(snapshots, `${execution.workflowId}-snapshot.json`);
			const run = existsSync(snapshot) ? (JSON.parse(readFileSync(snapshot, 'utf8')) as N8nRun) : undefined;
			runs.set(execution.workflowId, {
				workflowId: execution.workflowId,
				status: execution.executionStatus,
				error: execution.error,
				run,
				ok: execution.executionStatus === 'success' && run !== undefined && !run.data.resultData.error,
			});
		}
		const missing = ids.filter((id) => !runs.has(id));
		if (missing.length > 0) throw new Error(`n8n execute-batch did not run ${missing.join(', ')} (not imported?)`);
		return { runs, cli };
	}

	/** Every node type n8n knows, as `n8n export:nodes` writes them (descriptions, tool variants included). */
	async exportNodes(): Promise<Array<{ name: string; displayName: string; [key: string]: unknown }>> {
		const file = join(this.userFolder, `export-nodes-${Date.now()}.json`);
		await this.cliOk(['export:nodes', `--output=${file}`]);
		return JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; displayName: string }>;
	}

	/** Credentials as n8n stores them, decrypted (`n8n export:credentials --all --decrypted`). */
	async exportCredentials(): Promise<Array<CredentialJson & Record<string, unknown>>> {
		const file = join(this.userFolder, `export-credentials-${Date.now()}.json`);
		await this.cliOk(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		return JSON.parse(readFileSync(file, 'utf8')) as Array<CredentialJson & Record<string, unknown>>;
	}

	private writeInputFile(kind: string, data: unknown): string {
		const file = join(this.userFolder, 'harness-input', `${kind}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		writeSecretFile(file, JSON.stringify(data, null, 2));
		return file;
	}
}
