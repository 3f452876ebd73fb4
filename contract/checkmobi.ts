/**
 * CheckMobi's API as its reference gives it (../shared/checkmobi-api/reference.txt), written by
 * hand as data: every endpoint, its parameters, its answer, its error codes, and every callback.
 * Where the sandbox and the package follow the reference's examples, the wire notes or a decision
 * of their own, the field says so (`choice`) and the README's API notes explain it.
 */
import {
	bool,
	bulkAccepted,
	bulkResult,
	CALL_EVENTS,
	charges,
	float,
	hlrLookup,
	int,
	mnpLookup,
	notificationCallback,
	numberInfo,
	platform,
	SMS_STATUSES,
	str,
	validationLookup,
	VALIDATION_TYPES,
	validationStatus,
	VOICE_LANGUAGES,
} from './shapes';
import type { Callback, Contract, Endpoint, Field, Fields } from './types';

const object = (fields: Fields): Field => ({ type: 'object', fields });
const id: Fields = { id: { type: 'string', required: true } };
const number: Fields = { number: { type: 'string', required: true } };
const loop: Field = { type: 'integer', min: 0 };

/** "Available call actions": the objects of `events`, told apart by `action`. */
const callAction: Field = {
	type: 'object',
	variants: {
		by: 'action',
		shapes: {
			speak: {
				action: { type: 'string', required: true },
				text: { type: 'string', required: true },
				loop,
				voice: { type: 'string', values: ['WOMAN', 'MAN'] },
				language: { type: 'string', values: VOICE_LANGUAGES },
			},
			play: { action: { type: 'string', required: true }, url: { type: 'string', required: true }, loop },
			send_dtmf: { action: { type: 'string', required: true }, digits: { type: 'string', required: true }, async: bool },
			// Its type says "integer >= 0", its allowed values "integer greater than 0".
			wait: { action: { type: 'string', required: true }, length: { type: 'integer', min: 1, choice: { note: 'wait length' } } },
			hangup: {
				action: { type: 'string', required: true },
				reason: { type: 'string', values: ['rejected', 'busy'] },
				schedule: { type: 'integer', min: 1 },
			},
		},
	},
};

type EndpointSpec = Omit<Endpoint, 'name' | 'method' | 'path' | 'auth'> & { auth?: boolean };

function endpoint(method: Endpoint['method'], path: string, spec: EndpointSpec): Endpoint {
	return { name: `${method} ${path}`, method, path, auth: true, ...spec };
}

/** GET of one record by its ID. */
const byId = (path: string, body: Fields): Endpoint =>
	endpoint('GET', path, { pathParams: id, response: { status: 200, body: object(body) }, errors: [3] });

/** GET /lookup/{method}/{NUMBER}. */
const lookup = (method: string, body: Fields, errors: number[]): Endpoint =>
	endpoint('GET', `/lookup/${method}/{number}`, { pathParams: number, response: { status: 200, body: object(body) }, errors });

/** POST /lookup/{method}: a bulk lookup, results to the callback. */
const bulkLookup = (method: string): Endpoint =>
	endpoint('POST', `/lookup/${method}`, {
		params: {
			numbers: { type: 'array', required: true, items: str },
			notification_callback: { ...notificationCallback, required: true },
		},
		response: { status: 200, body: object(bulkAccepted) },
		errors: [5, 9],
	});

/** What SMS → Send and Call → Place answer. */
const created: Endpoint['response'] = { status: 200, body: object({ id: str, number_info: object(numberInfo) }) };

