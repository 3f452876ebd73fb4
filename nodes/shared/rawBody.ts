import type { IWebhookFunctions } from 'n8n-workflow';

/** The exact bytes of a webhook request's body, as n8n read them (what a signature is computed over). */
export async function readRawBody(this: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = this.getRequestObject();
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const raw: unknown = req.rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	return undefined;
}
