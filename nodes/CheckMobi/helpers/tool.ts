import type { INode } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool: n8n builds that variant of a `usableAsTool` node
 * under the type name with `Tool` appended (the same test n8n's `@tool` display option makes).
 */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}
