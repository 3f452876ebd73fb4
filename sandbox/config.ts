// The sandbox's settings: what a CheckMobi account and application would configure in the web
// portal, plus the simulator's own timings and switches. All of it can be changed at run time
// through PATCH /_sandbox/config and is restored by POST /_sandbox/reset.

export interface SandboxConfig {
	// --- account (/my-account) -------------------------------------------------------------
	email: string;
	/** id 0 Trial Account, 1 Startup, 2 Growing Business, 3 Big Business; limit = successful missed-call validations allowed (0 = no limit, else error 6). */
	subscription: { id: number; name: string; limit: number };
	/** USD. Chargeable actions spend it; below the price of an action → error 5. */
	creditBalance: number;
	/** UNIX seconds; null = one year after the sandbox started. */
	expirationDate: number | null;
	/** Sliding 60 s window on POST /sms/send (0 = unlimited) → error 12. */
	smsPerMinute: number;
	/** Sliding 60 s window on POST /call (0 = unlimited) → error 12. */
	callPerMinute: number;
	/** Calls of POST /call not yet hung up (0 = unlimited) → error 12. */
	maxConcurrentCalls: number;
	/** USD prices: sms per unit, call per minute (also IVR validations), HLR and MNP per lookup. */
	prices: { sms: number; callMinute: number; hlr: number; mnp: number };
	/** Operation names answered with error 11 (see README: "Operation names"). */
	disabledOperations: string[];
	/** Operation names the secret key may not run: HTTP 403 with error 11. */
	forbiddenOperations: string[];
	/** Destinations answered with error 13, as E.164 prefixes ("+44", "4420"). */
	blockedPrefixes: string[];
	/** ISO codes of countries without an HLR route → error 18 on HLR lookups. */
	noHlrRouteCountries: string[];
	/** More than this many validation requests to one number within the window → error 14 (0 = off). */
	validationRequestsPerNumber: number;
	validationRequestWindowSeconds: number;

	// --- validations ------------------------------------------------------------------------
	validationTtlSeconds: number;
	maxVerifyAttempts: number;
	/** Digits of the SMS / IVR PIN. */
	pinLength: number;
	/** %code% is replaced by the PIN; `language` picks smsTemplates[language] when present. */
	smsTemplate: string;
	smsTemplates: Record<string, string>;
	/** What the IVR call says; %code% becomes the PIN's digits separated by spaces. */
	ivrTemplate: string;
	/** Sender of validation SMS; caller id of IVR calls and of /call requests without "from". */
	validationSenderId: string;
	defaultCallerId: string;
	/** How long a missed call rings before the sandbox ends it (ms of the sandbox clock). */
	missedCallTimeoutMs: number;
	/** Remote-config profile: the methods in the order the app presents them. */
	remoteConfig: Array<{ type: 'sms' | 'ivr' | 'reverse_cli'; max_attempts: number; delay: number }>;
	/** Sent to android clients in the sms item of remote-config (null = not configured). */
	androidAppHash: string | null;

	// --- SMS --------------------------------------------------------------------------------
	defaultSenderId: string;
	/** queued → sent after this delay, sent → delivered after the next one. */
	smsSentDelayMs: number;
	smsDeliveredDelayMs: number;
	/** false: messages stay queued until POST /_sandbox/sms/{id}/status moves them. */
	smsAutoProgress: boolean;

	// --- calls ------------------------------------------------------------------------------
	/** Real milliseconds per simulated call second (ring_timeout, answer delay, call duration). */
	callSecondMs: number;
	/** Delay before the ringing event. */
	callRingingDelayMs: number;
	/** The callee picks up after this many call seconds (if within ring_timeout). */
	callAnswerAfterSeconds: number;
	/** false: calls ring until the control API answers/rejects them or ring_timeout passes. */
	callAutoAnswer: boolean;
	/** ring_timeout when the request has none. */
	defaultRingTimeout: number;
	/** Billing increment of answered calls, seconds (60 = per started minute). */
	callBillingIncrementSeconds: number;
	/** Assumed length of one play of an audio file (the sandbox does not fetch it). */
	playSeconds: number;

	// --- lookups ----------------------------------------------------------------------------
	bulkMaxNumbers: number;
	bulkBatchSize: number;
	/** Delay before each batch callback of a bulk lookup. */
	bulkBatchDelayMs: number;

	// --- callbacks --------------------------------------------------------------------------
	signatureEncoding: 'hex' | 'base64';
	/** Delays before retry 1, 2, 3 (the last one repeats if callbackMaxRetries is larger). */
	callbackRetryDelaysMs: number[];
	/** The real service retries at most 3 times. */
	callbackMaxRetries: number;
	callbackTimeoutMs: number;
	/** The real service refuses loopback/private callback URLs (error 9); the sandbox allows them. */
	allowLoopbackCallbacks: boolean;
	callbackMaxUrlLength: number;

	// --- the simulator ----------------------------------------------------------------------
	/** Standing latency added to every /v1 request (benchmarks). */
	latencyMs: number;
	requestLogSize: number;
	callbackLogSize: number;
	inboxSizePerNumber: number;
	/** Validations, messages, calls, bulk requests and inboxes kept (each); the oldest go first. */
	maxStoredObjects: number;
}

