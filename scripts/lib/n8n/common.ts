/** Small helpers the harness's files share: waiting, durations and the ends of logs. */
import { readFileSync } from 'node:fs';

export const sleep = async (ms: number) => await new Promise<void>((r) => setTimeout(r, ms));

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tail(file: string, lines = 60): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

export function lastLines(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}
