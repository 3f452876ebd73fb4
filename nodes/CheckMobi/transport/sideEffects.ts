/**
 * What a request does at CheckMobi besides answering, and the one rule that follows from it:
 * whether a failed attempt may be sent again. Each operation declares its side effect once.
 */
export type SideEffect =
	/** Nothing is created or charged and repeating it changes nothing: reads, a hang-up. */
	| 'none'
	/** Charges the account for an answer nobody else receives: single HLR and MNP lookups. */
	| 'charges'
	/** Sends, calls, queues or uses something up: a validation, an SMS, a call, a bulk lookup, a PIN attempt. */
	| 'creates';

/** How a failed attempt ended, as far as the client can tell. */
export interface AttemptOutcome {
	/** A fault, not a refusal: 5xx, network faults, garbled or oversized answers, a cancel while waiting. */
	transient: boolean;
	/** No connection was made: the request never reached CheckMobi. */
	notSent: boolean;
	/** The answer itself says the work was not done: 502 or 503, given before the API runs. */
	notDone: boolean;
}

/**
 * Whether CheckMobi may have done the work although the attempt failed. A refusal or no connection
 * proves it did not, and so does a 502 or 503 for a charged lookup; a request that creates something
 * is not risked on a gateway's word. A read does nothing there.
 */
export function mayHaveActed(sideEffect: SideEffect, outcome: AttemptOutcome): boolean {
	if (sideEffect === 'none' || !outcome.transient || outcome.notSent) return false;
	return sideEffect === 'creates' || !outcome.notDone;
}

/**
 * Reads are sent again after any passing fault; a charged request only when CheckMobi surely did
 * not do the work; a request that creates something only when it surely never left.
 */
export function mayRepeat(sideEffect: SideEffect, outcome: AttemptOutcome): boolean {
	return outcome.transient && !mayHaveActed(sideEffect, outcome);
}