export function defaultConfig(): SandboxConfig {
	return {
		email: 'developer@sandbox.invalid',
		subscription: { id: 1, name: 'Startup', limit: 0 },
		creditBalance: 10000,
		expirationDate: null,
		smsPerMinute: 0,
		callPerMinute: 0,
		maxConcurrentCalls: 0,
		prices: { sms: 0.05, callMinute: 0.02, hlr: 0.01, mnp: 0.005 },
		disabledOperations: [],
		forbiddenOperations: [],
		blockedPrefixes: [],
		noHlrRouteCountries: ['CU', 'KP', 'ER'],
		validationRequestsPerNumber: 0,
		validationRequestWindowSeconds: 3600,

		validationTtlSeconds: 3600,
		maxVerifyAttempts: 3,
		pinLength: 4,
		smsTemplate: 'Your validation code is %code%',
		smsTemplates: {},
		ivrTemplate: 'Your validation code is %code%. Again, your code is %code%.',
		validationSenderId: 'CheckMobi',
		defaultCallerId: '+12025550123',
		missedCallTimeoutMs: 5000,
		remoteConfig: [
			{ type: 'reverse_cli', max_attempts: 1, delay: 20 },
			{ type: 'sms', max_attempts: 2, delay: 60 },
			{ type: 'ivr', max_attempts: 1, delay: 60 },
		],
		androidAppHash: null,

		defaultSenderId: 'CheckMobi',
		smsSentDelayMs: 100,
		smsDeliveredDelayMs: 100,
		smsAutoProgress: true,

		callSecondMs: 20,
		callRingingDelayMs: 20,
		callAnswerAfterSeconds: 5,
		callAutoAnswer: true,
		defaultRingTimeout: 60,
		callBillingIncrementSeconds: 60,
		playSeconds: 10,

		bulkMaxNumbers: 1000,
		bulkBatchSize: 100,
		bulkBatchDelayMs: 20,

		signatureEncoding: 'hex',
		callbackRetryDelaysMs: [50, 100, 200],
		callbackMaxRetries: 3,
		callbackTimeoutMs: 5000,
		allowLoopbackCallbacks: true,
		callbackMaxUrlLength: 255,

		latencyMs: 0,
		requestLogSize: 10000,
		callbackLogSize: 1000,
		inboxSizePerNumber: 200,
		maxStoredObjects: 100_000,
	};
}

/**
 * Applies a partial config on top of `base` after checking every key and type against the
 * defaults; throws an Error naming the first bad key. Nested objects (subscription, prices) merge.
 */
export function mergeConfig(base: SandboxConfig, patch: unknown): SandboxConfig {
	if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new Error('config must be an object');
	const defaults = defaultConfig() as unknown as Record<string, unknown>;
	const out = structuredClone(base) as unknown as Record<string, unknown>;
	for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
		if (!(key in defaults)) throw new Error(`unknown config key: ${key}`);
		const model = defaults[key];
		if (key === 'expirationDate' || key === 'androidAppHash') {
			const want = key === 'expirationDate' ? 'number' : 'string';
			if (value !== null && typeof value !== want) throw new Error(`${key} must be a ${want} or null`);
			out[key] = value;
		} else if (Array.isArray(model)) {
			if (!Array.isArray(value)) throw new Error(`${key} must be an array`);
			out[key] = structuredClone(value);
		} else if (model !== null && typeof model === 'object') {
			if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${key} must be an object`);
			const merged = { ...(out[key] as Record<string, unknown>) };
			for (const [k, v] of Object.entries(value)) {
				if (key !== 'smsTemplates') {
					const inner = (model as Record<string, unknown>)[k];
					if (inner === undefined) throw new Error(`unknown config key: ${key}.${k}`);
					if (typeof v !== typeof inner) throw new Error(`${key}.${k} must be a ${typeof inner}`);
				} else if (typeof v !== 'string') throw new Error(`${key}.${k} must be a string`);
				merged[k] = v;
			}
			out[key] = merged;
		} else {
			if (typeof value !== typeof model) throw new Error(`${key} must be a ${typeof model}`);
			if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) throw new Error(`${key} must be a number >= 0`);
			out[key] = value;
		}
	}
	const config = out as unknown as SandboxConfig;
	if (config.signatureEncoding !== 'hex' && config.signatureEncoding !== 'base64') throw new Error('signatureEncoding must be "hex" or "base64"');
	if (config.callbackRetryDelaysMs.length === 0 || config.callbackRetryDelaysMs.some((d) => typeof d !== 'number' || d < 0))
		throw new Error('callbackRetryDelaysMs must be a non-empty array of numbers >= 0');
	if (config.bulkBatchSize < 1) throw new Error('bulkBatchSize must be >= 1');
	if (config.pinLength < 1 || config.pinLength > 12) throw new Error('pinLength must be 1..12');
	if (config.callSecondMs <= 0) throw new Error('callSecondMs must be > 0');
	return config;
}
