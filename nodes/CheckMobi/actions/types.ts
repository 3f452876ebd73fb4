import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { CheckMobiRequest, CheckMobiResponse, SideEffect } from '../transport';

/** The account limit (a /my-account field) that an operation's requests count against. */
export type PacingGroup = 'sms_per_minute' | 'call_per_minute';

/**
 * What an operation is, declared once in its file. The transport's retry rule reads the side
 * effect (the router passes it with each request), the router paces to the pacing group, and the
 * fault matrix and the README's operations table are checked against both.
 */
export interface OperationDeclaration {
	sideEffect: SideEffect;
	/** null: not paced; only the Concurrency option bounds it. */
	pacing: PacingGroup | null;
	/**
	 * Which of the options every operation may share it offers (in its Options collection) and the
	 * router reads; each must be stated, and a test checks the collection against it.
	 */
	options: Record<SharedOption, boolean>;
}

/**
 * The options several operations share, by their parameter names under Options: the router reads
 * the first three; Default Country is read with every phone number the operation takes.
 */
export type SharedOption = 'concurrency' | 'timeout' | 'paceToAccountLimits' | 'defaultCountry';

/** A request as an operation prepares it; the router adds the operation's side effect. */
export type OperationRequest = Omit<CheckMobiRequest, 'sideEffect'>;

/** One request to make, and how its answer becomes output. */
export interface PreparedRequest {
	request: OperationRequest;
	/** Shapes CheckMobi's answer into output items; the answer itself by default. */
	toOutput?: (response: CheckMobiResponse) => IDataObject | IDataObject[];
}

/** An operation where each input item makes one request (most of them). */
export interface ItemOperation {
	description: INodeProperties[];
	declaration: OperationDeclaration;
	/**
	 * Reads and checks one item's parameters and says what to send. Throws on bad input,
	 * which the router surfaces before any request of the run is made.
	 */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedRequest> | PreparedRequest;
}

/** A request that serves several input items at once (bulk lookups). */
export interface BatchRequest extends PreparedRequest {
	/** The input items whose data this request carries; its output is paired with them. */
	items: number[];
}

export interface BatchPlan {
	requests: BatchRequest[];
	/** Items whose parameters are wrong: error items under Continue On Fail, else the run stops. */
	failures: Array<{ itemIndex: number; error: Error }>;
	/** Output items that need no request (e.g. "0 numbers, nothing sent"), paired with their items. */
	notes?: Array<{ json: IDataObject; items: number[] }>;
}

/** An operation that groups the input items into requests itself. */
export interface BatchOperation {
	description: INodeProperties[];
	declaration: OperationDeclaration;
	prepareBatch(this: IExecuteFunctions, itemCount: number): Promise<BatchPlan> | BatchPlan;
}

export type Operation = ItemOperation | BatchOperation;

export function isBatchOperation(operation: Operation): operation is BatchOperation {
	return 'prepareBatch' in operation;
}

/**
 * A resource's Operation choices, built from its operations table: each key needs exactly one
 * choice and a choice's value is its key, so a missing, extra or misspelt operation fails the type-check.
 */
export function operationChoices<K extends string>(
	operations: Record<K, Operation>,
	choices: Record<K, Omit<INodePropertyOptions, 'value'>>,
): INodePropertyOptions[] {
	return (Object.keys(choices) as K[]).map((value) => {
		if (!(value in operations)) throw new Error(`No operation "${value}"`);
		return { ...choices[value], value };
	});
}
