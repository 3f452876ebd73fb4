/**
 * The whole 2FA flow per validation type, every step through the node in n8n's engine, each step
 * fed the previous step's output the way a workflow maps it: Request → the phone gets the PIN
 * (read from the sandbox like a user would: SMS text, the IVR call's words, the missed call's
 * number) → Verify → Get Status. The sandbox stands for CheckMobi and for the user's phone.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { InboxEntry } from '../../sandbox/client';
import { runCheckMobi } from '../helpers/checkMobi';
import { startReceiver, useSandbox } from '../helpers/sandbox';
import type { Receiver } from '../helpers/sandbox';

const sandbox = useSandbox();

/** Runs one validation operation on the given input and returns its output items (failing on error). */
async function step(
	operation: 'request' | 'verify' | 'getStatus',
	parameters: INodeParameters,
	input: IDataObject[],
): Promise<INodeExecutionData[]> {
	const { items, error } = await runCheckMobi(sandbox, { resource: 'validation', operation, ...parameters }, input);
	expect(error).toBeUndefined();
	expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
	return items;
}

const request = (type: string, phone: string, options: INodeParameters = {}) =>
	step('request', { type, number: '={{ $json.phone }}', options }, [{ phone }]);

const verify = (input: IDataObject[], useServerHangup = false) =>
	step('verify', { id: '={{ $json.id }}', pin: '={{ $json.pin }}', useServerHangup }, input);

const status = (input: IDataObject[]) => step('getStatus', { id: '={{ $json.id }}' }, input);

/** What the phone has received for this validation. */
async function inboxEntry(phone: string, validationId: string): Promise<InboxEntry> {
	const entries = (await sandbox.control.inbox(phone)).entries.filter((entry) => entry.validationId === validationId);
	expect(entries).toHaveLength(1);
	return entries[0];
}

/** Verify with the right PIN, then Get Status: both say validated, with the same date. */
async function verifyAndConfirm(id: string, pin: string, phone: string): Promise<void> {
	const [verified] = await verify([{ id, pin }]);
	expect(verified.json).toEqual({
		id,
		number: phone,
		validated: true,
		validation_date: expect.any(Number),
		charged_amount: expect.any(Number),
	});
	const [current] = await status([verified.json]);
	expect(current.json).toEqual({ ...verified.json, charged_amount: expect.any(Number) });
	expect(Math.abs((current.json.validation_date as number) - Date.now() / 1000)).toBeLessThan(60);
}

