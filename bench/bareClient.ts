/**
 * The floor: a bare Node.js HTTP client loop making the same requests as the node, `concurrency`
 * at a time, nothing else. Runs as its own process on the Node.js that runs n8n. Prints one JSON
 * line: wall time, CPU, statuses.
 *
 *   node bareClient.js '{"baseUrl":"http://127.0.0.1:4010","key":"…","operation":"hlr","count":2000,"concurrency":50,"keepAlive":true}'
 */
import http from 'node:http';

interface Job {
	baseUrl: string;
	key: string;
	operation: 'hlr' | 'sms';
	count: number;
	concurrency: number;
	keepAlive: boolean;
}

function phone(index: number): string {
	return `+40750${String(index).padStart(6, '0')}`;
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as Job;
	const agent = new http.Agent({ keepAlive: job.keepAlive, maxSockets: job.concurrency });
	const base = new URL(job.baseUrl);
	const statuses: Record<string, number> = {};

	const one = (index: number) =>
		new Promise<void>((resolve, reject) => {
			const number = phone(index);
			const body = job.operation === 'sms' ? JSON.stringify({ to: number, text: 'Your order has shipped.' }) : undefined;
			const headers: Record<string, string> = { Authorization: job.key, Accept: 'application/json' };
			if (body) {
				headers['Content-Type'] = 'application/json';
				headers['Content-Length'] = String(Buffer.byteLength(body));
			}
			const req = http.request(
				{
					host: base.hostname,
					port: base.port,
					method: body ? 'POST' : 'GET',
					path: job.operation === 'sms' ? '/v1/sms/send' : `/v1/lookup/hlr/${number.slice(1)}`,
					headers,
					agent,
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						JSON.parse(Buffer.concat(chunks).toString('utf8'));
						statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
						resolve();
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});

	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < job.count) await one(next++);
	};
	await Promise.all(Array.from({ length: Math.min(job.concurrency, job.count) }, worker));
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	agent.destroy();
	process.stdout.write(`${JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, statuses, node: process.version })}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
