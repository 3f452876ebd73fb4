/**
 * SMS statuses and call events are listed once (`nodes/shared/callbackStatuses.ts`): the trigger's
 * filters and the action node's texts are built from that list, and no other file of `nodes/`
 * spells the list out again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';
import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { CALL_EVENTS, FINAL_SMS_STATUSES, SMS_STATUSES } from '../../nodes/shared/callbackStatuses';

const NODES = resolve(__dirname, '..', '..', 'nodes');

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

const property = (properties: INodeProperties[], name: string) => properties.find((p) => p.name === name);

describe('SMS statuses and call events', () => {
	it('the trigger filters on every status and event, each with its description, sorted by name', () => {
		const { properties } = new CheckMobiTrigger().description;
		const sms = property(properties, 'smsStatuses')?.options as Array<{ name: string; value: string; description?: string }>;
		const call = property(properties, 'callEvents')?.options as Array<{ name: string; value: string; description?: string }>;
		expect(sms.map((o) => o.value).sort()).toEqual(['delivered', 'failed', 'queued', 'rejected', 'sent', 'undelivered']);
		expect(call.map((o) => o.value).sort()).toEqual(['answer', 'hangup', 'ringing']);
		for (const option of [...sms, ...call]) expect(option.description).toMatch(/^[A-Z].{10,}/);
		expect(sms.map((o) => o.name)).toEqual([...sms.map((o) => o.name)].sort());
		expect(call.map((o) => o.name)).toEqual(['Answer', 'Hang-Up', 'Ringing']);
		expect([...FINAL_SMS_STATUSES].sort()).toEqual(['delivered', 'failed', 'rejected', 'undelivered']);
	});

	it('the action node names every status and event where it says where callbacks go', () => {
		const text = JSON.stringify(new CheckMobi().description.properties);
		expect(text).toContain(`(${Object.keys(SMS_STATUSES).join(', ')})`);
		expect(text).toContain(`(${Object.keys(CALL_EVENTS).join(', ')}, with the billed duration`);
	});

	it('no other file of nodes/ lists them again', () => {
		const listing = /'(queued|undelivered|ringing)'\s*[,:\]]/;
		const found = files(NODES)
			.filter((file) => !file.endsWith(join('shared', 'callbackStatuses.ts')))
			.filter((file) => listing.test(readFileSync(file, 'utf8')))
			.map((file) => relative(NODES, file));
		expect(found).toEqual([]);
	});
});
