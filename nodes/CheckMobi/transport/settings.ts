/** What the transport is given by its caller (the router), rather than read from module state. */
export interface TransportSettings {
	/** Pauses before the 2nd, 3rd… attempt of a request that may be repeated: their count bounds the attempts. */
	readonly retryDelaysMs: readonly number[];
}

/** The settings n8n runs the node with. */
export const DEFAULT_TRANSPORT_SETTINGS: TransportSettings = Object.freeze({ retryDelaysMs: Object.freeze([300, 1_200]) });
