/**
 * The caller's side: POSTs to the webhook over real HTTP and pairs the answer it got with what the
 * server did with that request, through a request id header.
 */
import http from 'node:http';

import type { WebhookAnswer, WebhookCall } from './requests';

const REQUEST_ID_HEADER = 'x-test-request-id';

export class RequestPairing {
	private readonly waiting = new Map<string, (call: WebhookCall) => void>();

	private nextRequestId = 0;

	/** The server's side is done with `req` (answer sent, static data saved). */
	handled(req: http.IncomingMessage, call: WebhookCall): void {
		const requestId = req.headers[REQUEST_ID_HEADER];
		if (typeof requestId === 'string') this.waiting.get(requestId)?.(call);
	}

	/** POSTs `body` to `url`; resolves with the server's record of it, carrying the answer as the caller got it. */
	async post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<WebhookCall> {
		const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
		const requestId = String(++this.nextRequestId);
		return await new Promise<WebhookCall>((resolve, reject) => {
			let serverSide: WebhookCall | undefined;
			let clientSide: WebhookAnswer | undefined;
			const settle = () => {
				if (!serverSide || !clientSide) return;
				serverSide.answer = clientSide;
				resolve(serverSide);
			};
			this.waiting.set(requestId, (call) => {
				this.waiting.delete(requestId);
				serverSide = call;
				settle();
			});
			const request = http.request(
				url,
				{
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': String(bytes.length),
						[REQUEST_ID_HEADER]: requestId,
						...headers,
					},
				},
				(response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => {
						clientSide = {
							status: response.statusCode ?? 0,
							headers: response.headers,
							body: Buffer.concat(chunks).toString('utf8'),
						};
						settle();
					});
				},
			);
			request.on('error', reject);
			request.end(bytes);
		});
	}
}
