import { lineStatus, simplifyLookupResult } from '../../nodes/shared/lookupSummary';

describe('line status from HLR\'s reachable (every state the reference documents)', () => {
	test.each([
		['connected', 'active'],
		['absent', 'phone_off'],
		['invalid', 'disconnected'],
		['no-teleservice-provisioned', 'unknown'],
		['inconclusive', 'unknown'],
		['no-coverage', 'unknown'],
		['failed', 'unknown'],
		[undefined, 'unknown'],
		['something-new', 'unknown'],
	])('%s → %s', (reachable, status) => {
		expect(lineStatus(reachable)).toBe(status);
	});
});

// The reference's bulk HLR result example, with a ported number.
const hlr = {
	id: 'c08c0e33-e1b8-43a2-a4f8-4518c3a82cb4',
	original_msisdn: '40745123456',
	cost: 0.01,
	phone_number: '+40745123456',
	number_type: 'mobile',
	timezone: 'Europe/Bucharest',
	format: { e164: '+40745123456', international: '+40 745 123 456', national: '0745 123 456', rfc3966: 'tel:+40-745-123-456' },
	is_ported: true,
	reachable: 'connected',
	processing_status: 'completed',
	imsi: '226100000000000',
	current_network: { country_iso2: 'RO', country_prefix: 40, mccmnc: '22610', mcc: '226', mnc: '10', area: 'RO', network_name: 'Orange' },
	original_network: { country_iso2: 'RO', country_prefix: 40, mccmnc: '22601', mcc: '226', mnc: '01', area: 'RO', network_name: 'Vodafone' },
};

describe('simplifyLookupResult', () => {
	test('an HLR result: number, line status, ported, current network, country, type, cost (and original_msisdn in bulk)', () => {
		expect(simplifyLookupResult(hlr)).toEqual({
			number: '+40745123456',
			original_msisdn: '40745123456',
			line_status: 'active',
			ported: true,
			current_network: 'Orange',
			country: 'RO',
			number_type: 'mobile',
			cost: 0.01,
		});
	});

	test('an MNP result has no reachability and no is_ported: unknown and null, not guessed', () => {
		const { is_ported, reachable, original_network, original_msisdn, ...mnp } = hlr;
		expect(simplifyLookupResult(mnp)).toEqual({
			number: '+40745123456',
			line_status: 'unknown',
			ported: null,
			current_network: 'Orange',
			country: 'RO',
			number_type: 'mobile',
			cost: 0.01,
		});
	});

	test('a validation result: the country of the issuing network, no current network', () => {
		const validation = {
			id: 'v1',
			cost: 0,
			phone_number: '+442079460958',
			number_type: 'landline',
			format: { e164: '+442079460958' },
			original_network: { country_iso2: 'GB', country_prefix: '44', network_name: 'BT' },
		};
		expect(simplifyLookupResult(validation)).toEqual({
			number: '+442079460958',
			line_status: 'unknown',
			ported: null,
			current_network: null,
			country: 'GB',
			number_type: 'landline',
			cost: 0,
		});
	});

	test('an absent and an invalid subscriber', () => {
		expect(simplifyLookupResult({ ...hlr, reachable: 'absent' }).line_status).toBe('phone_off');
		expect(simplifyLookupResult({ ...hlr, reachable: 'invalid', is_ported: null }).line_status).toBe('disconnected');
	});
});
