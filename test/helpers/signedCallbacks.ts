/**
 * Signed CheckMobi callbacks for the trigger's webhook tests: keys and credentials, signing, sample
 * bodies, and trigger servers (test/helpers/webhook.ts) closed after each test.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { startTriggerServer, type TriggerServer } from './webhook';

export const SIGNATURE_KEY = '7E1C9A2B-3D4F-4A5B-8C6D-0E1F2A3B4C5D';
export const SECRET_KEY = '0F9E8D7C-6B5A-4321-9876-FEDCBA987654';
export const CREDENTIALS = { secretKey: SECRET_KEY, signatureKey: SIGNATURE_KEY, baseUrl: 'http://127.0.0.1:1' };

export const sign = (body: string | Buffer, key = SIGNATURE_KEY, encoding: 'hex' | 'base64' = 'hex') =>
	createHmac('sha256', key).update(body).digest(encoding);

/** `trigger()` starts a trigger server; every server in `servers` is closed after each test. */
export function useTriggerServers() {
	const servers: TriggerServer[] = [];
	async function trigger(parameters: INodeParameters = {}, credentials: IDataObject = CREDENTIALS) {
		const server = await startTriggerServer({ nodeType: new CheckMobiTrigger(), parameters, credentials: credentials as never });
		servers.push(server);
		return server;
	}
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(async (server) => await server.close()));
	});
	return { trigger, servers };
}

/** POSTs a body signed with the signature key, as CheckMobi does. */
export async function deliver(server: TriggerServer, body: string | Buffer, headers: Record<string, string> = {}, query = '') {
	return await server.post(body, { 'X-CheckMobi-Signature': sign(body), ...headers }, query);
}

export const VALIDATION = '{"key":"SMS-3F2504E0-4F89-11D3-9A0C-0305E82C3301","number":"+40745123456","description":"RO - Orange"}';
export const smsStatus = (status: string) =>
	JSON.stringify({ id: 'MSG-1B4E28BA-2FA1-11D2-883F-0016D3CCA427', to: '+40745123456', description: 'RO - Orange', status });
