/**
 * The shape of the contract: CheckMobi's API reference (../shared/checkmobi-api/reference.txt)
 * written as data that tests read. The sandbox never imports it: the contract and the sandbox
 * are written apart, so that a mistake in one shows against the other.
 */

/** `float` is any JSON number (an amount of 0 is a float too); `integer` a whole one. */
export type FieldType = 'string' | 'integer' | 'float' | 'boolean' | 'object' | 'array';

/**
 * Where the sandbox (and the package) follow something other than the reference's tables: its
 * own examples, the wire notes, or a decision where it is silent. `note` is the key of the
 * bullet in the README's "API notes" that explains it (a test holds the two together).
 */
export interface Choice {
	note: string;
	/** The shape used instead of the table's; absent when the choice only adds the field. */
	field?: Field;
}

export interface Field {
	type: FieldType;
	/** Request parameters: the reference's Required column. */
	required?: boolean;
	/** Answers and callbacks: the reference's Nullable column (or "null …" in its words). */
	nullable?: boolean;
	/** Answers and callbacks: may be left out ("Sent only when is available", "For Reverse CLI only"). */
	optional?: boolean;
	/** Allowed values. */
	values?: readonly (string | number)[];
	/** Inclusive bounds of a number. */
	min?: number;
	max?: number;
	/** The fields of an object; no other field is allowed. Without it, any object. */
	fields?: Fields;
	/** The shape of an array's items. */
	items?: Field;
	/** Objects told apart by one field's value (call actions by `action`). */
	variants?: { by: string; shapes: Record<string, Fields> };
	/** Not in the reference's table, or another shape than its table's: see Choice. */
	choice?: Choice;
}

export type Fields = Record<string, Field>;

export interface Endpoint {
	/** A name for messages, e.g. "POST /sms/send". */
	readonly name: string;
	method: 'GET' | 'POST' | 'DELETE';
	/** Under /v1, with {placeholders}: "/sms/{id}". */
	path: string;
	/** False where the key is not needed (GET /countries, per the wire notes). */
	auth: boolean;
	/** Path placeholders. */
	pathParams?: Fields;
	/** JSON body of a POST. */
	params?: Fields;
	/** Headers CheckMobi reads besides Authorization (lower case). */
	headers?: string[];
	/** 200 with a JSON body of this shape, or 204 with none. */
	response: { status: 200; body: Field } | { status: 204 };
	/** The error codes whose reference text concerns this endpoint, besides those of every endpoint. */
	errors: number[];
	/** A decision about the endpoint as a whole (its auth, its status). */
	choice?: Choice;
}

/** A callback kind, told apart by a field's value where one kind has several shapes (lookup batches). */
export interface Callback {
	/** The sandbox's name of the kind (`kind` in its callback log). */
	kind: 'validation' | 'sms' | 'call' | 'lookup';
	when?: { field: string; value: string };
	body: Fields;
}

export interface ErrorCode {
	/** The reference's text, as the error body carries it. */
	message: string;
	choice?: Choice;
}

export interface Contract {
	/** The reference's error codes (and the documented choices), by code. */
	errors: Record<number, ErrorCode>;
	/** Codes any endpoint may give: a bad key, a bad payload, a disabled operation, account limits. */
	anyEndpointErrors: number[];
	/** HTTP status of each code; the default is 400. */
	errorStatuses: Record<number, { status: number; choice?: Choice }[]>;
	endpoints: Endpoint[];
	/**
	 * Requests to a lookup path with a method the reference does not list: "Invalid lookup method".
	 * Every other request that matches no endpoint is a 404 with no body.
	 */
	invalidLookupMethod: { code: number; paths: Array<{ method: 'GET' | 'POST'; path: string }> };
	callbacks: Callback[];
}
