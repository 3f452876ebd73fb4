/**
 * Bugs the hardening tests found in files that are not the hardening engineer's to change, each as
 * the test that should pass. `test.failing` keeps CI green while the bug is there and fails as soon
 * as it is fixed: then turn it into a plain `test` (and drop the bug's note in faults.test.ts and
 * FAULTS.md).
 */
import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { runNode } from '../helpers/engine';
import { startReceiver, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

describe('Lookup → HLR Bulk / MNP Bulk', () => {
	// The router sets `request.itemIndex` in planEachItem only; prepareBulkLookup (actions/lookup/
	// bulkLookup.ts) sets none, so the transport cannot add "[item N]" and n8n's error has no item.
	test.failing('the error of a failed bulk request names the item(s) it carried', async () => {
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
			// One request carried both items: the message says which (e.g. "[items 0, 1]" or "[item 0]").
			expect(error?.message).toMatch(/\[items? 0(, 1)?\]$/);
		} finally {
			await receiver.close();
		}
	});
});
