/** Which operations the node's AI-tool variant offers, and the refusal of the others at run time. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from './types';
import { isBatchOperation } from './types';
import { isWaitOperation } from './wait/types';

/**
 * Not an operation that waits (n8n resumes no waiting tool call but its own human-approval ones),
 * nor a bulk lookup (its results go to a CheckMobi Trigger's URL, which an agent cannot supply).
 */
export function offeredToAgents(operation: Operation): boolean {
	return !isBatchOperation(operation) && !isWaitOperation(operation);
}

/** For an operation the tool hides: a workflow saved before it was hidden, or an agent's value, can still name it. */
export function agentRefusal(node: INode, operationName: string, operation: Operation): NodeOperationError {
	if (isWaitOperation(operation)) {
		return new NodeOperationError(node, 'This operation waits for CheckMobi and cannot run as an AI tool', {
			description: 'Use the CheckMobi node in the workflow itself, or an operation that does not wait (e.g. SMS → Send).',
		});
	}
	return new NodeOperationError(node, `The operation "${operationName}" is not available to an AI agent`, {
		description: 'A bulk lookup sends its results to a CheckMobi Trigger\'s URL, which an agent cannot supply: use it in a workflow, or let the agent run HLR or MNP for one number.',
	});
}
