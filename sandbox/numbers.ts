// Number intelligence: parse an E.164 number, find its country, type and carrier from the digits,
// and apply the sandbox's "magic numbers" (README.md, section Magic numbers). Everything here is a
// pure function of the digits, so the same number always gets the same answer.

import { COUNTRY_BY_CALLING_CODE, type Country, resolveCountry } from './countries';

export type NumberType =
	| 'landline'
	| 'mobile'
	| 'mobile_or_landline'
	| 'toll_free'
	| 'premium_rate'
	| 'shared_cost'
	| 'personal_number'
	| 'voip'
	| 'pager'
	| 'uan'
	| 'voicemail'
	| 'unknown';

export interface Carrier {
	name: string;
	mcc: string | null;
	mnc: string | null;
}

/** Magic codes: a number whose last six digits are 9999NN gets scenario NN. */
export const MAGIC = {
	HLR_ABSENT: 1,
	HLR_NO_TELESERVICE: 2,
	HLR_INCONCLUSIVE: 3,
	HLR_FAILED: 4,
	HLR_INVALID: 5,
	PORTED: 6,
	HLR_NO_COVERAGE: 7,
	SMS_FAILED: 10,
	SMS_UNDELIVERED: 11,
	SMS_REJECTED: 12,
	CALL_NEVER_ANSWERED: 20,
	CALL_BUSY: 21,
	ANSWERS_MISSED_CALLS: 22,
	BLOCKED: 30,
	NO_REVERSE_CLI: 31,
	NO_SMS_VALIDATION: 32,
	TEMPORARILY_BLOCKED: 33,
} as const;

const MAGIC_TYPES: Record<number, NumberType> = {
	40: 'landline',
	41: 'toll_free',
	42: 'voip',
	43: 'premium_rate',
	44: 'shared_cost',
	45: 'personal_number',
	46: 'pager',
	47: 'uan',
	48: 'voicemail',
	49: 'unknown',
	50: 'mobile_or_landline',
	51: 'mobile',
};

export interface AnalyzedNumber {
	/** Digits only, with the calling code: "40745123456". */
	digits: string;
	/** "+40745123456" */
	e164: string;
	callingCode: string;
	/** National significant number: the digits after the calling code. */
	nsn: string;
	country: Country;
	/** The type as issued (what /lookup/verify and validation_info say). */
	numberType: NumberType;
	/** The type an HLR query finds (resolves North America's mobile_or_landline). */
	hlrType: NumberType;
	/** The 9999NN scenario code, or null. */
	magic: number | null;
	originalNetwork: Carrier;
	currentNetwork: Carrier;
	ported: boolean;
}

// ---------------------------------------------------------------------------------------------
// Numbering plans: per country, ordered [pattern over the NSN, type]; first match wins.
// Countries not listed use GENERIC_PLAN.

type Plan = { lengths?: [number, number]; rules: Array<[RegExp, NumberType]>; trunk?: string };

const NANP_PLAN: Plan = {
	lengths: [10, 10],
	trunk: '',
	rules: [
		[/^8(00|33|44|55|66|77|88)/, 'toll_free'],
		[/^900/, 'premium_rate'],
		[/^5(00|33|44|66|77|88)/, 'personal_number'],
		[/^[2-9]\d{2}[2-9]/, 'mobile_or_landline'],
		[/^/, 'unknown'],
	],
};

