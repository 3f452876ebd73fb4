// The country table of the sandbox: ISO 3166-1 code, name, ITU calling code, mobile country code
// and the main time zone. Used by /countries, /prefixes and every number analysis.

export interface Country {
	iso2: string;
	name: string;
	/** ITU calling code, digits only (shared codes such as 1, 7, 44 appear on several rows). */
	callingCode: string;
	/** Mobile country code (3 digits) or null where the territory has none of its own. */
	mcc: string | null;
	timezone: string;
}

type Row = [iso2: string, name: string, callingCode: string, mcc: string | null, timezone: string];

const ROWS: Row[] = [
	['AF', 'Afghanistan', '93', '412', 'Asia/Kabul'],
	['AX', 'Åland Islands', '358', '244', 'Europe/Mariehamn'],
	['AL', 'Albania', '355', '276', 'Europe/Tirane'],
	['DZ', 'Algeria', '213', '603', 'Africa/Algiers'],
	['AS', 'American Samoa', '1', '544', 'Pacific/Pago_Pago'],
	['AD', 'Andorra', '376', '213', 'Europe/Andorra'],
	['AO', 'Angola', '244', '631', 'Africa/Luanda'],
	['AI', 'Anguilla', '1', '365', 'America/Anguilla'],
	['AG', 'Antigua and Barbuda', '1', '344', 'America/Antigua'],
	['AR', 'Argentina', '54', '722', 'America/Argentina/Buenos_Aires'],
	['AM', 'Armenia', '374', '283', 'Asia/Yerevan'],
	['AW', 'Aruba', '297', '363', 'America/Aruba'],
	['AU', 'Australia', '61', '505', 'Australia/Sydney'],
	['AT', 'Austria', '43', '232', 'Europe/Vienna'],
	['AZ', 'Azerbaijan', '994', '400', 'Asia/Baku'],
	['BS', 'Bahamas', '1', '364', 'America/Nassau'],
	['BH', 'Bahrain', '973', '426', 'Asia/Bahrain'],
	['BD', 'Bangladesh', '880', '470', 'Asia/Dhaka'],
	['BB', 'Barbados', '1', '342', 'America/Barbados'],
	['BY', 'Belarus', '375', '257', 'Europe/Minsk'],
	['BE', 'Belgium', '32', '206', 'Europe/Brussels'],
	['BZ', 'Belize', '501', '702', 'America/Belize'],
	['BJ', 'Benin', '229', '616', 'Africa/Porto-Novo'],
	['BM', 'Bermuda', '1', '350', 'Atlantic/Bermuda'],
	['BT', 'Bhutan', '975', '402', 'Asia/Thimphu'],
	['BO', 'Bolivia', '591', '736', 'America/La_Paz'],
	['BQ', 'Bonaire, Sint Eustatius and Saba', '599', '362', 'America/Kralendijk'],
	['BA', 'Bosnia and Herzegovina', '387', '218', 'Europe/Sarajevo'],
	['BW', 'Botswana', '267', '652', 'Africa/Gaborone'],
	['BR', 'Brazil', '55', '724', 'America/Sao_Paulo'],
	['IO', 'British Indian Ocean Territory', '246', null, 'Indian/Chagos'],
	['VG', 'British Virgin Islands', '1', '348', 'America/Tortola'],
	['BN', 'Brunei', '673', '528', 'Asia/Brunei'],
	['BG', 'Bulgaria', '359', '284', 'Europe/Sofia'],
	['BF', 'Burkina Faso', '226', '613', 'Africa/Ouagadougou'],
	['BI', 'Burundi', '257', '642', 'Africa/Bujumbura'],
	['KH', 'Cambodia', '855', '456', 'Asia/Phnom_Penh'],
	['CM', 'Cameroon', '237', '624', 'Africa/Douala'],
	['CA', 'Canada', '1', '302', 'America/Toronto'],
	['CV', 'Cape Verde', '238', '625', 'Atlantic/Cape_Verde'],
	['KY', 'Cayman Islands', '1', '346', 'America/Cayman'],
	['CF', 'Central African Republic', '236', '623', 'Africa/Bangui'],
	['TD', 'Chad', '235', '622', 'Africa/Ndjamena'],
	['CL', 'Chile', '56', '730', 'America/Santiago'],
	['CN', 'China', '86', '460', 'Asia/Shanghai'],
	['CX', 'Christmas Island', '61', '505', 'Indian/Christmas'],
	['CC', 'Cocos (Keeling) Islands', '61', '505', 'Indian/Cocos'],
	['CO', 'Colombia', '57', '732', 'America/Bogota'],
	['KM', 'Comoros', '269', '654', 'Indian/Comoro'],
	['CG', 'Congo', '242', '629', 'Africa/Brazzaville'],
	['CD', 'Congo, The Democratic Republic of the', '243', '630', 'Africa/Kinshasa'],
	['CK', 'Cook Islands', '682', '548', 'Pacific/Rarotonga'],
	['CR', 'Costa Rica', '506', '712', 'America/Costa_Rica'],
	['CI', "Côte d'Ivoire", '225', '612', 'Africa/Abidjan'],
	['HR', 'Croatia', '385', '219', 'Europe/Zagreb'],
	['CU', 'Cuba', '53', '368', 'America/Havana'],
	['CW', 'Curaçao', '599', '362', 'America/Curacao'],
	['CY', 'Cyprus', '357', '280', 'Asia/Nicosia'],
	['CZ', 'Czech Republic', '420', '230', 'Europe/Prague'],
	['DK', 'Denmark', '45', '238', 'Europe/Copenhagen'],
	['DJ', 'Djibouti', '253', '638', 'Africa/Djibouti'],
	['DM', 'Dominica', '1', '366', 'America/Dominica'],
	['DO', 'Dominican Republic', '1', '370', 'America/Santo_Domingo'],
	['EC', 'Ecuador', '593', '740', 'America/Guayaquil'],
	['EG', 'Egypt', '20', '602', 'Africa/Cairo'],
	['SV', 'El Salvador', '503', '706', 'America/El_Salvador'],
	['GQ', 'Equatorial Guinea', '240', '627', 'Africa/Malabo'],
	['ER', 'Eritrea', '291', '657', 'Africa/Asmara'],
	['EE', 'Estonia', '372', '248', 'Europe/Tallinn'],
	['SZ', 'Eswatini', '268', '653', 'Africa/Mbabane'],
	['ET', 'Ethiopia', '251', '636', 'Africa/Addis_Ababa'],
	['FK', 'Falkland Islands (Malvinas)', '500', '750', 'Atlantic/Stanley'],
	['FO', 'Faroe Islands', '298', '288', 'Atlantic/Faroe'],
	['FJ', 'Fiji', '679', '542', 'Pacific/Fiji'],
	['FI', 'Finland', '358', '244', 'Europe/Helsinki'],
	['FR', 'France', '33', '208', 'Europe/Paris'],
	['GF', 'French Guiana', '594', '742', 'America/Cayenne'],
	['PF', 'French Polynesia', '689', '547', 'Pacific/Tahiti'],
	['GA', 'Gabon', '241', '628', 'Africa/Libreville'],
	['GM', 'Gambia', '220', '607', 'Africa/Banjul'],
	['GE', 'Georgia', '995', '282', 'Asia/Tbilisi'],
	['DE', 'Germany', '49', '262', 'Europe/Berlin'],
	['GH', 'Ghana', '233', '620', 'Africa/Accra'],
	['GI', 'Gibraltar', '350', '266', 'Europe/Gibraltar'],
	['GR', 'Greece', '30', '202', 'Europe/Athens'],
	['GL', 'Greenland', '299', '290', 'America/Nuuk'],
	['GD', 'Grenada', '1', '352', 'America/Grenada'],
	['GP', 'Guadeloupe', '590', '340', 'America/Guadeloupe'],
	['GU', 'Guam', '1', '310', 'Pacific/Guam'],
	['GT', 'Guatemala', '502', '704', 'America/Guatemala'],
	['GG', 'Guernsey', '44', '234', 'Europe/Guernsey'],
	['GN', 'Guinea', '224', '611', 'Africa/Conakry'],
	['GW', 'Guinea-Bissau', '245', '632', 'Africa/Bissau'],
	['GY', 'Guyana', '592', '738', 'America/Guyana'],
	['HT', 'Haiti', '509', '372', 'America/Port-au-Prince'],
	['HN', 'Honduras', '504', '708', 'America/Tegucigalpa'],
	['HK', 'Hong Kong', '852', '454', 'Asia/Hong_Kong'],
	['HU', 'Hungary', '36', '216', 'Europe/Budapest'],
	['IS', 'Iceland', '354', '274', 'Atlantic/Reykjavik'],
	['IN', 'India', '91', '404', 'Asia/Kolkata'],
	['ID', 'Indonesia', '62', '510', 'Asia/Jakarta'],
	['IR', 'Iran', '98', '432', 'Asia/Tehran'],
	['IQ', 'Iraq', '964', '418', 'Asia/Baghdad'],
	['IE', 'Ireland', '353', '272', 'Europe/Dublin'],
	['IM', 'Isle of Man', '44', '234', 'Europe/Isle_of_Man'],
	['IL', 'Israel', '972', '425', 'Asia/Jerusalem'],
	['IT', 'Italy', '39', '222', 'Europe/Rome'],
	['JM', 'Jamaica', '1', '338', 'America/Jamaica'],
	['JP', 'Japan', '81', '440', 'Asia/Tokyo'],
	['JE', 'Jersey', '44', '234', 'Europe/Jersey'],
	['JO', 'Jordan', '962', '416', 'Asia/Amman'],
	['KZ', 'Kazakhstan', '7', '401', 'Asia/Almaty'],
	['KE', 'Kenya', '254', '639', 'Africa/Nairobi'],
	['KI', 'Kiribati', '686', '545', 'Pacific/Tarawa'],
	['KP', "Korea, Democratic People's Republic of", '850', '467', 'Asia/Pyongyang'],
	['KR', 'Korea, Republic of', '82', '450', 'Asia/Seoul'],
	['XK', 'Kosovo', '383', '221', 'Europe/Belgrade'],
	['KW', 'Kuwait', '965', '419', 'Asia/Kuwait'],
	['KG', 'Kyrgyzstan', '996', '437', 'Asia/Bishkek'],
	['LA', 'Laos', '856', '457', 'Asia/Vientiane'],
	['LV', 'Latvia', '371', '247', 'Europe/Riga'],
	['LB', 'Lebanon', '961', '415', 'Asia/Beirut'],
	['LS', 'Lesotho', '266', '651', 'Africa/Maseru'],
	['LR', 'Liberia', '231', '618', 'Africa/Monrovia'],
	['LY', 'Libya', '218', '606', 'Africa/Tripoli'],
	['LI', 'Liechtenstein', '423', '295', 'Europe/Vaduz'],
	['LT', 'Lithuania', '370', '246', 'Europe/Vilnius'],
	['LU', 'Luxembourg', '352', '270', 'Europe/Luxembourg'],
	['MO', 'Macao', '853', '455', 'Asia/Macau'],
	['MG', 'Madagascar', '261', '646', 'Indian/Antananarivo'],
	['MW', 'Malawi', '265', '650', 'Africa/Blantyre'],
	['MY', 'Malaysia', '60', '502', 'Asia/Kuala_Lumpur'],
	['MV', 'Maldives', '960', '472', 'Indian/Maldives'],
	['ML', 'Mali', '223', '610', 'Africa/Bamako'],
	['MT', 'Malta', '356', '278', 'Europe/Malta'],
	['MH', 'Marshall Islands', '692', '551', 'Pacific/Majuro'],
	['MQ', 'Martinique', '596', '340', 'America/Martinique'],
	['MR', 'Mauritania', '222', '609', 'Africa/Nouakchott'],
	['MU', 'Mauritius', '230', '617', 'Indian/Mauritius'],
	['YT', 'Mayotte', '262', '647', 'Indian/Mayotte'],
	['MX', 'Mexico', '52', '334', 'America/Mexico_City'],
	['FM', 'Micronesia, Federated States of', '691', '550', 'Pacific/Pohnpei'],
	['MD', 'Moldova', '373', '259', 'Europe/Chisinau'],
	['MC', 'Monaco', '377', '212', 'Europe/Monaco'],
	['MN', 'Mongolia', '976', '428', 'Asia/Ulaanbaatar'],
	['ME', 'Montenegro', '382', '297', 'Europe/Podgorica'],
	['MS', 'Montserrat', '1', '354', 'America/Montserrat'],
	['MA', 'Morocco', '212', '604', 'Africa/Casablanca'],
	['MZ', 'Mozambique', '258', '643', 'Africa/Maputo'],
	['MM', 'Myanmar', '95', '414', 'Asia/Yangon'],
	['NA', 'Namibia', '264', '649', 'Africa/Windhoek'],
	['NR', 'Nauru', '674', '536', 'Pacific/Nauru'],
	['NP', 'Nepal', '977', '429', 'Asia/Kathmandu'],
	['NL', 'Netherlands', '31', '204', 'Europe/Amsterdam'],
	['NC', 'New Caledonia', '687', '546', 'Pacific/Noumea'],
	['NZ', 'New Zealand', '64', '530', 'Pacific/Auckland'],
	['NI', 'Nicaragua', '505', '710', 'America/Managua'],
	['NE', 'Niger', '227', '614', 'Africa/Niamey'],
	['NG', 'Nigeria', '234', '621', 'Africa/Lagos'],
	['NU', 'Niue', '683', '555', 'Pacific/Niue'],
	['NF', 'Norfolk Island', '672', '505', 'Pacific/Norfolk'],
	['MK', 'North Macedonia', '389', '294', 'Europe/Skopje'],
	['MP', 'Northern Mariana Islands', '1', '310', 'Pacific/Saipan'],
	['NO', 'Norway', '47', '242', 'Europe/Oslo'],
	['OM', 'Oman', '968', '422', 'Asia/Muscat'],
	['PK', 'Pakistan', '92', '410', 'Asia/Karachi'],
	['PW', 'Palau', '680', '552', 'Pacific/Palau'],
	['PS', 'Palestine, State of', '970', '425', 'Asia/Gaza'],
	['PA', 'Panama', '507', '714', 'America/Panama'],
	['PG', 'Papua New Guinea', '675', '537', 'Pacific/Port_Moresby'],
	['PY', 'Paraguay', '595', '744', 'America/Asuncion'],
	['PE', 'Peru', '51', '716', 'America/Lima'],
	['PH', 'Philippines', '63', '515', 'Asia/Manila'],
	['PL', 'Poland', '48', '260', 'Europe/Warsaw'],
	['PT', 'Portugal', '351', '268', 'Europe/Lisbon'],
	['PR', 'Puerto Rico', '1', '330', 'America/Puerto_Rico'],
	['QA', 'Qatar', '974', '427', 'Asia/Qatar'],
	['RE', 'Réunion', '262', '647', 'Indian/Reunion'],
	['RO', 'Romania', '40', '226', 'Europe/Bucharest'],
	['RU', 'Russian Federation', '7', '250', 'Europe/Moscow'],
	['RW', 'Rwanda', '250', '635', 'Africa/Kigali'],
	['BL', 'Saint Barthélemy', '590', '340', 'America/St_Barthelemy'],
	['SH', 'Saint Helena', '290', '658', 'Atlantic/St_Helena'],
	['KN', 'Saint Kitts and Nevis', '1', '356', 'America/St_Kitts'],
	['LC', 'Saint Lucia', '1', '358', 'America/St_Lucia'],
	['MF', 'Saint Martin (French part)', '590', '340', 'America/Marigot'],
	['PM', 'Saint Pierre and Miquelon', '508', '308', 'America/Miquelon'],
	['VC', 'Saint Vincent and the Grenadines', '1', '360', 'America/St_Vincent'],
	['WS', 'Samoa', '685', '549', 'Pacific/Apia'],
	['SM', 'San Marino', '378', '292', 'Europe/San_Marino'],
	['ST', 'Sao Tome and Principe', '239', '626', 'Africa/Sao_Tome'],
	['SA', 'Saudi Arabia', '966', '420', 'Asia/Riyadh'],
	['SN', 'Senegal', '221', '608', 'Africa/Dakar'],
	['RS', 'Serbia', '381', '220', 'Europe/Belgrade'],
	['SC', 'Seychelles', '248', '633', 'Indian/Mahe'],
	['SL', 'Sierra Leone', '232', '619', 'Africa/Freetown'],
	['SG', 'Singapore', '65', '525', 'Asia/Singapore'],
	['SX', 'Sint Maarten (Dutch part)', '1', '362', 'America/Lower_Princes'],
	['SK', 'Slovakia', '421', '231', 'Europe/Bratislava'],
	['SI', 'Slovenia', '386', '293', 'Europe/Ljubljana'],
	['SB', 'Solomon Islands', '677', '540', 'Pacific/Guadalcanal'],
	['SO', 'Somalia', '252', '637', 'Africa/Mogadishu'],
	['ZA', 'South Africa', '27', '655', 'Africa/Johannesburg'],
	['SS', 'South Sudan', '211', '659', 'Africa/Juba'],
	['ES', 'Spain', '34', '214', 'Europe/Madrid'],
	['LK', 'Sri Lanka', '94', '413', 'Asia/Colombo'],
	['SD', 'Sudan', '249', '634', 'Africa/Khartoum'],
	['SR', 'Suriname', '597', '746', 'America/Paramaribo'],
	['SJ', 'Svalbard and Jan Mayen', '47', '242', 'Arctic/Longyearbyen'],
	['SE', 'Sweden', '46', '240', 'Europe/Stockholm'],
	['CH', 'Switzerland', '41', '228', 'Europe/Zurich'],
	['SY', 'Syrian Arab Republic', '963', '417', 'Asia/Damascus'],
	['TW', 'Taiwan', '886', '466', 'Asia/Taipei'],
	['TJ', 'Tajikistan', '992', '436', 'Asia/Dushanbe'],
	['TZ', 'Tanzania', '255', '640', 'Africa/Dar_es_Salaam'],
	['TH', 'Thailand', '66', '520', 'Asia/Bangkok'],
	['TL', 'Timor-Leste', '670', '514', 'Asia/Dili'],
	['TG', 'Togo', '228', '615', 'Africa/Lome'],
	['TK', 'Tokelau', '690', '554', 'Pacific/Fakaofo'],
	['TO', 'Tonga', '676', '539', 'Pacific/Tongatapu'],
	['TT', 'Trinidad and Tobago', '1', '374', 'America/Port_of_Spain'],
	['TN', 'Tunisia', '216', '605', 'Africa/Tunis'],
	['TR', 'Turkey', '90', '286', 'Europe/Istanbul'],
	['TM', 'Turkmenistan', '993', '438', 'Asia/Ashgabat'],
	['TC', 'Turks and Caicos Islands', '1', '376', 'America/Grand_Turk'],
	['TV', 'Tuvalu', '688', '553', 'Pacific/Funafuti'],
	['UG', 'Uganda', '256', '641', 'Africa/Kampala'],
	['UA', 'Ukraine', '380', '255', 'Europe/Kyiv'],
	['AE', 'United Arab Emirates', '971', '424', 'Asia/Dubai'],
	['GB', 'United Kingdom', '44', '234', 'Europe/London'],
	['US', 'United States', '1', '310', 'America/New_York'],
	['UY', 'Uruguay', '598', '748', 'America/Montevideo'],
	['VI', 'Virgin Islands, U.S.', '1', '332', 'America/St_Thomas'],
	['UZ', 'Uzbekistan', '998', '434', 'Asia/Tashkent'],
	['VU', 'Vanuatu', '678', '541', 'Pacific/Efate'],
	['VA', 'Holy See (Vatican City State)', '39', '225', 'Europe/Vatican'],
	['VE', 'Venezuela', '58', '734', 'America/Caracas'],
	['VN', 'Viet Nam', '84', '452', 'Asia/Ho_Chi_Minh'],
	['WF', 'Wallis and Futuna', '681', '543', 'Pacific/Wallis'],
	['EH', 'Western Sahara', '212', '604', 'Africa/El_Aaiun'],
	['YE', 'Yemen', '967', '421', 'Asia/Aden'],
	['ZM', 'Zambia', '260', '645', 'Africa/Lusaka'],
	['ZW', 'Zimbabwe', '263', '648', 'Africa/Harare'],
];

