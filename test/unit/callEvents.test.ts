import type { IDataObject } from 'n8n-workflow';

import {
	callEventNotes,
	checkCallEvents,
	checkCallEventsJson,
	describeCallEventProblem,
	eventsFromFields,
} from '../../nodes/CheckMobi/helpers/callEvents';
import type { CallEventProblem, CallEventsCheck } from '../../nodes/CheckMobi/helpers/callEvents';

/** The node's fields mode: entries as n8n stores the fixedCollection (action name in `type`). */
const fromFields = (entries: IDataObject[]) => checkCallEvents(eventsFromFields(entries));
/** The JSON mode, given the text a user types. */
const fromJson = (events: unknown) => checkCallEventsJson(JSON.stringify(events));

function problemOf(check: CallEventsCheck): CallEventProblem {
	if (check.ok) throw new Error(`expected a problem, got ${JSON.stringify(check.events)}`);
	return check.problem;
}

function eventsOf(check: CallEventsCheck): IDataObject[] {
	if (!check.ok) throw new Error(`expected events, got: ${describeCallEventProblem(check.problem)}`);
	return check.events;
}

describe('good actions', () => {
	test('fields: every action, in the order given, in the API form with what each action shows', () => {
		const events = eventsOf(
			fromFields([
				{ type: 'speak', text: 'Bonjour', loop: 2, voice: 'MAN', language: 'fr-FR' },
				{ type: 'wait', length: 2 },
				{ type: 'play', url: 'https://example.com/a.mp3', loop: 0 },
				{ type: 'send_dtmf', digits: '12w3W*#', async: false },
				{ type: 'hangup', reason: 'busy', schedule: 30 },
				{ type: 'speak', text: 'Goodbye' },
				{ type: 'hangup', reason: 'none', schedule: 0 },
			]),
		);
		expect(events).toEqual([
			{ action: 'speak', text: 'Bonjour', loop: 2, voice: 'MAN', language: 'fr-FR' },
			{ action: 'wait', length: 2 },
			{ action: 'play', url: 'https://example.com/a.mp3', loop: 0 },
			{ action: 'send_dtmf', digits: '12w3W*#', async: false },
			{ action: 'hangup', reason: 'busy', schedule: 30 },
			{ action: 'speak', text: 'Goodbye', loop: 1, voice: 'WOMAN', language: 'en-US' },
			{ action: 'hangup' },
		]);
	});

	test('fields: values n8n did not store take the fields\' defaults; fields of other actions are ignored', () => {
		expect(
			eventsOf(
				fromFields([
					{ type: 'send_dtmf', digits: '1', text: 'left over from Speak', url: 'https://x.test/a.mp3' },
					{ type: 'wait' },
					{ text: 'no type: Speak is the default' },
				]),
			),
		).toEqual([
			{ action: 'send_dtmf', digits: '1', async: true },
			{ action: 'wait', length: 1 },
			{ action: 'speak', text: 'no type: Speak is the default', loop: 1, voice: 'WOMAN', language: 'en-US' },
		]);
	});

	test('fields: numbers that an expression gave as text are read as numbers', () => {
		expect(eventsOf(fromFields([{ type: 'wait', length: '3' }, { type: 'speak', text: '123', loop: '2' }]))).toEqual([
			{ action: 'wait', length: 3 },
			{ action: 'speak', text: '123', loop: 2, voice: 'WOMAN', language: 'en-US' },
		]);
	});

	test('JSON: only the attributes written are sent', () => {
		expect(
			eventsOf(
				fromJson([
					{ action: 'speak', text: 'Hi' },
					{ action: 'play', url: 'http://example.com/a.wav' },
					{ action: 'send_dtmf', digits: '#' },
					{ action: 'wait' },
					{ action: 'hangup' },
				]),
			),
		).toEqual([
			{ action: 'speak', text: 'Hi' },
			{ action: 'play', url: 'http://example.com/a.wav' },
			{ action: 'send_dtmf', digits: '#' },
			{ action: 'wait' },
			{ action: 'hangup' },
		]);
	});

	test('JSON: language and voice are written as CheckMobi writes them; null attributes are left out', () => {
		expect(
			eventsOf(fromJson([{ action: 'speak', text: 'Hej', voice: 'woman', language: 'DA-dk', loop: null }, { action: 'hangup', reason: null }])),
		).toEqual([{ action: 'speak', text: 'Hej', voice: 'WOMAN', language: 'da-DK' }, { action: 'hangup' }]);
	});

	test('JSON: an array from an expression, or a JSON text holding one, is read the same', () => {
		const events = [{ action: 'speak', text: 'Hi', loop: 0 }];
		expect(checkCallEventsJson(events)).toEqual({ ok: true, events });
		expect(checkCallEventsJson(JSON.stringify(events))).toEqual({ ok: true, events });
	});

	test('the boundaries the reference allows: loop 0, length 1, schedule 1 before another action', () => {
		expect(
			eventsOf(
				fromJson([
					{ action: 'hangup', schedule: 1 },
					{ action: 'play', url: 'https://example.com/x.mp3', loop: 0 },
					{ action: 'wait', length: 1 },
				]),
			),
		).toHaveLength(3);
	});

	test.each(['en-US', 'en-GB', 'nl-NL', 'pt-BR', 'es-US'])('%s has both voices', (language) => {
		const events = eventsOf(fromJson([{ action: 'speak', text: 'x', voice: 'MAN', language }]));
		expect(callEventNotes(events)).toEqual([]);
	});
});

