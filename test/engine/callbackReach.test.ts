/**
 * Callback URLs that can really arrive, in n8n's engine. Against the real service (the Base URL is
 * CheckMobi), a Notification Callback on this machine, a private network, the local link or a bare
 * name fails its item before anything is sent, and says how to fix it (WEBHOOK_URL, a tunnel); an
 * n8n Test URL or plain http:// gets a hint. Against a sandbox on this machine all are allowed, and
 * CheckMobi's own refusal (error 9) reads with the same fix.
 */
import type { INodeParameters, NodeExecutionHint } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { runCheckMobi } from '../helpers/checkMobi';
import { runNode, type NodeRun } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const REAL_SERVICE = 'https://api.checkmobi.com';
const LOCAL_CALLBACK = 'http://localhost:5678/webhook/5a4db0c5-0000-4000-8000-00000000a201/webhook';

/** Runs against the real service's Base URL (nothing here reaches it: whatever is sent fails to connect). */
async function runLive(parameters: INodeParameters & { resource: string; operation: string }, items = 1, continueOnFail = false): Promise<NodeRun> {
	return await runNode({
		nodeType: new CheckMobi(),
		parameters,
		input: Array.from({ length: items }, (_, index) => ({ index })),
		credentials: { secretKey: 'LIVE-KEY', signatureKey: '', baseUrl: REAL_SERVICE },
		continueOnFail,
	});
}

function hintsOf(run: NodeRun): NodeExecutionHint[] {
	return run.run.data.resultData.runData.CheckMobi?.[0]?.hints ?? [];
}

const withCallback = (url: string) => ({
	validation: { resource: 'validation', operation: 'request', type: 'sms', number: '+40745123456', options: { notificationCallback: url } },
	sms: { resource: 'sms', operation: 'send', to: '+40745123456', text: 'Hi', options: { notificationCallback: url, paceToAccountLimits: false } },
	call: {
		resource: 'call',
		operation: 'place',
		to: '+40745123456',
		events: { event: [{ type: 'hangup' }] },
		options: { notificationCallback: url, paceToAccountLimits: false },
	},
	hlrBulk: { resource: 'lookup', operation: 'hlrBulk', number: '+40745123456', notificationCallback: url },
	mnpBulk: { resource: 'lookup', operation: 'mnpBulk', number: '+40745123456', notificationCallback: url },
});

describe('against the real service, a callback CheckMobi cannot reach fails before anything is sent', () => {
	test.each(['validation', 'sms', 'call'] as const)('%s: the item fails, naming the field, the value and the fixes', async (operation) => {
		const run = await runLive(withCallback(LOCAL_CALLBACK)[operation]);

		expect(run.error?.message).toBe(`Invalid value in "Notification Callback": ${JSON.stringify(LOCAL_CALLBACK)} [item 0]`);
		expect(run.error?.description).toMatch(/^CheckMobi calls it from the internet, and "localhost:5678" is on this machine\./);
		expect(run.error?.description).toMatch(/WEBHOOK_URL/);
		expect(run.error?.description).toMatch(/tunnel/);
		expect(run.error?.description).toMatch(/Nothing was sent\.$/);
	});

	test.each(['hlrBulk', 'mnpBulk'] as const)('%s: the run fails (its callback serves every request)', async (operation) => {
		const run = await runLive(withCallback(LOCAL_CALLBACK)[operation]);

		expect(run.error?.message).toBe(`Invalid Notification Callback: CheckMobi cannot reach ${JSON.stringify(LOCAL_CALLBACK)}`);
		expect(run.error?.description).toMatch(/WEBHOOK_URL.*tunnel/);
	});

	test.each([
		['http://127.0.0.1:5678/webhook/x', 'this machine'],
		['http://[::1]:5678/webhook/x', 'this machine'],
		['http://10.0.0.5:5678/webhook/x', 'a private network'],
		['https://192.168.1.20/webhook/x', 'a private network'],
		['https://n8n.internal/webhook/x', 'a private network'],
		['http://169.254.10.10/webhook/x', 'the local network link'],
		['http://[fe80::1]/webhook/x', 'the local network link'],
		['http://n8n:5678/webhook/x', 'a name without a domain'],
	])('%s is on %s', async (url, where) => {
		const run = await runLive(withCallback(url).sms);

		expect(run.error?.description).toContain(`is on ${where}`);
	});

	test('with Continue On Fail the item is an error item; the others go on, and Test URLs and http:// get one hint each', async () => {
		const urls = [
			LOCAL_CALLBACK,
			'https://n8n.example.com/webhook-test/5a4db0c5-0000-4000-8000-00000000a201/webhook',
			'https://n8n.example.com/webhook-test/5a4db0c5-0000-4000-8000-00000000a201/webhook',
			'http://n8n.example.com/webhook/5a4db0c5-0000-4000-8000-00000000a201/webhook',
		];
		const run = await runNode({
			nodeType: new CheckMobi(),
			parameters: { ...withCallback('={{ $json.url }}').validation, options: { notificationCallback: '={{ $json.url }}', timeout: 1000 } },
			input: urls.map((url) => ({ url })),
			credentials: { secretKey: 'LIVE-KEY', signatureKey: '', baseUrl: REAL_SERVICE },
			continueOnFail: true,
		});

		const errors = run.items.map((item) => String(item.json.error));
		expect(errors[0]).toBe(`Invalid value in "Notification Callback": ${JSON.stringify(LOCAL_CALLBACK)} [item 0]`);
		// The others were sent (nothing here reaches CheckMobi, so they fail on the way).
		expect(errors.slice(1).every((error) => !error.startsWith('Invalid value'))).toBe(true);
		expect(hintsOf(run).map((hint) => hint.message)).toEqual([
			expect.stringMatching(/^The Notification Callback is an n8n Test URL \(\/webhook-test\/…\): it listens only while the editor waits/),
			expect.stringMatching(/^The Notification Callback uses plain http:\/\//),
		]);
	});

	test('a public https callback passes without a hint', async () => {
		const run = await runLive(withCallback('https://n8n.example.com/webhook/abc/webhook').validation, 1, true);

		expect(String(run.items[0].json.error)).not.toMatch(/Notification Callback/);
		expect(hintsOf(run)).toEqual([]);
	});
});

describe('against a sandbox on this machine every callback is allowed', () => {
	const sandbox = useSandbox();

	test.each(['validation', 'sms', 'call', 'hlrBulk'] as const)('%s: a loopback callback is sent as given, with no hint', async (operation) => {
		const run = await runCheckMobi(sandbox, withCallback('http://127.0.0.1:5678/webhook-test/x')[operation]);

		expect(run.error).toBeUndefined();
		const [request] = (await sandbox.received()).filter((entry) => entry.method === 'POST');
		expect((request.json as { notification_callback?: string }).notification_callback).toBe('http://127.0.0.1:5678/webhook-test/x');
		expect(hintsOf(run)).toEqual([]);
	});

	test('when CheckMobi itself refuses a callback (error 9), the error says why and how to fix it', async () => {
		await sandbox.control.setConfig({ allowLoopbackCallbacks: false });
		const run = await runCheckMobi(sandbox, withCallback(LOCAL_CALLBACK).sms);

		expect(run.error?.message).toMatch(/^CheckMobi error 9: /);
		expect(run.error?.description).toMatch(/^Field: Notification Callback\. CheckMobi refuses callback URLs it cannot reach from the internet/);
		expect(run.error?.description).toMatch(/WEBHOOK_URL.*tunnel/);
	});
});
