/** What nodes log through `this.logger` (n8n-core's Logger from its DI container), kept for assertions. */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
}

/** Every entry since the last `clearNodeLogs()`. */
export const nodeLogs: LogEntry[] = [];

const capturingLogger = {
	error: (message: string) => nodeLogs.push({ level: 'error', message }),
	warn: (message: string) => nodeLogs.push({ level: 'warn', message }),
	info: (message: string) => nodeLogs.push({ level: 'info', message }),
	debug: (message: string) => nodeLogs.push({ level: 'debug', message }),
	scoped: () => capturingLogger,
};
Container.set(Logger, capturingLogger as unknown as Logger);

export function clearNodeLogs(): void {
	nodeLogs.length = 0;
}
