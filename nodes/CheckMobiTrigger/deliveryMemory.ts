/**
 * Remembers the deliveries the trigger accepted, so that CheckMobi's retry of a callback (same
 * exact bytes) never runs the workflow twice.
 *
 * The memory lives in the workflow's static data, which n8n saves after each webhook call when it
 * changed. n8n only notices changes made directly on the node's static-data object, so the list is
 * always replaced by a new array, never changed in place.
 *
 * n8n loads static data when a request arrives and writes all of it back when the request is done:
 * of two deliveries in flight at once, the later save wipes what the earlier one remembered (in a
 * real n8n, 1,000 callbacks at a concurrency of 50 left almost nothing, and every re-sent one ran
 * again). So the process also keeps what it accepted, per trigger, checked and updated in one
 * synchronous step; and every accepted delivery writes the union of both back into static data,
 * which puts back what a concurrent save lost. n8n 2.41.1 never saves a webhook trigger's static
 * data when the request starts an execution, so in practice the memory is this process's only
 * (README, Reliability); items carry delivery_id for a store shared across processes.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** How many accepted deliveries are remembered at most. */
export const MEMORY_MAX_ENTRIES = 1000;
/** How long an accepted delivery is remembered (CheckMobi retries at most 3 times, soon after). */
export const MEMORY_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const MEMORY_KEY = 'acceptedDeliveries';

/** [digest, accepted at (ms since epoch)] */
type Entry = [string, number];

/** A short fingerprint of the exact body bytes: the first 128 bits of SHA-256, base64url. */
export function deliveryDigest(rawBody: Buffer): string {
	return createHash('sha256').update(rawBody).digest().subarray(0, 16).toString('base64url');
}

/**
 * An item's `delivery_id`: the body's digest and the item's place among the items of its delivery
 * (a split lookup batch gives several). Every repeat of a delivery (same bytes) gives the same ids,
 * so a store shared by several n8n processes can recognise it; the place keeps the items of one
 * batch apart.
 */
export function deliveryId(digest: string, index: number): string {
	return `${digest}:${index}`;
}

function entries(staticData: IDataObject, now: number): Entry[] {
	const stored = staticData[MEMORY_KEY];
	if (!Array.isArray(stored)) return [];
	return (stored as unknown[]).filter(
		(entry): entry is Entry =>
			Array.isArray(entry) &&
			typeof entry[0] === 'string' &&
			typeof entry[1] === 'number' &&
			now - entry[1] < MEMORY_MAX_AGE_MS,
	);
}

/** What this process accepted, per trigger (see acceptOnce): digest → accepted at. */
const acceptedHere = new Map<string, Map<string, number>>();

/** Drops from a process memory (key → when) what is older than a day, then the oldest over `maxEntries`. */
export function forgetOld(memory: Map<string, number>, now: number, maxEntries: number = MEMORY_MAX_ENTRIES): void {
	for (const [key, at] of memory) {
		if (now - at >= MEMORY_MAX_AGE_MS) memory.delete(key);
	}
	// A Map keeps insertion order: the first entries are the oldest.
	for (const key of memory.keys()) {
		if (memory.size <= maxEntries) break;
		memory.delete(key);
	}
}

/**
 * Accepts a delivery once: false when it was accepted before (by this process, or by any process
 * whose memory reached static data), else remembers it and returns true. `scope` names the trigger
 * (workflow, node, webhook URL). Check and update happen without yielding, so two requests of this
 * process can never both accept the same delivery.
 */
export function acceptOnce(staticData: IDataObject, scope: string, digest: string, now: number = Date.now()): boolean {
	let memory = acceptedHere.get(scope);
	if (!memory) {
		memory = new Map();
		acceptedHere.set(scope, memory);
	}
	const stored = entries(staticData, now);
	const seenAt = memory.get(digest);
	if ((seenAt !== undefined && now - seenAt < MEMORY_MAX_AGE_MS) || stored.some(([seen]) => seen === digest)) return false;

	memory.set(digest, now);
	forgetOld(memory, now);
	// The union, oldest first, written back whole: what a concurrent save wiped comes back.
	const union = new Map<string, number>();
	for (const [seen, at] of [...stored, ...memory.entries()].sort((a, b) => a[1] - b[1])) union.set(seen, at);
	staticData[MEMORY_KEY] = [...union.entries()].slice(-MEMORY_MAX_ENTRIES).map(([seen, at]): Entry => [seen, at]);
	return true;
}

/** How many deliveries are remembered now (for tests and diagnostics). */
export function rememberedCount(staticData: IDataObject, now: number = Date.now()): number {
	return entries(staticData, now).length;
}
