// Lookups: number validation (free), HLR and MNP, one number at a time or in bulk with the
// results posted to a callback in batches. The answers come from numbers.ts, so they are
// deterministic; only `id` is new each time.

import { randomUUID } from 'node:crypto';

import { ApiError } from './http';
import { analyzeNumber, type AnalyzedNumber, type Carrier, formatNumber, imsiOf, isMobileType, MAGIC } from './numbers';
import { type BulkLookup, fromMicro, type SandboxState, toMicro } from './state';

export type LookupMethod = 'verify' | 'hlr' | 'mnp';

const NO_NETWORK = Object.freeze({
	country_iso2: null,
	country_prefix: null,
	country_name: null,
	area: null,
	mccmnc: null,
	mcc: null,
	mnc: null,
	network_name: null,
});

// Network objects repeat for every number of a carrier: built once, copied per answer.
const networkCache = new Map<string, Record<string, unknown>>();

function network(n: AnalyzedNumber, carrier: Carrier | null): Record<string, unknown> {
	if (!carrier) return { ...NO_NETWORK };
	const key = `${n.country.iso2}|${n.callingCode}|${carrier.name}|${carrier.mcc}|${carrier.mnc}`;
	let cached = networkCache.get(key);
	if (!cached) {
		cached = {
			country_iso2: n.country.iso2,
			country_prefix: Number(n.callingCode),
			country_name: n.country.name,
			area: n.country.iso2,
			mccmnc: carrier.mcc && carrier.mnc ? carrier.mcc + carrier.mnc : null,
			mcc: carrier.mcc,
			mnc: carrier.mnc,
			network_name: carrier.name,
		};
		networkCache.set(key, cached);
	}
	return { ...cached };
}

/** Error 18 is "No HLR lookup route": it concerns HLR only; MNP answers as anywhere else. */
function hasNoRoute(state: SandboxState, n: AnalyzedNumber, method: 'hlr' | 'mnp'): boolean {
	return method === 'hlr' && state.config.noHlrRouteCountries.includes(n.country.iso2);
}

export function verifyLookup(n: AnalyzedNumber, originalMsisdn?: string): Record<string, unknown> {
	const original = network(n, n.originalNetwork);
	return {
		id: randomUUID(),
		...(originalMsisdn === undefined ? {} : { original_msisdn: originalMsisdn }),
		cost: 0,
		phone_number: n.e164,
		number_type: n.numberType,
		timezone: n.country.timezone,
		format: formatNumber(n),
		original_network: {
			country_iso2: original.country_iso2,
			country_prefix: original.country_prefix,
			country_name: original.country_name,
			area: original.area,
			network_name: original.network_name,
		},
	};
}

interface Outcome {
	costMicro: number;
	reachable: string;
	processingStatus: 'completed' | 'rejected' | 'failed';
	isPorted: boolean | null;
	imsi: string | null;
	current: Carrier | null;
}

/** What an HLR/MNP query finds for a number (the no-route case is the caller's to handle). */
function outcome(state: SandboxState, n: AnalyzedNumber, method: 'hlr' | 'mnp'): Outcome {
	const price = toMicro(method === 'hlr' ? state.config.prices.hlr : state.config.prices.mnp);
	const none = (reachable: string, processingStatus: Outcome['processingStatus']): Outcome => ({
		costMicro: 0,
		reachable,
		processingStatus,
		isPorted: null,
		imsi: null,
		current: null,
	});
	if (hasNoRoute(state, n, method) || n.magic === MAGIC.HLR_NO_COVERAGE) return none('no-coverage', 'failed');
	if (n.magic === MAGIC.HLR_INVALID) return none('invalid', 'rejected');
	if (n.magic === MAGIC.HLR_FAILED) return none('failed', 'failed');
	// Not a mobile: falls back to the free validation.
	if (!isMobileType(n.hlrType)) return none('inconclusive', 'rejected');
	const base: Outcome = {
		costMicro: price,
		reachable: 'connected',
		processingStatus: 'completed',
		isPorted: n.ported,
		imsi: imsiOf(n),
		current: n.currentNetwork,
	};
	switch (n.magic) {
		case MAGIC.HLR_ABSENT:
			return { ...base, reachable: 'absent' };
		case MAGIC.HLR_NO_TELESERVICE:
			return { ...base, reachable: 'no-teleservice-provisioned' };
		case MAGIC.HLR_INCONCLUSIVE:
			return { ...base, reachable: 'inconclusive', isPorted: null, imsi: null };
		default:
			return base;
	}
}

