import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CheckMobiRequest, CheckMobiResponse } from '../transport';

/** How an operation's requests may be scheduled. */
export type Traffic =
	/** Reads and lookups: safe to run several at once and to retry. */
	| 'read'
	/** Sends an SMS: paced to the account's sms_per_minute. */
	| 'sms'
	/** Places a call: paced to the account's call_per_minute. */
	| 'call'
	/** Creates something else (a validation, a bulk lookup). */
	| 'create';

/** One request to make, and how its answer becomes output. */
export interface PreparedRequest {
	request: CheckMobiRequest;
	/** Shapes CheckMobi's answer into output items; the answer itself by default. */
	toOutput?: (response: CheckMobiResponse) => IDataObject | IDataObject[];
}

/** An operation where each input item makes one request (most of them). */
export interface ItemOperation {
	description: INodeProperties[];
	traffic: Traffic;
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
	traffic: Traffic;
	prepareBatch(this: IExecuteFunctions, itemCount: number): Promise<BatchPlan> | BatchPlan;
}

export type Operation = ItemOperation | BatchOperation;

export function isBatchOperation(operation: Operation): operation is BatchOperation {
	return 'prepareBatch' in operation;
}