describe('allowed by the reference, with a note of what CheckMobi then does', () => {
	test.each(['da-DK', 'fr-CA', 'pt-PT', 'ru-RU', 'sv-SE'])('a MAN voice in %s, which has only the WOMAN voice, is sent as written', (language) => {
		const written = [{ action: 'speak', text: 'x', voice: 'MAN', language }];
		const events = eventsOf(fromJson(written));
		expect(events).toEqual(written);
		expect(callEventNotes(events)).toEqual([
			expect.stringMatching(/^Call action 1 \(Speak\): .+ has only the WOMAN voice, so CheckMobi speaks it with that voice \(the language takes priority over the voice\)\.$/),
		]);
	});

	test('a scheduled hang-up as the last action, in both modes', () => {
		const fields = eventsOf(fromFields([{ type: 'speak', text: 'x' }, { type: 'hangup', schedule: 10 }]));
		const json = eventsOf(fromJson([{ action: 'speak', text: 'x' }, { action: 'hangup', schedule: 10 }]));
		expect(fields[1]).toEqual({ action: 'hangup', schedule: 10 });
		expect(json[1]).toEqual({ action: 'hangup', schedule: 10 });
		expect(callEventNotes(json)).toEqual([expect.stringMatching(/^Call action 2 \(Hang Up\): a scheduled hang-up with no action after it ends the call at once/)]);
		expect(callEventNotes(eventsOf(fromJson([{ action: 'hangup', schedule: 10 }, { action: 'speak', text: 'x' }])))).toEqual([]);
	});
});