const PLANS: Record<string, Plan> = {
	GB: {
		lengths: [9, 10],
		rules: [
			[/^7624/, 'mobile'],
			[/^70/, 'personal_number'],
			[/^76/, 'pager'],
			[/^7[1-57-9]/, 'mobile'],
			[/^8(00|08)/, 'toll_free'],
			[/^8[47]/, 'shared_cost'],
			[/^9/, 'premium_rate'],
			[/^56/, 'voip'],
			[/^(3|55)/, 'uan'],
			[/^[12]/, 'landline'],
		],
	},
	DE: {
		lengths: [6, 13],
		rules: [
			[/^1[5-7]/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^900/, 'premium_rate'],
			[/^180/, 'shared_cost'],
			[/^700/, 'personal_number'],
			[/^32/, 'voip'],
			[/^[2-9]/, 'landline'],
		],
	},
	FR: {
		lengths: [9, 9],
		rules: [
			[/^[67]/, 'mobile'],
			[/^80/, 'toll_free'],
			[/^8[12]/, 'shared_cost'],
			[/^89/, 'premium_rate'],
			[/^9/, 'voip'],
			[/^[1-5]/, 'landline'],
		],
	},
	RO: {
		lengths: [9, 9],
		rules: [
			[/^7/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^80/, 'shared_cost'],
			[/^90/, 'premium_rate'],
			[/^37/, 'voip'],
			[/^[23]/, 'landline'],
		],
	},
	IT: {
		lengths: [6, 11],
		trunk: '',
		rules: [
			[/^3/, 'mobile'],
			[/^80/, 'toll_free'],
			[/^84/, 'shared_cost'],
			[/^89/, 'premium_rate'],
			[/^55/, 'uan'],
			[/^0/, 'landline'],
		],
	},
	ES: {
		lengths: [9, 9],
		trunk: '',
		rules: [
			[/^(6|7[1-9])/, 'mobile'],
			[/^900/, 'toll_free'],
			[/^90[12]/, 'shared_cost'],
			[/^80[3-7]/, 'premium_rate'],
			[/^51/, 'voip'],
			[/^[89]/, 'landline'],
		],
	},
	NL: {
		lengths: [9, 9],
		rules: [
			[/^66/, 'pager'],
			[/^6/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^90/, 'premium_rate'],
			[/^8[47]/, 'voip'],
			[/^8[58]/, 'uan'],
			[/^[1-57]/, 'landline'],
		],
	},
	AU: {
		lengths: [6, 10],
		rules: [
			[/^4/, 'mobile'],
			[/^1800/, 'toll_free'],
			[/^190/, 'premium_rate'],
			[/^13/, 'shared_cost'],
			[/^5/, 'personal_number'],
			[/^[2378]/, 'landline'],
		],
	},
	IN: {
		lengths: [10, 10],
		rules: [
			[/^1800/, 'toll_free'],
			[/^[6-9]/, 'mobile'],
			[/^[1-5]/, 'landline'],
		],
	},
	BR: {
		lengths: [10, 11],
		rules: [
			[/^800/, 'toll_free'],
			[/^[1-9]{2}9\d{8}$/, 'mobile'],
			[/^[1-9]{2}[2-5]\d{7}$/, 'landline'],
		],
	},
	RU: {
		lengths: [10, 10],
		trunk: '8',
		rules: [
			[/^9/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^[3-8]/, 'landline'],
		],
	},
	CN: {
		lengths: [9, 11],
		rules: [
			[/^1[3-9]\d{9}$/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^400/, 'uan'],
			[/^[2-9]/, 'landline'],
		],
	},
	MX: { lengths: [10, 10], trunk: '', rules: [[/^800/, 'toll_free'], [/^900/, 'premium_rate'], [/^/, 'mobile_or_landline']] },
	TR: {
		lengths: [10, 10],
		rules: [
			[/^5/, 'mobile'],
			[/^800/, 'toll_free'],
			[/^900/, 'premium_rate'],
			[/^[2-4]/, 'landline'],
		],
	},
};

/** Every other country: 80… toll-free, 90… premium rate, 6–9 mobile, 1–5 landline. */
const GENERIC_PLAN: Plan = {
	rules: [
		[/^80/, 'toll_free'],
		[/^90/, 'premium_rate'],
		[/^[6-9]/, 'mobile'],
		[/^[1-5]/, 'landline'],
		[/^/, 'unknown'],
	],
};

/** National trunk prefixes other than "0" ("" = none). */
const TRUNK_PREFIX: Record<string, string> = {
	KZ: '8', BY: '8', LT: '8', HU: '06',
	...Object.fromEntries(['GR', 'DK', 'NO', 'SJ', 'LU', 'MT', 'CY', 'MC', 'SM', 'VA', 'AD', 'IS', 'EE', 'LV', 'SG', 'HK', 'MO', 'QA', 'BH', 'KW', 'OM', 'PT'].map((iso2) => [iso2, ''])),
};

function planOf(country: Country): Plan {
	if (country.callingCode === '1') return NANP_PLAN;
	return PLANS[country.iso2] ?? GENERIC_PLAN;
}

// ---------------------------------------------------------------------------------------------
// Carriers: real networks for the countries above, two fictitious ones ("XX Mobile", "XX Telecom")
// elsewhere. The issuing network of a mobile number is chosen from its digits.

type CarrierRow = [name: string, mcc: string, mnc: string];

