/**
 * Keeps each trigger's signature key in this process for a short time.
 *
 * Every credential load costs n8n a database read, a decryption and a fresh expression isolate
 * (tens of milliseconds of CPU), which made the signed trigger the slowest way to receive a
 * webhook. Kept for SIGNATURE_KEY_TTL_MS, the key is loaded about once a minute per trigger.
 *
 * A key that does not fit may be an old one: the credential is then loaded again at once and the
 * callback checked again, so a rotated key works at once. Such re-loads happen at most once per
 * SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS per trigger, so forged callbacks cannot force a load each.
 */
import type { SignatureCheck } from '../shared/signature';

/** How long a loaded signature key is used before the credential is loaded again. */
export const SIGNATURE_KEY_TTL_MS = 60_000;
/** A failed check loads the key again, but at most once per this interval per trigger. */
export const SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS = 1_000;

interface LoadedKey {
	key: string | undefined;
	loadedAt: number;
}

/** Per trigger (workflow, node, credential id): the last key loaded. */
const loaded = new Map<string, LoadedKey>();
/** Per trigger: the load in flight, shared by concurrent callbacks. */
const loading = new Map<string, Promise<LoadedKey>>();

/** Forgets keys past their time, so no key stays in memory longer than the TTL after its last load. */
function forgetExpired(now: number): void {
	for (const [scope, entry] of loaded) {
		if (now - entry.loadedAt >= SIGNATURE_KEY_TTL_MS) loaded.delete(scope);
	}
}

async function load(scope: string, loadKey: () => Promise<string | undefined>): Promise<LoadedKey> {
	let pending = loading.get(scope);
	if (!pending) {
		pending = loadKey()
			.then((key) => {
				const entry = { key, loadedAt: Date.now() };
				loaded.set(scope, entry);
				return entry;
			})
			.finally(() => loading.delete(scope));
		loading.set(scope, pending);
	}
	return await pending;
}

/**
 * Checks a callback with the trigger's kept key, loading it (with `loadKey`) when none is kept or it
 * is older than the TTL, and once more when the check fails for want of a fitting key. A missing or
 * malformed signature never loads anything. `loadKey` errors are passed on.
 */
export async function checkWithKeptKey(
	scope: string,
	loadKey: () => Promise<string | undefined>,
	check: (signatureKey: string | undefined) => SignatureCheck,
): Promise<SignatureCheck> {
	forgetExpired(Date.now());
	const entry = loaded.get(scope) ?? (await load(scope, loadKey));
	const result = check(entry.key);
	if (result.valid || (result.failure !== 'mismatch' && result.failure !== 'noSignatureKey')) return result;
	if (Date.now() - entry.loadedAt < SIGNATURE_KEY_RELOAD_MIN_INTERVAL_MS) return result;
	return check((await load(scope, loadKey)).key);
}
