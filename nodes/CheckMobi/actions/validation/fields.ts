/** Fields and output shaping that several validation operations share. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CheckMobiResponse } from '../../transport';

export const validationIdField: INodeProperties = {
	displayName: 'Validation ID',
	name: 'id',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. SMS-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D',
	description: 'The ID of the validation, exactly as Validation → Request returned it',
};

/**
 * CheckMobi's answer with the validation's ID in front: verify and status answers do not name
 * the validation, and downstream nodes (or an AI agent) need to know which one it is.
 */
export function withValidationId(id: string): (response: CheckMobiResponse) => IDataObject {
	return (response) => ({ id, ...(response && !Array.isArray(response) ? response : {}) });
}