describe('2FA flows through the node', () => {
	let receiver: Receiver;
	beforeAll(async () => {
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await receiver.close();
	});
	beforeEach(() => receiver.clear());

	test('SMS: the PIN arrives by text; a wrong PIN is validated:false, the right one validates and the trigger URL is notified', async () => {
		const phone = '+40745123456';
		const [requested] = await request('sms', phone, { notificationCallback: receiver.url });
		const id = requested.json.id as string;
		expect(requested.json).toMatchObject({ type: 'sms', validation_info: expect.objectContaining({ e164_format: phone }) });

		const sms = await inboxEntry(phone, id);
		expect(sms.kind).toBe('sms');
		const pin = /(\d{4})/.exec(sms.text ?? '')?.[1];
		expect(pin).toBe(sms.pin);

		const [wrong] = await verify([{ ...requested.json, pin: pin === '0000' ? '1111' : '0000' }]);
		expect(wrong.json).toMatchObject({ id, number: phone, validated: false, validation_date: null });
		const [notYet] = await status([{ id }]);
		expect(notYet.json).toMatchObject({ id, validated: false });
		expect(receiver.received).toHaveLength(0);

		await verifyAndConfirm(id, pin as string, phone);
		await sandbox.control.settle();
		const [callback] = await receiver.waitFor(1);
		expect(callback.json).toEqual({ key: id, number: phone, description: expect.stringMatching(/^RO - /) });
		expect(callback.headers['x-checkmobi-signature']).toEqual(expect.any(String));
		expect((await sandbox.control.validation(id)).attempts).toBe(2);
	});

	test('IVR: the phone is called and a voice reads the PIN; verify and status through the node', async () => {
		const phone = '+447700900123';
		const [requested] = await request('ivr', phone, { language: 'en-GB' });
		const id = requested.json.id as string;

		// The call rings, is answered and speaks: run the sandbox's timed call events now.
		await sandbox.control.advance();
		const call = await inboxEntry(phone, id);
		expect(call).toMatchObject({ kind: 'ivr_call', answered: true });
		const spoken = /code is ((?:\d )*\d)\./.exec(call.spokenText ?? '')?.[1];
		const pin = spoken?.replace(/ /g, '');
		expect(pin).toMatch(/^\d{4}$/);
		expect(pin).toBe(call.pin);

		await verifyAndConfirm(id, pin as string, phone);
	});

	test('IVR to a phone that never answers: no PIN is heard, so the number stays unvalidated', async () => {
		const phone = '+40745999920';
		const [requested] = await request('ivr', phone);
		await sandbox.control.advance();
		const call = await inboxEntry(phone, requested.json.id as string);
		expect(call).toMatchObject({ kind: 'ivr_call', answered: false, pin: null });
		const [current] = await status([requested.json]);
		expect(current.json).toMatchObject({ validated: false, validation_date: null });
	});

	test('Missed Call: the PIN is the caller number\'s last 4 digits; pin_hash is SHA-1 of its last 3', async () => {
		const phone = '+40745123456';
		const [requested] = await request('reverse_cli', phone);
		const id = requested.json.id as string;

		const missedCall = await inboxEntry(phone, id);
		expect(missedCall.kind).toBe('missed_call');
		const caller = missedCall.from.replace(/^\+/, '');
		const pin = caller.slice(-4);
		expect(requested.json.pin_hash).toBe(createHash('sha1').update(caller.slice(-3)).digest('hex'));
		expect(caller.startsWith(requested.json.cli_prefix as string)).toBe(true);

		await verifyAndConfirm(id, pin, phone);
	});

	test('Missed Call with server hang-up: HANGUP ends the ringing call without validating; the PIN then validates', async () => {
		// Let the missed call ring until the app reacts.
		await sandbox.reset({ missedCallTimeoutMs: 600_000 });
		const phone = '+40745123456';
		const [requested] = await request('reverse_cli', phone);
		const id = requested.json.id as string;
		const missedCall = await inboxEntry(phone, id);
		expect(missedCall.status).not.toBe('ended');

		const [hungUp] = await verify([{ id, pin: 'HANGUP' }], true);
		expect(hungUp.json).toMatchObject({ id, number: phone, validated: false, validation_date: null });
		const validation = await sandbox.control.validation(id);
		expect(validation).toMatchObject({ serverHangup: true, validated: false, attempts: 0 });
		expect(validation.call).toMatchObject({ status: 'ended', endReason: 'server_hangup', answeredAt: null });
		const [afterHangup] = await status([{ id }]);
		expect(afterHangup.json).toMatchObject({ validated: false });

		await verifyAndConfirm(id, missedCall.from.slice(-4), phone);
	});

	test('Missed Call: the right PIN with Use Server Hang-Up validates and CheckMobi ends the call', async () => {
		await sandbox.reset({ missedCallTimeoutMs: 600_000 });
		const phone = '+40745123456';
		const [requested] = await request('reverse_cli', phone);
		const id = requested.json.id as string;
		const pin = (await inboxEntry(phone, id)).from.slice(-4);

		const [verified] = await verify([{ id, pin }], true);
		expect(verified.json).toMatchObject({ id, validated: true });
		expect((await sandbox.control.validation(id)).call).toMatchObject({ status: 'ended', endReason: 'server_hangup' });
		const [current] = await status([{ id }]);
		expect(current.json).toMatchObject({ validated: true });
	});
});
