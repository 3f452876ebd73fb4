import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idField, optionsCollection } from '../common.descriptions';
import { readId } from '../inputs';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';
import { callId } from './fields';

const properties: INodeProperties[] = [
	idField(
		callId,
		'The ID of the call to end, as Call → Place returned it. The ID of an IVR or Missed Call validation (from Validation → Request) works too and ends that validation\'s call.',
	),
	optionsCollection([]),
];

// Ending a call that has ended already changes nothing, so a failed hang-up is sent again.
export const declaration: OperationDeclaration = { sideEffect: 'none', pacing: null, options: { concurrency: true, timeout: true, paceToAccountLimits: false, defaultCountry: false } };

export const description = updateDisplayOptions({ show: { resource: ['call'], operation: ['hangUp'] } }, withSharedOptions(declaration, properties));

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readId.call(this, itemIndex, {
		...callId,
		source: 'Call → Place (or of an IVR or Missed Call Validation → Request)',
	});
	return {
		request: { method: 'DELETE', path: `/call/${encodeURIComponent(id)}` },
		// CheckMobi answers 204 with no body: say what happened.
		toOutput: () => ({ id, hungUp: true }),
	};
}
