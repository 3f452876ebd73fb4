/**
 * Hostile HTTP servers on loopback for the tests of the key's trust boundary: one that records every
 * request it gets (the "other host"), and one that redirects every request to another host.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
	method: string;
	url: string;
	authorization: string | undefined;
}

export interface TinyServer {
	/** http://127.0.0.1:PORT */
	url: string;
	/** 127.0.0.1:PORT */
	host: string;
	/** Every request it got, oldest first. */
	seen: Seen[];
	close(): Promise<void>;
}

/** A loopback HTTP server that records every request and answers with `handle` once the body is in. */
export async function tinyServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TinyServer> {
	const seen: Seen[] = [];
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
		req.resume();
		req.on('end', () => handle(req, res));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		seen,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Answers 200 `{"ok": true}`, as a collecting host would, so that a followed request looks like success. */
export function okJson(_req: http.IncomingMessage, res: http.ServerResponse): void {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	res.end('{"ok": true}');
}

/** Answers every request with a redirect (status from `status()`) to the same path on `target`. */
export async function redirectingServer(target: string, status: () => number): Promise<TinyServer> {
	return await tinyServer((req, res) => {
		res.writeHead(status(), { Location: `${target}${req.url ?? '/'}` });
		res.end();
	});
}
