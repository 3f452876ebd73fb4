/** Free TCP ports on loopback, for n8n, its task broker and the sandbox. */
import { createServer } from 'node:net';

const RESERVED_PORTS = new Set([5678, 5679]); // n8n's and its task broker's defaults
const handedOutPorts = new Set<number>();

async function listenOnce(port: number, host: string): Promise<number> {
	return await new Promise<number>((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen({ port, host, exclusive: true }, () => {
			const address = server.address();
			const bound = typeof address === 'object' && address ? address.port : port;
			server.close(() => resolvePromise(bound));
		});
	});
}

/** A TCP port free on loopback now; never n8n's defaults, never one this process handed out before. */
export async function findFreePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await listenOnce(0, '127.0.0.1');
		if (RESERVED_PORTS.has(port) || handedOutPorts.has(port)) continue;
		handedOutPorts.add(port);
		return port;
	}
	throw new Error('no free port found');
}

/** Whether nothing listens on `port` (checked by binding it, on loopback and on all interfaces). */
export async function isPortFree(port: number): Promise<boolean> {
	try {
		await listenOnce(port, '127.0.0.1');
		await listenOnce(port, '0.0.0.0');
		return true;
	} catch {
		return false;
	}
}
