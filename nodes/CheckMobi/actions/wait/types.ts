import type { IDataObject } from 'n8n-workflow';

import type { ItemOperation, Operation } from '../types';

/** How an operation that waits for CheckMobi's callback reads that callback. */
export interface WaitBehaviour {
	/** The request a callback is about, to compare with the "id" of the send's answer. */
	callbackId(callback: IDataObject): unknown;
	/** What the node outputs when Limit Wait Time expires, from what the send answered. */
	timedOut(sent: IDataObject): IDataObject;
	/** The output for a callback that ends the wait; undefined for one that is not final (the execution keeps waiting). */
	resume(callback: IDataObject, sent: IDataObject): IDataObject | undefined;
}

/**
 * An operation that sends one request for the first input item, with the execution's resume URL as
 * its notification callback, and then waits until the callback says it is over (or the limit expires).
 */
export interface WaitOperation extends ItemOperation {
	wait: WaitBehaviour;
}

export function isWaitOperation(operation: Operation): operation is WaitOperation {
	return 'wait' in operation;
}
