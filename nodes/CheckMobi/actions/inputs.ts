/**
 * Reading and checking the inputs that several resources share (IDs, phone numbers, platform,
 * client IP, notification callback), so that bad values stop the run before any request and
 * every field gives the same error for the same mistake. Readers of fields that only one
 * resource has live with that resource (e.g. `validation/fields.ts`).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { classifyHost, type HostKind } from '../../shared/hosts';
import { toE164 } from '../helpers/phoneNumber';
import { checkMobiTarget } from '../transport';
import { CALLBACK_UNREACHABLE_FIX } from '../transport/errors';
import type { FieldName, IdParameter } from './common.descriptions';
import { readDefaultCountry } from './defaultCountry';
import { PHONE_NUMBER, platformOptions } from './common.descriptions';

const PLATFORMS = platformOptions.map((option) => String(option.value));
/** CheckMobi refuses longer callback URLs. */
export const MAX_CALLBACK_URL_LENGTH = 255;

/** The error for a parameter whose value cannot be used: names the field, the value and the item; `description` says how to fix it. */
export function invalidValue(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	description: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Invalid value in "${field}": ${JSON.stringify(value ?? null)}`,
		{ itemIndex, description },
	);
}

/** Text of a parameter that may arrive as a number from an expression; objects are refused by the caller. */
export function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** An optional field left out or emptied: nothing is sent for it. */
export function isLeftOut(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * An ID as CheckMobi gave it (MSG-…, CAL-…, a validation's ID). Only obvious mistakes are caught
 * here (empty, an object, spaces, a pasted URL); CheckMobi itself answers error 3 for an ID it
 * does not know.
 */
export function readId(this: IExecuteFunctions, itemIndex: number, id: IdParameter): string {
	const value = this.getNodeParameter(id.name, itemIndex);
	const text = asText(value);
	const fix = `Use the "id" field of the ${id.source} output unchanged, for example ${id.example}.`;
	if (text === undefined) throw invalidValue(this, itemIndex, id.displayName, value, `It must be text. ${fix}`);
	if (text === '') throw invalidValue(this, itemIndex, id.displayName, value, `It is empty. ${fix}`);
	if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(text)) {
		throw invalidValue(
			this,
			itemIndex,
			id.displayName,
			value,
			`It holds characters that never occur in a CheckMobi ID (spaces, slashes, brackets…). ${fix}`,
		);
	}
	return text;
}

/** A phone number field in E.164 ("Phone Number" unless the operation calls it otherwise, e.g. "To"). */
export function readPhoneNumber(this: IExecuteFunctions, itemIndex: number, field: FieldName = PHONE_NUMBER): string {
	return toE164(this.getNodeParameter(field.name, itemIndex), {
		node: this.getNode(),
		field: field.displayName,
		itemIndex,
		defaultCountry: readDefaultCountry.call(this, itemIndex),
	});
}

export function readPlatform(this: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const platform = asText(value)?.toLowerCase();
	if (platform && PLATFORMS.includes(platform)) return platform;
	throw invalidValue(this, itemIndex, 'Platform', value, `Use one of: ${PLATFORMS.join(', ')}.`);
}

/** The Notification Callback option of one item; undefined when it is left out or empty. */
export async function readNotificationCallback(this: IExecuteFunctions, value: unknown, itemIndex: number): Promise<string | undefined> {
	if (isLeftOut(value)) return undefined;
	const url = asText(value);
	const fix =
		'Paste the Production URL of a CheckMobi Trigger node (a full http:// or https:// address that CheckMobi can reach), or leave the option out.';
	const problem = url === undefined ? 'notWebAddress' : callbackUrlProblem(url);
	if (url === undefined || problem === 'notWebAddress') {
		throw invalidValue(this, itemIndex, 'Notification Callback', value, `It is not a web address. ${fix}`);
	}
	if (problem === 'tooLong') {
		throw invalidValue(
			this,
			itemIndex,
			'Notification Callback',
			value,
			`It has ${url.length} characters; CheckMobi accepts at most ${MAX_CALLBACK_URL_LENGTH}. Use a shorter webhook path.`,
		);
	}
	await checkCallbackReach.call(this, url, (description) => invalidValue(this, itemIndex, 'Notification Callback', value, description));
	return url;
}

const UNREACHABLE: Record<Exclude<HostKind, 'public'>, string> = {
	loopback: 'this machine',
	private: 'a private network',
	linkLocal: 'the local network link',
	bareName: 'a name without a domain, which only this network resolves',
};

/** Hints already given in this run, so that a thousand items give each hint once. */
const hintsGiven = new WeakMap<object, Set<string>>();

function hintOnce(context: IExecuteFunctions, message: string): void {
	const given = hintsGiven.get(context) ?? new Set<string>();
	hintsGiven.set(context, given);
	if (given.has(message)) return;
	given.add(message);
	context.addExecutionHints({ message, location: 'outputPane' });
}

/**
 * Whether CheckMobi can post to a callback URL (a web address, checked by `callbackUrlProblem`).
 * Against the real service, a host on this machine, a private network or the local link, or a bare
 * name, fails with `fail` before anything is sent (CheckMobi would refuse it, or never reach it); an
 * n8n Test URL or plain http:// gets an execution hint. Against a sandbox on this machine anything goes.
 */
export async function checkCallbackReach(this: IExecuteFunctions, url: string, fail: (description: string) => Error): Promise<void> {
	if ((await checkMobiTarget.call(this)).local) return;
	const { host, hostname, pathname, protocol } = new URL(url);
	const kind = classifyHost(hostname);
	if (kind !== 'public') {
		throw fail(`CheckMobi calls it from the internet, and "${host}" is on ${UNREACHABLE[kind]}. ${CALLBACK_UNREACHABLE_FIX} Nothing was sent.`);
	}
	if (pathname.startsWith('/webhook-test/')) {
		hintOnce(
			this,
			'The Notification Callback is an n8n Test URL (/webhook-test/…): it listens only while the editor waits for a test event, and for one call. Use the CheckMobi Trigger\'s Production URL and publish its workflow.',
		);
	}
	if (protocol === 'http:') {
		hintOnce(
			this,
			'The Notification Callback uses plain http://: CheckMobi\'s callbacks then travel unencrypted. Use an https:// address for n8n (WEBHOOK_URL) where you can.',
		);
	}
}

/**
 * Why CheckMobi could not post to a callback URL (trimmed, not empty), or undefined when it can:
 * the one rule for every Notification Callback, per item or for a whole bulk run.
 */
export function callbackUrlProblem(url: string): 'notWebAddress' | 'tooLong' | undefined {
	if (!isWebAddress(url)) return 'notWebAddress';
	if (url.length > MAX_CALLBACK_URL_LENGTH) return 'tooLong';
	return undefined;
}

/** An http(s) address as written, with a host and no spaces; the URL parser alone would take "http:host". */
function isWebAddress(text: string): boolean {
	if (!/^https?:\/\/[^\s/?#]+\S*$/i.test(text)) return false;
	try {
		return new URL(text).hostname !== '';
	} catch {
		return false;
	}
}

/** The end customer's IP for X-Client-IP: one IPv4 or IPv6 address. */
export function readClientIp(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (isLeftOut(value)) return undefined;
	const ip = asText(value);
	if (ip && (isIPv4(ip) || isIPv6(ip))) return ip;
	const list = ip?.includes(',')
		? ' It looks like a list (as in an X-Forwarded-For header): pass only the first address, for example with {{ $json.headers["x-forwarded-for"].split(",")[0].trim() }}.'
		: '';
	throw invalidValue(this, itemIndex, 'Client IP', value, `It must be a single IPv4 or IPv6 address, for example 203.0.113.7.${list}`);
}

function isIPv4(text: string): boolean {
	const parts = text.split('.');
	return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function isIPv6(text: string): boolean {
	if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return false;
	const doubleColons = text.split('::').length - 1;
	if (doubleColons > 1) return false;
	const groups = text.split(':').filter((group) => group !== '');
	// An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
	const last = groups[groups.length - 1] ?? '';
	const tailIsIPv4 = last.includes('.');
	if (tailIsIPv4 && !isIPv4(last)) return false;
	const hexGroups = tailIsIPv4 ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
	const count = hexGroups.length + (tailIsIPv4 ? 2 : 0);
	return doubleColons === 1 ? count < 8 : count === 8;
}