const ENDPOINTS: Endpoint[] = [
	endpoint('GET', '/my-account', {
		response: {
			status: 200,
			body: {
				type: 'object',
				// The table has no type column and leaves the email row unnamed.
				choice: { note: 'my-account' },
				fields: {
					email: str,
					subscription: object({ id: { type: 'integer', values: [0, 1, 2, 3] }, name: str, limit: int }),
					cli_validations: int,
					sms_validations: int,
					ivr_validations: int,
					sms_api: int,
					voice_api: int,
					expiration_date: int,
					credit_balance: float,
					call_per_minute: int,
					sms_per_minute: int,
					max_concurrent_calls: int,
				},
			},
		},
		errors: [],
	}),
	endpoint('POST', '/validation/request', {
		params: {
			...number,
			type: { type: 'string', required: true, values: VALIDATION_TYPES },
			language: str,
			notification_callback: notificationCallback,
			platform,
			android_app_hash: str,
		},
		headers: ['x-client-ip'],
		response: {
			status: 200,
			body: object({
				id: str,
				type: { type: 'string', values: VALIDATION_TYPES },
				pin_hash: { type: 'string', optional: true },
				cli_prefix: { type: 'string', optional: true, choice: { note: 'cli_prefix' } },
				validation_info: object(numberInfo),
			}),
		},
		errors: [2, 4, 5, 6, 8, 9, 13, 14],
	}),
	endpoint('POST', '/validation/verify', {
		params: { ...id, pin: { type: 'string', required: true }, use_server_hangup: bool },
		response: { status: 200, body: object(validationStatus) },
		errors: [3, 15, 16],
	}),
	byId('/validation/status/{id}', validationStatus),
	endpoint('POST', '/validation/remote-config', {
		params: { ...number, platform: { ...platform, required: true }, language: str },
		response: {
			status: 200,
			body: object({
				// The table says object; its words, the SDKs and the wire notes: the methods in order.
				settings: {
					type: 'object',
					choice: {
						note: 'settings',
						field: {
							type: 'array',
							items: object({
								type: { type: 'string', values: VALIDATION_TYPES },
								max_attempts: int,
								delay: int,
								sms_template: { type: 'string', optional: true },
								android_app_hash: { type: 'string', optional: true },
							}),
						},
					},
				},
				...numberInfo,
			}),
		},
		errors: [2],
	}),
	endpoint('POST', '/checknumber', {
		params: number,
		response: {
			status: 200,
			body: object({
				...numberInfo,
				// The table says array; the documentation's examples show one object per method.
				validation_methods: {
					type: 'array',
					choice: {
						note: 'validation_methods',
						field: object({
							sms: object({ available: bool, min_rate: float, max_rate: float }),
							ivr: object({ available: bool, min_rate: float, max_rate: float, estimation_cost: float }),
							reverse_cli: object({ available: bool, min_rate: float, max_rate: float, estimation_cost: float }),
							cli: object({ available: bool, local_number: bool }),
						}),
					},
				},
			}),
		},
		errors: [2],
	}),
	endpoint('GET', '/countries', {
		// The wire notes: the Android SDK calls it without a key.
		auth: false,
		choice: { note: 'countries without a key' },
		response: {
			status: 200,
			body: { type: 'array', items: object({ iso2: str, name: str, prefix: str, flag_32: str, flag_128: str }) },
		},
		errors: [],
	}),
	endpoint('GET', '/prefixes', {
		response: { status: 200, body: { type: 'array', items: object({ iso2: str, name: str, prefix: int }) } },
		errors: [],
	}),
	endpoint('POST', '/sms/send', {
		params: {
			from: str,
			to: { type: 'string', required: true },
			text: { type: 'string', required: true },
			is_transactional: bool,
			notification_callback: notificationCallback,
			platform,
		},
		headers: ['x-client-ip'],
		response: created,
		errors: [2, 5, 9, 13],
	}),
	byId('/sms/{id}', { to: str, request_date: int, description: str, status: { type: 'string', values: SMS_STATUSES }, ...charges('units') }),
	endpoint('POST', '/call', {
		params: {
			from: str,
			to: { type: 'string', required: true },
			ring_timeout: { type: 'integer', min: 1, max: 120 },
			notification_callback: notificationCallback,
			platform,
			events: { type: 'array', required: true, items: callAction },
		},
		headers: ['x-client-ip'],
		response: created,
		errors: [2, 5, 9, 10, 13],
	}),
	byId('/call/{id}', { to: str, request_date: int, description: str, ...charges('duration_billed') }),
	endpoint('DELETE', '/call/{id}', { pathParams: id, response: { status: 204 }, errors: [3] }),
	lookup('verify', validationLookup, [2]),
	lookup('hlr', hlrLookup, [2, 5, 18]),
	lookup('mnp', mnpLookup, [2, 5]),
	bulkLookup('hlr'),
	bulkLookup('mnp'),
];

/** "Lookup Notification Callback", one shape per lookup_method. */
function lookupBatch(method: 'hlr' | 'mnp' | 'verify', result: Field): Callback {
	return {
		kind: 'lookup',
		when: { field: 'lookup_method', value: method },
		body: {
			lookup_method: { type: 'string', values: [method] },
			error: {
				type: 'object',
				nullable: true,
				fields: { error: int, description: str, affected_numbers: { type: 'array', items: str } },
			},
			results: { type: 'array', nullable: true, items: result },
		},
	};
}

const CALLBACKS: Callback[] = [
	{ kind: 'validation', body: { key: str, number: str, description: str } },
	{ kind: 'sms', body: { id: str, to: str, description: str, status: { type: 'string', values: SMS_STATUSES }, ...charges('units') } },
	{
		kind: 'call',
		body: { id: str, from: str, to: str, description: str, event: { type: 'string', values: CALL_EVENTS }, ...charges('duration_billed') },
	},
	lookupBatch('hlr', bulkResult(hlrLookup)),
	lookupBatch('mnp', bulkResult(mnpLookup)),
	// The reference lists "verify" as a lookup_method of these callbacks but gives no result table for it.
	lookupBatch('verify', { ...bulkResult(validationLookup), choice: { note: 'verify batches' } }),
];

export const CONTRACT: Contract = {
	errors: {
		1: { message: 'Invalid or expired API secret key.' },
		2: { message: 'Invalid phone number. Phone number should be provided into E.164 format.' },
		3: { message: 'Invalid Request ID.' },
		4: { message: 'Invalid validation type. Allowed (sms, ivr, reverse_cli).' },
		5: { message: 'Insufficient funds.' },
		6: { message: 'Insufficient Missed Call validation count.' },
		7: { message: 'Invalid request payload.' },
		8: { message: 'Validation method not available for this destination.' },
		// Not in the reference's list; the wire notes: "error 9 in older docs" for a refused callback URL.
		9: { message: 'Invalid notification callback.', choice: { note: 'error 9' } },
		10: { message: 'Invalid event payload.' },
		11: { message: 'This operation is currently disabled for your account.' },
		12: { message: 'Your account exceeded one or more limitations.' },
		13: { message: 'Destination is blocked due to application restrictions.' },
		14: { message: 'Number temporary blocked because of too many attempts.' },
		15: { message: 'Too many attempts to verify the pin.' },
		16: { message: 'Validation request expired.' },
		17: { message: 'Invalid lookup method.' },
		18: { message: 'No HLR lookup route available for this destination.' },
	},
	anyEndpointErrors: [1, 7, 11, 12],
	errorStatuses: {
		1: [{ status: 401 }],
		3: [{ status: 400 }, { status: 404, choice: { note: 'unknown id' } }],
		11: [{ status: 400 }, { status: 403, choice: { note: '403' } }],
	},
	endpoints: ENDPOINTS,
	invalidLookupMethod: {
		code: 17,
		paths: [
			{ method: 'GET', path: '/lookup/{method}/{number}' },
			{ method: 'POST', path: '/lookup/{method}' },
		],
	},
	callbacks: CALLBACKS,
};
