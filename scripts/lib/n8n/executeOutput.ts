/** Run data, as printed by `n8n execute --rawOutput` and returned by the public API. */

export interface N8nItem {
	json: Record<string, unknown>;
	binary?: Record<string, unknown>;
	pairedItem?: unknown;
	error?: unknown;
}

export interface N8nTaskData {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	data?: Record<string, Array<N8nItem[] | null>>;
	error?: { message: string; description?: string; name?: string; [key: string]: unknown };
	/** The node's execution hints (`addExecutionHints`). */
	hints?: Array<{ message: string; location?: string; [key: string]: unknown }>;
	source?: unknown;
}

export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			lastNodeExecuted?: string;
			error?: { message: string; description?: string; name?: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	mode?: string;
	status?: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

/**
 * The run JSON in the output of `n8n execute --rawOutput`. n8n prints it through its logger
 * (`JSON.stringify(run, null, 2)`, so it starts with a `{` line and ends with the next `}` line),
 * between other log lines; on a failed run it prints the same JSON and then the error.
 */
export function parseExecuteOutput(output: string): N8nRun | undefined {
	const lines = output.split(/\r?\n/);
	let found: N8nRun | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			const candidate = JSON.parse(lines.slice(start, end + 1).join('\n')) as Partial<N8nRun>;
			if (candidate && typeof candidate === 'object' && candidate.data?.resultData) found = candidate as N8nRun;
		} catch {
			// a brace line of something else
		}
		start = end;
	}
	return found;
}

/** The items one node put out: `run.data.resultData.runData[node][runIndex].data.main[output]`. */
export function nodeOutput(run: N8nRun, nodeName: string, output = 0, runIndex = 0): N8nItem[] {
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!task) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(run.data.resultData.runData).join(', ')})`);
	return task.data?.main?.[output] ?? [];
}
