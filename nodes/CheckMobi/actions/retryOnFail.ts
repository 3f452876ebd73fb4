import { createHash } from 'node:crypto';

import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { runsAsTool } from '../helpers/tool';
import type { CheckMobiRequest, CheckMobiResponse, SideEffect } from '../transport';
import { checkMobiMayHaveActed } from '../transport';

/**
 * n8n's node setting Retry On Fail runs the node's whole execute() again, in the same execution
 * with the same run index, when it throws or when its first output item is an error (Continue On
 * Fail). What the requests of one try created or charged at CheckMobi, or may have, is kept for the
 * next try of the same node run, which reuses it instead of sending again. Nothing is kept for a
 * request CheckMobi refused or that never left: a later try sends it again. The same holds for the
 * tries n8n's tool wrapper makes of an AI agent's tool call (Retry On Fail on the tool variant).
 */

/** How long a try's outcomes wait for the next try (n8n waits at most 5 s between tries). */
export const KEPT_FOR_MS = 5 * 60_000;
/** Node runs kept at once in this process; the oldest is forgotten first. */
export const KEPT_RUNS_MAX = 1_000;

type Outcome = { answer: CheckMobiResponse } | { error: unknown };

interface KeptRun {
	/** Tries made so far, this one included. */
	tries: number;
	outcomes: Map<string, Outcome>;
	expires: number;
}

const kept = new Map<string, KeptRun>();

/** Node runs whose outcomes wait for their next try (for tests). */
export function keptRunCount(): number {
	forgetExpired(Date.now());
	return kept.size;
}

/** The tries n8n makes of a node, read as n8n-core 2.x reads the node's settings. */
export function triesOf(node: INode): number {
	if (node.retryOnFail !== true) return 1;
	return Math.min(5, Math.max(2, node.maxTries || 3));
}

export interface NodeRunId {
	executionId: string | undefined;
	nodeName: string;
	/** The node's run index; for the AI agent tool variant, the tool call's arguments (see openRetryMemory). */
	runIndex: number | string;
}

/** One try of a node run, with what earlier tries of the same run sent. */
export class RetryMemory {
	private constructor(
		private readonly key: string,
		private readonly run: KeptRun,
		private readonly maxTries: number,
		/** Registers what to do when the execution ends, where n8n offers it. */
		private readonly onExecutionFinish?: (handler: () => void) => void,
	) {}

	/** The memory of a try of a node run that n8n tries `maxTries` times; undefined without an execution id to key it by. */
	static open(id: NodeRunId, maxTries: number, onExecutionFinish?: (handler: () => void) => void, now = Date.now()): RetryMemory | undefined {
		if (maxTries < 2 || !id.executionId) return undefined;
		forgetExpired(now);
		const key = JSON.stringify([id.executionId, id.nodeName, id.runIndex]);
		const earlier = kept.get(key);
		kept.delete(key);
		const run: KeptRun = earlier ? { ...earlier, tries: earlier.tries + 1 } : { tries: 1, outcomes: new Map(), expires: 0 };
		return new RetryMemory(key, run, maxTries, onExecutionFinish);
	}

	/**
	 * Sends the request unless an earlier try did: then its answer is returned, or its error thrown,
	 * again. A failure after which CheckMobi may have acted is kept like an answer.
	 */
	async send(request: CheckMobiRequest, items: number[], send: () => Promise<CheckMobiResponse>): Promise<CheckMobiResponse> {
		const id = requestId(request, items);
		let outcome = this.run.outcomes.get(id);
		if (!outcome) {
			outcome = await send().then(
				(answer): Outcome => ({ answer }),
				(error: unknown): Outcome => ({ error }),
			);
			if ('answer' in outcome || checkMobiMayHaveActed(outcome.error)) this.run.outcomes.set(id, outcome);
		}
		if ('error' in outcome) throw outcome.error;
		return outcome.answer;
	}

	/**
	 * Ends the try: keeps its outcomes when n8n will try the node again (it threw, so no output,
	 * or its first item is an error) and tries remain; else forgets them.
	 */
	endTry(output: INodeExecutionData[] | undefined, now = Date.now()): void {
		const firstError = output?.[0]?.json.error;
		const retried = output === undefined || (firstError !== undefined && firstError !== null && firstError !== false);
		if (!retried || this.run.tries >= this.maxTries) return;
		while (kept.size >= KEPT_RUNS_MAX) kept.delete(kept.keys().next().value as string);
		kept.set(this.key, { ...this.run, expires: now + KEPT_FOR_MS });
		// A backstop for a try n8n does not make after all (a cancelled execution): forget at its end.
		const { key } = this;
		if (this.run.tries === 1) this.onExecutionFinish?.(() => kept.delete(key));
	}
}

/**
 * The memory of this try of the node run `this` executes, when one is needed: Retry On Fail is on
 * and the operation creates or charges something (reads are sent again on every try).
 */
export function openRetryMemory(this: IExecuteFunctions, sideEffect: SideEffect): RetryMemory | undefined {
	const node = this.getNode();
	const maxTries = triesOf(node);
	if (maxTries < 2 || sideEffect === 'none') return undefined;
	// n8n's tool wrapper gives each try of an agent's tool call the next run index: there, the tries
	// of one call are known by the call's arguments (the node's input items).
	const runIndex = runsAsTool(node) ? `tool:${digest(this.getInputData().map((item) => item.json))}` : (this.getWorkflowDataProxy(0).$runIndex as number);
	const onExecutionFinish = this.onExecutionFinish?.bind(this);
	return RetryMemory.open({ executionId: this.getExecutionId(), nodeName: node.name, runIndex }, maxTries, onExecutionFinish);
}

/** What makes two requests of one node run the same: items, method, path, body and client IP. */
function requestId(request: CheckMobiRequest, items: number[]): string {
	const { method, path, body, clientIp } = request;
	return digest([items, method, path, body ?? null, clientIp ?? null]);
}

function digest(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('base64');
}

function forgetExpired(now: number): void {
	for (const [key, run] of kept) if (run.expires <= now) kept.delete(key);
}
