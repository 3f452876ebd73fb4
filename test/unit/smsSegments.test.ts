import { isGsm7, smsSegments } from '../../nodes/CheckMobi/helpers/smsSegments';

const gsm = (n: number) => 'a'.repeat(n);
/** Cyrillic Ж: outside GSM-7, one UTF-16 code unit. */
const ucs = (n: number) => 'Ж'.repeat(n);

describe('GSM-7 texts', () => {
	test.each([
		[1, 1],
		[159, 1],
		[160, 1],
		[161, 2],
		[306, 2],
		[307, 3],
		[459, 3],
		[460, 4],
	])('%i characters are %i part(s)', (length, parts) => {
		expect(smsSegments(gsm(length))).toEqual({
			encoding: 'GSM-7',
			length,
			parts,
			perPart: parts === 1 ? 160 : 153,
		});
	});

	test('the whole basic table stays GSM-7, one place each', () => {
		const basic =
			'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
		expect(isGsm7(basic)).toBe(true);
		expect(smsSegments(basic).length).toBe(Array.from(basic).length);
	});

	test.each(['^', '{', '}', '[', ']', '~', '|', '€', '\\', '\f'])('extension character %j counts twice', (character) => {
		expect(smsSegments(`${character}x`)).toMatchObject({ encoding: 'GSM-7', length: 3, parts: 1 });
	});

	test('80 euro signs fill one SMS exactly; 81 need two', () => {
		expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', length: 160, parts: 1 });
		expect(smsSegments('€'.repeat(81))).toMatchObject({ encoding: 'GSM-7', length: 162, parts: 2 });
	});

	test('159 letters and one extension character make 161 places: two parts', () => {
		expect(smsSegments(`${gsm(159)}{`)).toMatchObject({ length: 161, parts: 2 });
	});

	test('an extension character is never split across parts', () => {
		// 152 + 2 + 152 = 306 places, but the € cannot straddle the 153rd place: 152 | € + 151 | 1.
		expect(smsSegments(`${gsm(152)}€${gsm(152)}`)).toMatchObject({ length: 306, parts: 3 });
		expect(smsSegments(`${gsm(151)}€${gsm(153)}`)).toMatchObject({ length: 306, parts: 2 });
	});

	test('letters with accents outside GSM-7 (ç, á, ó) and typographic quotes switch to UCS-2; é, è, à, ¿, Ç stay GSM-7', () => {
		expect(smsSegments('façade').encoding).toBe('UCS-2');
		expect(smsSegments('¿Cómo estás?').encoding).toBe('UCS-2');
		expect(smsSegments('¿Qué tal? Très bien').encoding).toBe('GSM-7');
		expect(smsSegments('“quoted”').encoding).toBe('UCS-2');
		expect(smsSegments('Ça va').encoding).toBe('GSM-7');
	});
});

describe('UCS-2 texts', () => {
	test.each([
		[1, 1],
		[70, 1],
		[71, 2],
		[134, 2],
		[135, 3],
		[201, 3],
		[202, 4],
	])('%i characters are %i part(s)', (length, parts) => {
		expect(smsSegments(ucs(length))).toEqual({ encoding: 'UCS-2', length, parts, perPart: parts === 1 ? 70 : 67 });
	});

	test('one non-GSM character makes a whole long text UCS-2', () => {
		expect(smsSegments(`${gsm(100)}Ж`)).toMatchObject({ encoding: 'UCS-2', length: 101, parts: 2 });
	});

	test('GSM extension characters take one place in UCS-2', () => {
		expect(smsSegments('Ж€{')).toMatchObject({ encoding: 'UCS-2', length: 3, parts: 1 });
	});
});

describe('emoji and other characters outside the BMP count as two UTF-16 code units', () => {
	test('35 emoji fill one SMS; 36 need two', () => {
		expect(smsSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', length: 70, parts: 1 });
		expect(smsSegments('😀'.repeat(36))).toMatchObject({ encoding: 'UCS-2', length: 72, parts: 2 });
	});

	test('a surrogate pair is never split across parts', () => {
		// 66 + 2 + 66 = 134 code units, which would be 2 parts if an emoji could be cut: 66 | 😀 + 65 | 1.
		expect(smsSegments(`${ucs(66)}😀${ucs(66)}`)).toMatchObject({ length: 134, parts: 3 });
		expect(smsSegments(`${ucs(65)}😀${ucs(67)}`)).toMatchObject({ length: 134, parts: 2 });
	});

	test('a flag (two regional indicators) and a family (joined emoji) count every code unit', () => {
		expect(smsSegments('🇷🇴').length).toBe(4);
		expect(smsSegments('👨‍👩‍👧').length).toBe(8);
		expect(smsSegments(`Hi ${'👍'}`)).toMatchObject({ encoding: 'UCS-2', length: 5, parts: 1 });
	});
});

test('an empty text is no SMS at all', () => {
	expect(smsSegments('')).toEqual({ encoding: 'GSM-7', length: 0, parts: 0, perPart: 160 });
});