function lookupResult(
	state: SandboxState,
	n: AnalyzedNumber,
	method: 'hlr' | 'mnp',
	originalMsisdn?: string,
): { body: Record<string, unknown>; costMicro: number } {
	const o = outcome(state, n, method);
	const body: Record<string, unknown> = { id: randomUUID() };
	if (originalMsisdn !== undefined) body.original_msisdn = originalMsisdn;
	body.cost = fromMicro(o.costMicro);
	body.phone_number = n.e164;
	body.number_type = n.hlrType;
	body.timezone = n.country.timezone;
	if (method === 'mnp') {
		body.processing_status = o.processingStatus;
		body.imsi = o.imsi;
		body.format = formatNumber(n);
		body.current_network = network(n, o.current);
	} else {
		body.format = formatNumber(n);
		body.is_ported = o.isPorted;
		body.reachable = o.reachable;
		body.processing_status = o.processingStatus;
		body.imsi = o.imsi;
		body.current_network = network(n, o.current);
		body.original_network = network(n, n.originalNetwork);
	}
	return { body, costMicro: o.costMicro };
}

/** GET /lookup/{hlr|mnp}/{number}: charged, error 18 without an HLR route, error 5 without credit. */
export function singleLookup(state: SandboxState, n: AnalyzedNumber, method: 'hlr' | 'mnp'): Record<string, unknown> {
	if (hasNoRoute(state, n, method)) throw new ApiError(18, `no HLR route to ${n.country.iso2}`);
	const { body, costMicro } = lookupResult(state, n, method);
	if (!state.canAfford(costMicro)) throw new ApiError(5, `credit ${fromMicro(state.creditMicro)} USD is below ${fromMicro(costMicro)} USD`);
	state.charge(costMicro);
	state.log.creates.lookups++;
	return body;
}

/** POST /lookup/{hlr|mnp}: accepts the valid numbers and schedules one callback per batch. */
export function bulkLookup(state: SandboxState, method: 'hlr' | 'mnp', numbers: string[], callback: string): Record<string, unknown> {
	const answer = scheduleBulk(state, method, numbers, callback);
	state.log.creates.bulkRequests++;
	state.log.creates.bulkNumbers += numbers.length;
	state.log.creates.bulkAccepted += answer.accepted_count;
	return answer;
}

/**
 * Batches of free number validations (`lookup_method: "verify"`), for the control API only: the
 * reference lists "verify" among the bulk callback's methods but documents no request for it.
 */
export function bulkVerify(state: SandboxState, numbers: string[], callback: string): Record<string, unknown> {
	return scheduleBulk(state, 'verify', numbers, callback);
}

function scheduleBulk(state: SandboxState, method: BulkLookup['method'], numbers: string[], callback: string): Record<string, unknown> & { accepted_count: number } {
	const accepted: string[] = [];
	const analyzed: AnalyzedNumber[] = [];
	const rejected: string[] = [];
	for (const raw of numbers) {
		const n = analyzeNumber(raw);
		if (n) {
			accepted.push(raw);
			analyzed.push(n);
		} else rejected.push(raw);
	}
	const batchSize = state.config.bulkBatchSize;
	const bulk: BulkLookup = {
		id: `BLK-${randomUUID().toUpperCase()}`,
		method,
		notificationCallback: callback,
		createdAt: state.now(),
		numbers: accepted,
		batches: Math.ceil(accepted.length / batchSize),
		batchesDone: 0,
		error: null,
	};
	state.remember(state.bulks, bulk.id, bulk);
	for (let i = 0; i < bulk.batches; i++) {
		const slice = accepted.slice(i * batchSize, (i + 1) * batchSize);
		const sliceAnalyzed = analyzed.slice(i * batchSize, (i + 1) * batchSize);
		state.scheduler.schedule((i + 1) * state.config.bulkBatchDelayMs, `bulk ${bulk.id} batch ${i + 1}/${bulk.batches}`, () =>
			runBatch(state, bulk, slice, sliceAnalyzed),
		);
	}
	return {
		total_count: numbers.length,
		accepted_count: accepted.length,
		rejected_count: rejected.length,
		rejected,
		notification_callback: callback,
	};
}

function runBatch(state: SandboxState, bulk: BulkLookup, numbers: string[], analyzed: AnalyzedNumber[]): void {
	bulk.batchesDone++;
	if (!bulk.error) {
		const results: Array<Record<string, unknown>> = [];
		let cost = 0;
		for (let i = 0; i < numbers.length; i++) {
			if (bulk.method === 'verify') {
				results.push(verifyLookup(analyzed[i], numbers[i]));
				continue;
			}
			const { body, costMicro } = lookupResult(state, analyzed[i], bulk.method, numbers[i]);
			cost += costMicro;
			results.push(body);
		}
		if (state.canAfford(cost)) {
			state.charge(cost);
			if (bulk.method !== 'verify') state.log.creates.lookups += numbers.length;
			state.callbacks.send('lookup', bulk.notificationCallback, { lookup_method: bulk.method, error: null, results }, bulk.id);
			return;
		}
		// The credit ran out: this batch and every later one are cancelled.
		bulk.error = { error: 5, description: 'Insufficient funds.' };
	}
	state.callbacks.send(
		'lookup',
		bulk.notificationCallback,
		{ lookup_method: bulk.method, error: { ...bulk.error, affected_numbers: numbers }, results: null },
		bulk.id,
	);
}
