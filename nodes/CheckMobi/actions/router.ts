import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MAX_CONCURRENCY_OPTION } from '../helpers/limits';
import { asNodeError } from '../helpers/nodeError';
import { MinuteLimiter } from '../helpers/pacing';
import { runsAsTool } from '../helpers/tool';
import type { TransportSettings } from '../transport';
import { checkMobiApiRequest } from '../transport';
import { labelItems } from '../transport/wording';
import { agentRefusal, offeredToAgents } from './agentOperations';
import { resources } from './registry';
import type { RetryMemory } from './retryOnFail';
import { openRetryMemory } from './retryOnFail';
import type { BatchPlan, BatchRequest, Operation, OperationDeclaration, PacingGroup } from './types';
import { isBatchOperation } from './types';
import { waitAfterSend } from './wait/execute';
import { isWaitOperation } from './wait/types';

/**
 * The one item loop of the node: plans every item's request first (so bad input stops the run
 * before anything is sent), then sends them, at most `concurrency` at a time and paced to the
 * account's limits, and returns the output in input order with every item paired. Every request
 * goes through the transport with the settings the node was built with.
 */
export async function router(this: IExecuteFunctions, transport: TransportSettings): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	if (runsAsTool(this.getNode()) && !offeredToAgents(operation)) {
		throw agentRefusal(this.getNode(), operationName, operation);
	}

	// An operation that waits sends for the first item only, as n8n's own send-and-wait nodes do.
	const itemCount = isWaitOperation(operation) ? Math.min(this.getInputData().length, 1) : this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const failed = errorItemMaker(this.getNode().onError === 'continueErrorOutput');
	const memory = openRetryMemory.call(this, operation.declaration.sideEffect);
	let output: INodeExecutionData[] | undefined;
	try {
		output = await runOperation.call(this, operation, itemCount, { continueOnFail, failed, memory, transport });
	} catch (error) {
		// A failure of the whole run (e.g. a field all items share is wrong). Thrown under Continue On
		// Fail, n8n would pass the input items on as if they were the output: each gets the error instead.
		const nodeError = asNodeError.call(this, error);
		if (!continueOnFail || this.getExecutionCancelSignal()?.aborted) throw nodeError;
		const failedAt = nodeError instanceof NodeApiError ? 'request' : 'input';
		output = Array.from({ length: itemCount }, (_, itemIndex) => failed(nodeError, [itemIndex], failedAt));
	} finally {
		memory?.endTry(output);
	}
	return [isWaitOperation(operation) ? await waitAfterSend.call(this, operation, output) : output];
}

/**
 * Where an item failed: `input` when the node refused its parameters before sending anything,
 * `request` when the request failed (CheckMobi's answer, the connection, the credentials).
 */
type FailedAt = 'input' | 'request';

type ErrorItemMaker = (error: Error, items: number[], failedAt: FailedAt) => INodeExecutionData;

interface RunSettings {
	continueOnFail: boolean;
	failed: ErrorItemMaker;
	/** What earlier tries of this node run sent (Retry On Fail); undefined when nothing is kept. */
	memory?: RetryMemory;
	transport: TransportSettings;
}

async function runOperation(
	this: IExecuteFunctions,
	operation: Operation,
	itemCount: number,
	settings: RunSettings,
): Promise<INodeExecutionData[]> {
	const { continueOnFail, failed } = settings;
	const plan = isBatchOperation(operation)
		? await operation.prepareBatch.call(this, itemCount)
		: await planEachItem.call(this, operation.prepare, itemCount);
	// planEachItem labels its own failures; a batch operation's are labelled here.
	if (isBatchOperation(operation)) for (const failure of plan.failures) failure.error = itemFailure(failure.error, failure.itemIndex);
	if (plan.failures.length > 0 && !continueOnFail) throw plan.failures[0].error;

	// The shared options are read here only, and only those the operation declares.
	const declared = operation.declaration.options;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = declared.concurrency
		? Math.min(Math.max(Math.floor(Number(options.concurrency) || 1), 1), MAX_CONCURRENCY_OPTION)
		: 1;
	// One send can never reach a per-minute limit: only a run of several reads the limits.
	const limiter =
		(declared.paceToAccountLimits && options.paceToAccountLimits === false) ||
		!operation.declaration.pacing ||
		plan.requests.length < 2
			? undefined
			: accountLimiter.call(this, operation.declaration.pacing, plan.requests.flatMap((request) => request.items), settings.transport);

	const outputs = await sendAll.call(this, plan.requests, operation.declaration, { ...settings, concurrency, limiter });

	const results: Array<{ firstItem: number; items: INodeExecutionData[] }> = plan.requests.map(
		(request, index) => ({ firstItem: request.items[0] ?? 0, items: outputs[index] }),
	);
	for (const { itemIndex, error } of plan.failures) {
		results.push({ firstItem: itemIndex, items: [failed(error, [itemIndex], 'input')] });
	}
	for (const note of plan.notes ?? []) {
		results.push({ firstItem: note.items[0] ?? 0, items: [{ json: note.json, pairedItem: pairing(note.items) }] });
	}
	results.sort((a, b) => a.firstItem - b.firstItem);
	return results.flatMap((result) => result.items);
}

async function planEachItem(
	this: IExecuteFunctions,
	prepare: Extract<Operation, { prepare: unknown }>['prepare'],
	itemCount: number,
): Promise<BatchPlan> {
	const plan: BatchPlan = { requests: [], failures: [] };
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const prepared = await prepare.call(this, itemIndex);
			plan.requests.push({ ...prepared, items: [itemIndex] });
		} catch (error) {
			plan.failures.push({ itemIndex, error: itemFailure(error, itemIndex, this) });
		}
	}
	return plan;
}

