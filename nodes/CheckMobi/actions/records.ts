/** CheckMobi's answers as output items, and the GET of one record (an SMS, a call, a validation) by its ID. */
import type { IDataObject } from 'n8n-workflow';

import type { CheckMobiResponse } from '../transport';
import type { PreparedRequest } from './types';

/** The answer as one object; an empty one when CheckMobi sent no body (or, unexpectedly, a list). */
export function asObject(response: CheckMobiResponse): IDataObject {
	return response && !Array.isArray(response) ? response : {};
}

/**
 * The answer with the record's ID in front: CheckMobi's records of an SMS, a call or a validation
 * do not name it, and the nodes that follow (or an AI agent) need to know which one it is.
 */
export function withId(id: string): (response: CheckMobiResponse) => IDataObject {
	return (response) => ({ id, ...asObject(response) });
}

/** GET `<path>/<id>`: one record, output with its ID in front. */
export function getById(path: string, id: string): PreparedRequest {
	return { request: { method: 'GET', path: `${path}/${encodeURIComponent(id)}` }, toOutput: withId(id) };
}