export const COUNTRIES: readonly Country[] = ROWS.map(([iso2, name, callingCode, mcc, timezone]) => ({
	iso2,
	name,
	callingCode,
	mcc,
	timezone,
})).sort((a, b) => a.name.localeCompare(b.name, 'en'));

export const COUNTRY_BY_ISO2: ReadonlyMap<string, Country> = new Map(COUNTRIES.map((c) => [c.iso2, c]));

export function countryByIso2(iso2: string): Country {
	const country = COUNTRY_BY_ISO2.get(iso2);
	if (!country) throw new Error(`sandbox country table lacks ${iso2}`);
	return country;
}

/** The country a calling code belongs to when the number says nothing more precise. */
const PRIMARY_BY_CODE: Record<string, string> = {
	'1': 'US',
	'7': 'RU',
	'39': 'IT',
	'44': 'GB',
	'47': 'NO',
	'61': 'AU',
	'212': 'MA',
	'262': 'RE',
	'358': 'FI',
	'590': 'GP',
	'599': 'CW',
};

/** Calling code → primary country. Calling codes are prefix-free, so a number has at most one. */
export const COUNTRY_BY_CALLING_CODE: ReadonlyMap<string, Country> = (() => {
	const map = new Map<string, Country>();
	for (const country of COUNTRIES) {
		const primary = PRIMARY_BY_CODE[country.callingCode];
		if (primary !== undefined && primary !== country.iso2) continue;
		map.set(country.callingCode, country);
	}
	return map;
})();

