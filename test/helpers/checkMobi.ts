/** Runs the CheckMobi node in n8n's engine against a test file's sandbox, with its keys. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import type { NodeRun, OnError, RunNodeOptions } from './engine';
import { runNode } from './engine';
import type { SandboxFixture } from './sandbox';

export function runCheckMobi(
	sandbox: SandboxFixture,
	parameters: INodeParameters & { resource: string; operation: string },
	input?: IDataObject[],
	/** On Error: true is Continue (using regular output). */
	onError: boolean | OnError = false,
	/** Node settings such as Retry On Fail. */
	settings: Pick<RunNodeOptions, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'typeName'> = {},
): Promise<NodeRun> {
	return runNode({
		nodeType: new CheckMobi(),
		parameters,
		input,
		credentials: { secretKey: sandbox.secretKey, signatureKey: sandbox.signatureKey, baseUrl: sandbox.url },
		onError: typeof onError === 'string' ? onError : onError ? 'continueRegularOutput' : 'stopWorkflow',
		...settings,
	});
}