const CARRIERS: Record<string, { mobile: CarrierRow[]; fixed: string }> = {
	RO: { fixed: 'Telekom Romania', mobile: [['Orange', '226', '10'], ['Vodafone', '226', '01'], ['Telekom Romania Mobile', '226', '03'], ['Digi.Mobil', '226', '05']] },
	GB: { fixed: 'BT', mobile: [['EE', '234', '30'], ['Vodafone', '234', '15'], ['O2', '234', '10'], ['Three', '234', '20']] },
	US: { fixed: 'AT&T', mobile: [['Verizon Wireless', '311', '480'], ['AT&T Mobility', '310', '410'], ['T-Mobile', '310', '260']] },
	CA: { fixed: 'Bell Canada', mobile: [['Rogers Wireless', '302', '720'], ['Bell Mobility', '302', '610'], ['Telus Mobility', '302', '220']] },
	DE: { fixed: 'Deutsche Telekom', mobile: [['Telekom', '262', '01'], ['Vodafone', '262', '02'], ['O2', '262', '03']] },
	FR: { fixed: 'Orange', mobile: [['Orange', '208', '01'], ['SFR', '208', '10'], ['Bouygues Telecom', '208', '20'], ['Free Mobile', '208', '15']] },
	IT: { fixed: 'TIM', mobile: [['TIM', '222', '01'], ['Vodafone', '222', '10'], ['WindTre', '222', '88'], ['Iliad', '222', '50']] },
	ES: { fixed: 'Telefónica', mobile: [['Movistar', '214', '07'], ['Vodafone', '214', '01'], ['Orange', '214', '03'], ['Yoigo', '214', '04']] },
	NL: { fixed: 'KPN', mobile: [['KPN', '204', '08'], ['Vodafone', '204', '04'], ['Odido', '204', '16']] },
	AU: { fixed: 'Telstra', mobile: [['Telstra', '505', '01'], ['Optus', '505', '02'], ['Vodafone', '505', '03']] },
	IN: { fixed: 'BSNL', mobile: [['Airtel', '404', '10'], ['Vi', '404', '20'], ['Jio', '405', '857']] },
	BR: { fixed: 'Oi', mobile: [['Vivo', '724', '06'], ['Claro', '724', '05'], ['TIM', '724', '02']] },
	RU: { fixed: 'Rostelecom', mobile: [['MTS', '250', '01'], ['MegaFon', '250', '02'], ['Beeline', '250', '99']] },
	CN: { fixed: 'China Telecom', mobile: [['China Mobile', '460', '00'], ['China Unicom', '460', '01'], ['China Telecom', '460', '11']] },
	MX: { fixed: 'Telmex', mobile: [['Telcel', '334', '020'], ['AT&T Mexico', '334', '050'], ['Movistar', '334', '030']] },
	TR: { fixed: 'Türk Telekom', mobile: [['Turkcell', '286', '01'], ['Vodafone', '286', '02'], ['Türk Telekom Mobile', '286', '03']] },
};

function mobileCarriers(country: Country): Carrier[] {
	const known = CARRIERS[country.iso2];
	if (known) return known.mobile.map(([name, mcc, mnc]) => ({ name, mcc, mnc }));
	return [
		{ name: `${country.iso2} Mobile`, mcc: country.mcc, mnc: country.mcc ? '01' : null },
		{ name: `${country.iso2} Telecom`, mcc: country.mcc, mnc: country.mcc ? '02' : null },
	];
}

function fixedCarrierName(country: Country): string {
	return CARRIERS[country.iso2]?.fixed ?? `${country.iso2} Telecom`;
}

