/**
 * The Simplify option of the lookups: one HLR, MNP or validation result (from Lookup → HLR, MNP,
 * Check Format, or a bulk result at the CheckMobi Trigger) reduced to what a list clean-up needs.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

export type LineStatus = 'active' | 'phone_off' | 'disconnected' | 'unknown';

/**
 * The line status from HLR's `reachable`, the only field the reference gives for it: connected
 * ("Active mobile number"), absent ("not reachable at this moment"), invalid ("not valid"). Every
 * other state, and MNP and validation results (no network query), say nothing about the line.
 */
const LINE_STATUS: Record<string, LineStatus> = {
	connected: 'active',
	absent: 'phone_off',
	invalid: 'disconnected',
};

export function lineStatus(reachable: unknown): LineStatus {
	return (typeof reachable === 'string' && LINE_STATUS[reachable]) || 'unknown';
}

function record(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** The simplified result; fields CheckMobi did not send are null, never guessed. */
export function simplifyLookupResult(result: IDataObject): IDataObject {
	const current = record(result.current_network);
	const original = record(result.original_network);
	const simple: IDataObject = {};
	// In bulk results, the number as the request sent it: what matches the result to the input.
	if ('original_msisdn' in result) simple.original_msisdn = result.original_msisdn;
	return {
		number: result.phone_number ?? record(result.format).e164 ?? null,
		...simple,
		line_status: lineStatus(result.reachable),
		ported: typeof result.is_ported === 'boolean' ? result.is_ported : null,
		current_network: current.network_name ?? null,
		country: current.country_iso2 ?? original.country_iso2 ?? null,
		number_type: result.number_type ?? null,
		cost: result.cost ?? null,
	};
}

const simplifyOff: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description:
		'Whether to output only number, line_status (active, phone_off, disconnected or unknown), ported, current_network, country, number_type and cost instead of the raw data as CheckMobi sends it',
};

/**
 * The Simplify toggle: on by default from `fromVersion` on (n8n's rule for new node versions),
 * off on older versions so that saved workflows keep their output.
 */
export function simplifyFields(fromVersion: number, olderVersions: number[]): INodeProperties[] {
	return [
		{ ...simplifyOff, displayOptions: { show: { '@version': olderVersions } } },
		{ ...simplifyOff, default: true, displayOptions: { show: { '@version': [{ _cnd: { gte: fromVersion } }] } } },
	];
}
