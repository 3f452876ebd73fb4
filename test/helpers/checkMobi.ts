/** Runs the CheckMobi node in n8n's engine against a test file's sandbox, with its keys. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import type { NodeRun, OnError, RunNodeOptions } from './engine';
import { runNode } from './engine';
import { type SandboxFixture, useSandbox } from './sandbox';

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

/**
 * A test file's sandbox (useSandbox) with `run` for one resource's operations (Continue On Fail when
 * `continueOnFail`) and `received` for the requests the sandbox got.
 */
export function useResource<Operation extends string>(resource: string) {
	const sandbox = useSandbox();
	const run = (operation: Operation, parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) =>
		runCheckMobi(sandbox, { resource, operation, ...parameters }, input, continueOnFail);
	const received = (path?: string) => sandbox.received(path);
	return { sandbox, run, received };
}
