/**
 * Bugs the hardening tests found, each kept as the test that proves its fix.
 */
import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { runNode } from '../helpers/engine';
import { startReceiver, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

describe('Lookup → HLR Bulk / MNP Bulk', () => {
	// Found by the fault matrix: a bulk request's error named no item. The router now hands the
	// transport the items a request carries.
	test('the error of a failed bulk request names the item(s) it carried', async () => {
		const receiver = await startReceiver();
		try {
			await sandbox.control.addFault({ type: 'status', status: 500, method: 'POST', path: '/lookup/hlr', count: 1 });
			const { error } = await runNode({
				nodeType: new CheckMobi(),
				parameters: {
					resource: 'lookup',
					operation: 'hlrBulk',
					numbersFrom: 'eachItem',
					number: '={{ $json.phone }}',
					notificationCallback: receiver.url,
				},
				input: [{ phone: '+40745000001' }, { phone: '+40745000002' }],
				credentials: { secretKey: sandbox.secretKey, baseUrl: sandbox.url },
			});
			expect(error?.message).toMatch(/^CheckMobi failed with HTTP 500/);
			// One request carried both items: the message says which.
			expect(error?.message).toMatch(/\[items 0–1\]$/);
		} finally {
			await receiver.close();
		}
	});
});
