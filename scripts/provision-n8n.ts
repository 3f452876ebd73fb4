/**
 * Provisions the pinned real n8n (and Node.js 24) into .cache/ — see scripts/lib/n8n.ts.
 * Usage: node build/scripts/provision-n8n.js   (prints the runtime's paths as JSON on stdout)
 */
import { provisionN8n } from './lib/n8n';

provisionN8n()
	.then((runtime) => {
		process.stdout.write(JSON.stringify(runtime, null, 2) + '\n');
	})
	.catch((error: unknown) => {
		process.stderr.write(`[n8n-provision] failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
