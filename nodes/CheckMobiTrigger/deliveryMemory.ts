/**
 * Remembers the deliveries the trigger accepted, so that CheckMobi's retry of a callback (same
 * exact bytes) never runs the workflow twice.
 *
 * The memory lives in the workflow's static data, which n8n saves after each webhook call when it
 * changed. n8n only notices changes made directly on the node's static-data object, so the list is
 * always replaced by a new array, never changed in place.
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

export function wasAccepted(staticData: IDataObject, digest: string, now: number = Date.now()): boolean {
	return entries(staticData, now).some(([seen]) => seen === digest);
}

/** Adds a delivery, forgetting those too old and the oldest beyond the limit. */
export function rememberAccepted(staticData: IDataObject, digest: string, now: number = Date.now()): void {
	const kept = entries(staticData, now)
		.filter(([seen]) => seen !== digest)
		.map(([seen, at]): Entry => [seen, at]);
	kept.push([digest, now]);
	staticData[MEMORY_KEY] = kept.slice(-MEMORY_MAX_ENTRIES);
}

/** How many deliveries are remembered now (for tests and diagnostics). */
export function rememberedCount(staticData: IDataObject, now: number = Date.now()): number {
	return entries(staticData, now).length;
}