/**
 * A limiter set to the account's own per-minute limit of the operation's pacing group, read once per run.
 * Every request waits for it before it is sent, so a failed read sends nothing and fails every
 * planned item (each an error item under Continue On Fail) rather than sending unpaced.
 */
async function accountLimiter(
	this: IExecuteFunctions,
	pacing: PacingGroup,
	items: number[],
	transport: TransportSettings,
): Promise<MinuteLimiter | undefined> {
	let account: IDataObject | undefined;
	try {
		account = (await checkMobiApiRequest.call(this, { method: 'GET', path: '/my-account', sideEffect: 'none' }, transport)) as IDataObject | undefined;
	} catch (error) {
		const nodeError = requestError.call(this, error, items);
		nodeError.message = `Could not read the account's per-minute limits (Pace to Account Limits): ${nodeError.message}`;
		nodeError.description = ['Nothing was sent.', nodeError.description, "To send without reading the limits, turn off Pace to Account Limits in the node's options."]
			.filter(Boolean)
			.join(' ');
		throw nodeError;
	}
	const perMinute = Number(account?.[pacing]) || 0;
	return perMinute > 0 ? new MinuteLimiter(perMinute) : undefined;
}

async function sendAll(
	this: IExecuteFunctions,
	requests: BatchRequest[],
	declaration: OperationDeclaration,
	settings: RunSettings & {
		concurrency: number;
		/** Pending while the account's limits are read; rejected when that read failed. */
		limiter?: Promise<MinuteLimiter | undefined>;
	},
): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = new Array(requests.length);
	const cancelSignal = this.getExecutionCancelSignal();
	let next = 0;
	let firstError: Error | undefined;
	// Each request awaits the read inside its own try; this only keeps a run cancelled before any
	// request started from leaving the rejection unhandled.
	settings.limiter?.catch(() => undefined);

	const worker = async () => {
		while (next < requests.length && !firstError && !cancelSignal?.aborted) {
			const index = next++;
			const { request, toOutput, items } = requests[index];
			let release: (() => void) | undefined;
			try {
				const timeout = request.timeout ?? (declaration.options.timeout ? this.getNodeParameter('options.timeout', items[0] ?? 0, 0) : 0);
				if (timeout) request.timeout = Number(timeout);
				const apiRequest = { ...request, sideEffect: declaration.sideEffect };
				const send = async () => {
					release = await (await settings.limiter)?.acquire();
					return await checkMobiApiRequest.call(this, apiRequest, settings.transport);
				};
				// What an earlier try sent is reused, not paced or sent again.
				const response = await (settings.memory ? settings.memory.send(apiRequest, items, send) : send());
				const output = toOutput ? toOutput(response) : (response ?? {});
				const pairedItem = pairing(items);
				outputs[index] = (Array.isArray(output) ? output : [output]).map((json) => ({ json, pairedItem }));
			} catch (error) {
				const nodeError = requestError.call(this, error, items);
				if (!settings.continueOnFail) {
					// Stop starting new requests; those in flight finish so nothing is left half-known.
					firstError ??= nodeError;
					return;
				}
				outputs[index] = [settings.failed(nodeError, items, 'request')];
			} finally {
				release?.();
			}
		}
	};

	await Promise.all(Array.from({ length: Math.min(settings.concurrency, requests.length) }, worker));
	if (firstError) throw firstError;
	if (cancelSignal?.aborted) throw new NodeOperationError(this.getNode(), 'The execution was cancelled');
	return outputs;
}

/**
 * An item's parameters refused: an error made for that item (it carries its itemIndex) is labelled
 * with it; a refusal of the whole run (e.g. a waiting operation as an AI tool) stays as it is.
 */
function itemFailure(error: unknown, itemIndex: number, context?: IExecuteFunctions): Error {
	const ownItem = (error instanceof NodeOperationError || error instanceof NodeApiError) && error.context.itemIndex !== undefined;
	const nodeError = context ? asNodeError.call(context, error, itemIndex) : (error as Error);
	return ownItem ? labelItems(nodeError, [itemIndex]) : nodeError;
}

/**
 * A failed request's error: CheckMobi's answer or the connection (the transport's NodeApiError) is
 * labelled with the request's items; a refusal before sending (e.g. the Base URL) concerns every item alike.
 */
function requestError(this: IExecuteFunctions, error: unknown, items: number[]): NodeApiError | NodeOperationError {
	const nodeError = asNodeError.call(this, error, items[0]);
	return nodeError instanceof NodeApiError ? labelItems(nodeError, items) : nodeError;
}

function pairing(items: number[]): IPairedItemData | IPairedItemData[] {
	return items.length === 1 ? { item: items[0] } : items.map((item) => ({ item }));
}

/**
 * What Continue On Fail outputs for a failed item: the message, what to do, CheckMobi's code and
 * the HTTP status. n8n's engine moves an item to the error output (On Error → Continue (using error
 * output)) only when its JSON holds nothing but `error`, `message` and `details`, and then adds the
 * input item's fields to it; so there the same facts go under `details`.
 */
function errorItemMaker(toErrorOutput: boolean): ErrorItemMaker {
	return (error, items, failedAt) => {
		const { description, context, httpCode } = error as NodeApiError;
		const details: IDataObject = {
			description: description ?? null,
			code: typeof context?.checkMobiCode === 'number' ? context.checkMobiCode : null,
			httpStatus: httpCode ? Number(httpCode) : null,
			failedAt,
		};
		const json: IDataObject = toErrorOutput ? { error: error.message, details } : { error: error.message, ...details };
		return { json, pairedItem: pairing(items) };
	};
}