/** FNV-1a: a small, stable hash so that choices derived from digits never change between runs. */
export function hashDigits(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

// ---------------------------------------------------------------------------------------------

const E164 = /^\+?([1-9]\d{6,14})$/;

/** The magic scenario code of a number (its last six digits are 9999NN), or null. */
export function magicCode(digits: string): number | null {
	const m = /9999(\d\d)$/.exec(digits);
	return m && digits.length >= 10 ? Number(m[1]) : null;
}

/**
 * Parses and analyses a number given as "+NNN" or "NNN". Returns null when it is not a valid
 * E.164 number of a known country (the API answers error 2).
 */
export function analyzeNumber(input: string): AnalyzedNumber | null {
	const m = E164.exec(input);
	if (!m) return null;
	const digits = m[1];
	let callingCode: string | undefined;
	for (let len = 1; len <= 3; len++) {
		if (COUNTRY_BY_CALLING_CODE.has(digits.slice(0, len))) {
			callingCode = digits.slice(0, len);
			break;
		}
	}
	if (callingCode === undefined) return null;
	const nsn = digits.slice(callingCode.length);
	const country = resolveCountry(callingCode, nsn);
	if (!country) return null;
	const plan = planOf(country);
	const [minLen, maxLen] = plan.lengths ?? [4, 14];
	if (nsn.length < minLen || nsn.length > maxLen) return null;

	const magic = magicCode(digits);
	let numberType: NumberType = 'unknown';
	for (const [pattern, type] of plan.rules) {
		if (pattern.test(nsn)) {
			numberType = type;
			break;
		}
	}
	if (magic !== null && MAGIC_TYPES[magic]) numberType = MAGIC_TYPES[magic];
	// An HLR query tells North American mobiles from landlines; the sandbox's answer is "mobile".
	const hlrType: NumberType = numberType === 'mobile_or_landline' ? 'mobile' : numberType;

	let originalNetwork: Carrier;
	let currentNetwork: Carrier;
	let ported = false;
	if (isMobileType(hlrType)) {
		const carriers = mobileCarriers(country);
		const index = hashDigits(nsn) % carriers.length;
		originalNetwork = carriers[index];
		currentNetwork = originalNetwork;
		if (magic === MAGIC.PORTED) {
			ported = true;
			currentNetwork = carriers[(index + 1) % carriers.length];
		}
	} else {
		originalNetwork = { name: fixedCarrierName(country), mcc: null, mnc: null };
		currentNetwork = originalNetwork;
	}
	return {
		digits,
		e164: `+${digits}`,
		callingCode,
		nsn,
		country,
		numberType,
		hlrType,
		magic,
		originalNetwork,
		currentNetwork,
		ported,
	};
}

/** Types an HLR/MNP lookup applies to (others fall back to the free validation). */
export function isMobileType(type: NumberType): boolean {
	return type === 'mobile' || type === 'mobile_or_landline' || type === 'personal_number';
}

/** Types that receive SMS. */
export function canReceiveSms(type: NumberType): boolean {
	return type === 'mobile' || type === 'mobile_or_landline' || type === 'personal_number' || type === 'pager';
}

/** Types an IVR call can reach. */
export function canReceiveCalls(type: NumberType): boolean {
	return type !== 'pager' && type !== 'premium_rate' && type !== 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Formats

function groups(nsn: string): string[] {
	if (nsn.length <= 4) return [nsn];
	const out: string[] = [];
	let i = 0;
	while (nsn.length - i > 4) {
		out.push(nsn.slice(i, i + 3));
		i += 3;
	}
	out.push(nsn.slice(i));
	return out;
}

export interface NumberFormats {
	e164: string;
	international: string;
	national: string;
	rfc3966: string;
}

export function formatNumber(n: AnalyzedNumber): NumberFormats {
	if (n.callingCode === '1') {
		const [a, b, c] = [n.nsn.slice(0, 3), n.nsn.slice(3, 6), n.nsn.slice(6)];
		return {
			e164: n.e164,
			international: `+1 ${a}-${b}-${c}`,
			national: `(${a}) ${b}-${c}`,
			rfc3966: `tel:+1-${a}-${b}-${c}`,
		};
	}
	const parts = groups(n.nsn);
	const plan = planOf(n.country);
	const trunk = plan.trunk ?? TRUNK_PREFIX[n.country.iso2] ?? '0';
	return {
		e164: n.e164,
		international: `+${n.callingCode} ${parts.join(' ')}`,
		national: `${trunk}${parts.join(' ')}`,
		rfc3966: `tel:+${n.callingCode}-${parts.join('-')}`,
	};
}

/** The carrier shown in validation_info / number_info: always a string. */
export function carrierName(n: AnalyzedNumber): string {
	return n.currentNetwork.name;
}

/** "FR - Orange": the description of callbacks, MDRs and CDRs. */
export function describe(n: AnalyzedNumber): string {
	return `${n.country.iso2} - ${carrierName(n)}`;
}

/** The number_info / validation_info object of the API. */
export function numberInfo(n: AnalyzedNumber): {
	country_code: string;
	country_iso_code: string;
	carrier: string;
	is_mobile: boolean;
	e164_format: string;
	formatting: string;
} {
	return {
		country_code: n.callingCode,
		country_iso_code: n.country.iso2,
		carrier: carrierName(n),
		is_mobile: isMobileType(n.numberType),
		e164_format: n.e164,
		formatting: n.e164,
	};
}

/** A deterministic IMSI: the current network's MCC+MNC, then the number's digits. */
export function imsiOf(n: AnalyzedNumber): string | null {
	const { mcc, mnc } = n.currentNetwork;
	if (!mcc || !mnc) return null;
	const msinLength = 15 - mcc.length - mnc.length;
	return mcc + mnc + n.nsn.padStart(msinLength, '0').slice(-msinLength);
}

/** A number of the same country for the sandbox to call from (missed calls, IVR). */
export function callerNumberFor(n: AnalyzedNumber, random: () => number): string {
	const length = Math.max(n.nsn.length, 9);
	let nsn = n.callingCode === '1' ? '212' : '2';
	while (nsn.length < length) nsn += String(Math.floor(random() * 10));
	// Never a magic number: the sandbox's own lines behave normally.
	if (/9999\d\d$/.test(nsn)) nsn = nsn.slice(0, -6) + '123456';
	return `+${n.callingCode}${nsn}`;
}