describe('the same mistake gives the same error in both modes', () => {
	const cases: Array<[string, IDataObject[], IDataObject[], RegExp, Partial<CallEventProblem>]> = [
		['no actions', [], [], /^The call has no actions$/, { fix: expect.stringMatching(/at least one action/) }],
		[
			'Speak without text',
			[{ type: 'speak', text: '' }],
			[{ action: 'speak', text: '' }],
			/^Call action 1 \(Speak\): Text is empty$/,
			{ attribute: 'Text' },
		],
		[
			'Speak with only spaces',
			[{ type: 'speak', text: '   ' }],
			[{ action: 'speak', text: '   ' }],
			/Text is empty/,
			{ position: 1 },
		],
		[
			'Play without URL',
			[{ type: 'play', url: '' }],
			[{ action: 'play', url: '' }],
			/^Call action 1 \(Play\): URL is empty$/,
			{ attribute: 'URL' },
		],
		[
			'Play with a file name, not a URL',
			[{ type: 'play', url: 'greeting.mp3' }],
			[{ action: 'play', url: 'greeting.mp3' }],
			/URL "greeting.mp3" is not a web address/,
			{ fix: expect.stringMatching(/http:\/\/ or https:\/\//) },
		],
		[
			'Play from ftp',
			[{ type: 'play', url: 'ftp://example.com/a.mp3' }],
			[{ action: 'play', url: 'ftp://example.com/a.mp3' }],
			/is not an http or https address/,
			{},
		],
		[
			'digits with a letter',
			[{ type: 'speak', text: 'Hi' }, { type: 'wait', length: 1 }, { type: 'send_dtmf', digits: '12a#' }],
			[{ action: 'speak', text: 'Hi' }, { action: 'wait', length: 1 }, { action: 'send_dtmf', digits: '12a#' }],
			/^Call action 3 \(Send DTMF\): Digits may hold only 0-9, \*, #, w and W, not "12a#"$/,
			{ position: 3, action: 'Send DTMF', attribute: 'Digits', fix: expect.stringMatching(/w for a half-second pause/) },
		],
		[
			'empty digits',
			[{ type: 'send_dtmf', digits: '' }],
			[{ action: 'send_dtmf', digits: '' }],
			/Digits is empty/,
			{},
		],
		[
			'a negative loop',
			[{ type: 'speak', text: 'x', loop: -1 }],
			[{ action: 'speak', text: 'x', loop: -1 }],
			/Loop must be a whole number, 0 or more, not -1/,
			{ attribute: 'Loop' },
		],
		[
			'a fractional loop',
			[{ type: 'play', url: 'https://example.com/a.mp3', loop: 1.5 }],
			[{ action: 'play', url: 'https://example.com/a.mp3', loop: 1.5 }],
			/Loop must be a whole number, 0 or more, not 1.5/,
			{ action: 'Play' },
		],
		[
			'a wait of 0 seconds',
			[{ type: 'wait', length: 0 }],
			[{ action: 'wait', length: 0 }],
			/^Call action 1 \(Wait\): Length must be a whole number of seconds greater than 0, not 0$/,
			{ attribute: 'Length' },
		],
		[
			'a fractional wait',
			[{ type: 'wait', length: 0.5 }],
			[{ action: 'wait', length: 0.5 }],
			/greater than 0, not 0.5/,
			{},
		],
		[
			'an unknown voice (from an expression)',
			[{ type: 'speak', text: 'x', voice: 'ROBOT' }],
			[{ action: 'speak', text: 'x', voice: 'ROBOT' }],
			/Voice must be WOMAN or MAN, not "ROBOT"/,
			{ attribute: 'Voice' },
		],
		[
			'a language CheckMobi cannot speak',
			[{ type: 'speak', text: 'x', language: 'xx-XX' }],
			[{ action: 'speak', text: 'x', language: 'xx-XX' }],
			/Language "xx-XX" is not one CheckMobi can speak/,
			{ fix: expect.stringMatching(/da-DK, nl-NL, .*sv-SE/) },
		],
		[
			'an unknown hang-up reason (from an expression)',
			[{ type: 'hangup', reason: 'maybe' }],
			[{ action: 'hangup', reason: 'maybe' }],
			/Reason must be rejected or busy, not "maybe"/,
			{ action: 'Hang Up', attribute: 'Reason' },
		],
		[
			'a negative schedule',
			[{ type: 'hangup', schedule: -5 }, { type: 'speak', text: 'x' }],
			[{ action: 'hangup', schedule: -5 }, { action: 'speak', text: 'x' }],
			/Schedule must be a whole number of seconds greater than 0, not -5/,
			{ attribute: 'Schedule' },
		],
		[
			'a fractional schedule',
			[{ type: 'hangup', schedule: 2.5 }, { type: 'speak', text: 'x' }],
			[{ action: 'hangup', schedule: 2.5 }, { action: 'speak', text: 'x' }],
			/not 2.5/,
			{},
		],
	];

	test.each(cases)('%s', (_name, fields, json, message, details) => {
		const fromTheFields = problemOf(fromFields(fields));
		const fromTheJson = problemOf(fromJson(json));
		expect(fromTheFields).toEqual(fromTheJson);
		expect(describeCallEventProblem(fromTheJson)).toMatch(message);
		expect(fromTheJson).toMatchObject(details);
		expect(fromTheJson.fix.length).toBeGreaterThan(10);
	});

	test('the first mistake is reported, by its position', () => {
		const problem = problemOf(
			fromJson([
				{ action: 'speak', text: 'ok' },
				{ action: 'wait', length: -1 },
				{ action: 'send_dtmf', digits: 'x' },
			]),
		);
		expect(problem).toMatchObject({ position: 2, action: 'Wait' });
	});
});

describe('mistakes only JSON can make', () => {
	test.each([
		['not JSON', '[{action: speak}]', /^The call actions are not valid JSON/, /double-quoted/],
		['empty text', '  ', /^The call actions \(JSON\) are empty$/, /JSON array/],
		['an object, not a list', '{"action": "speak", "text": "Hi"}', /^The call actions must be a list, not an object$/, /JSON array/],
		['a list of texts', '["speak"]', /^Call action 1: is "speak", not an object$/, /"action" name/],
		['an action without a name', '[{"text": "Hi"}]', /^Call action 1: has no "action"$/, /"speak", "play", "send_dtmf", "wait", "hangup"/],
		['a camelCase action name', '[{"action": "sendDtmf", "digits": "1"}]', /^Call action 1: "sendDtmf" is not a call action$/, /Write "send_dtmf" \(Send DTMF\)/],
		['the node\'s label as action name', '[{"action": "Hang Up"}]', /"Hang Up" is not a call action/, /Write "hangup"/],
		['an unknown action', '[{"action": "record"}]', /"record" is not a call action/, /^Use one of "speak"/],
		['an attribute of another action', '[{"action": "play", "url": "https://e.com/a.mp3", "text": "Hi"}]', /^Call action 1 \(Play\): "text" is not an attribute of Play$/, /"text" belongs to Speak\. Remove "text"/],
		['an attribute of no action', '[{"action": "wait", "length": 2, "seconds": 2}]', /"seconds" is not an attribute of Wait/, /^Wait takes "length"\. Remove "seconds"\.$/],
		['Speak without text', '[{"action": "speak"}]', /^Call action 1 \(Speak\): Text is missing$/, /callee should hear/],
		['a number as text', '[{"action": "speak", "text": 5}]', /Text must be text, not 5/, /callee should hear/],
		['digits as a number', '[{"action": "send_dtmf", "digits": 1234}]', /Digits must be text, not 1234/, /1234#/],
		['Play without URL', '[{"action": "play"}]', /URL is missing/, /https/],
		['loop as text', '[{"action": "speak", "text": "x", "loop": "2"}]', /Loop must be a whole number, 0 or more, not "2"/, /0 to repeat/],
		['async as text', '[{"action": "send_dtmf", "digits": "1", "async": "yes"}]', /^Call action 1 \(Send DTMF\): Async must be true or false, not "yes"$/, /true \(the default\)/],
		['length as text', '[{"action": "wait", "length": "2"}]', /Length must be a whole number of seconds greater than 0, not "2"/, /1 or more/],
		['a voice as a number', '[{"action": "speak", "text": "x", "voice": 1}]', /Voice must be WOMAN or MAN, not 1/, /WOMAN \(the default\)/],
		['a language as a list', '[{"action": "speak", "text": "x", "language": ["en-US"]}]', /Language a list is not one/, /en-US is the default/],
		['hang-up reason none', '[{"action": "hangup", "reason": "none"}]', /Reason must be rejected or busy, not "none"/, /leave Reason out/],
		['schedule 0', '[{"action": "hangup", "schedule": 0}, {"action": "wait"}]', /Schedule must be a whole number of seconds greater than 0, not 0/, /leave Schedule out/],
		['a URL with spaces around it', '[{"action": "play", "url": " https://e.com/a.mp3"}]', /has spaces around it/, /https/],
	])('%s', (_name, text, message, fix) => {
		const problem = problemOf(checkCallEventsJson(text));
		expect(describeCallEventProblem(problem)).toMatch(message);
		expect(problem.fix).toMatch(fix);
	});

	test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
		'"%s", a name every object has, is no call action',
		(name) => {
			const problem = problemOf(checkCallEventsJson(`[{"action": "${name}", "text": "Hi"}]`));
			expect(describeCallEventProblem(problem)).toBe(`Call action 1: "${name}" is not a call action`);
			expect(problem).toMatchObject({ position: 1, attribute: 'action' });
		},
	);

	test('an attribute named like an object\'s own member is named as written', () => {
		const problem = problemOf(checkCallEventsJson('[{"action": "wait", "length": 1, "constructor": 1}]'));
		expect(problem).toMatchObject({ attribute: 'constructor', message: '"constructor" is not an attribute of Wait' });
	});

	test('a value that is neither text nor a list', () => {
		expect(describeCallEventProblem(problemOf(checkCallEventsJson(42)))).toBe('The call actions must be a list, not 42');
		expect(describeCallEventProblem(problemOf(checkCallEventsJson(undefined)))).toBe(
			'The call actions must be a list, not missing',
		);
	});
});