// North American Numbering Plan: area code → country, for the members other than the US.
const NANP_AREA_CODES: Record<string, string> = (() => {
	const groups: Record<string, string> = {
		CA: '204 226 236 249 250 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 468 474 506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905',
		BS: '242',
		BB: '246',
		AI: '264',
		AG: '268',
		VG: '284',
		VI: '340',
		KY: '345',
		BM: '441',
		GD: '473',
		TC: '649',
		JM: '658 876',
		MS: '664',
		MP: '670',
		GU: '671',
		AS: '684',
		SX: '721',
		LC: '758',
		DM: '767',
		VC: '784',
		PR: '787 939',
		DO: '809 829 849',
		TT: '868',
		KN: '869',
	};
	const out: Record<string, string> = {};
	for (const [iso2, codes] of Object.entries(groups)) for (const code of codes.split(' ')) out[code] = iso2;
	return out;
})();

/** Picks the territory inside a shared calling code from the national significant number. */
export function resolveCountry(callingCode: string, nsn: string): Country | undefined {
	const primary = COUNTRY_BY_CALLING_CODE.get(callingCode);
	if (!primary) return undefined;
	const pick = (iso2: string) => countryByIso2(iso2);
	switch (callingCode) {
		case '1': {
			const iso2 = NANP_AREA_CODES[nsn.slice(0, 3)];
			return iso2 ? pick(iso2) : primary;
		}
		case '7':
			return /^[67]/.test(nsn) ? pick('KZ') : primary;
		case '39':
			return nsn.startsWith('06698') ? pick('VA') : primary;
		case '44':
			if (/^(1481|7781|7839|7911)/.test(nsn)) return pick('GG');
			if (/^(1534|7509|7797|7829|7937)/.test(nsn)) return pick('JE');
			if (/^(1624|7524|7624|7924)/.test(nsn)) return pick('IM');
			return primary;
		case '47':
			return nsn.startsWith('79') ? pick('SJ') : primary;
		case '61':
			if (nsn.startsWith('89164')) return pick('CX');
			if (nsn.startsWith('89162')) return pick('CC');
			return primary;
		case '212':
			return /^528[89]/.test(nsn) ? pick('EH') : primary;
		case '262':
			return /^(269|639)/.test(nsn) ? pick('YT') : primary;
		case '358':
			return nsn.startsWith('18') ? pick('AX') : primary;
		case '590':
			return primary;
		case '599':
			return nsn.startsWith('9') ? primary : pick('BQ');
		default:
			return primary;
	}
}
