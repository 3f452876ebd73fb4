// The curl command lines the sandbox's CLI and `npm run dev` print, quoted for a POSIX shell so
// that they can be pasted as they are (and are run as they are by the end-to-end suite).

import { CONTROL_TOKEN_HEADER } from './controlAccess';

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shellWord(text: string): string {
	return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `curl [-X METHOD] -H 'Name: value' … URL [-d BODY]`. */
export function curlLine(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): string {
	const words = ['curl'];
	if (options.method && options.method !== 'GET') words.push('-X', options.method);
	for (const [name, value] of Object.entries(options.headers ?? {})) words.push('-H', shellWord(`${name}: ${value}`));
	words.push(shellWord(url));
	if (options.body !== undefined) words.push('-d', shellWord(options.body));
	return words.join(' ');
}

/** The call that shows a number's inbox (PINs, SMS, calls) with the control token. */
export function inboxCurl(sandbox: { url: string; controlToken: string }, number = '<number>'): string {
	return curlLine(`${sandbox.url}/_sandbox/inbox/${number}`, { headers: { [CONTROL_TOKEN_HEADER]: sandbox.controlToken } });
}
