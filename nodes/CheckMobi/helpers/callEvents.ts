/**
 * The actions of a call (the `events` of POST /call): one checker for the reference's rules,
 * used by both ways of writing them (the node's fields and JSON), so that a mistake gives the
 * same message whichever way it was written, and before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { SINGLE_VOICE_LANGUAGES, voiceLanguageOptions } from './voiceLanguages';

export type CallAction = 'speak' | 'play' | 'send_dtmf' | 'wait' | 'hangup';

/** What the user sees an action called (the node's dropdown), by the API's name. */
const CALL_ACTION_LABELS: Record<CallAction, string> = {
	speak: 'Speak',
	play: 'Play',
	send_dtmf: 'Send DTMF',
	wait: 'Wait',
	hangup: 'Hang Up',
};

/** The attributes each action takes besides `action`, in the order they are written out. */
const ATTRIBUTES: Record<CallAction, string[]> = {
	speak: ['text', 'loop', 'voice', 'language'],
	play: ['url', 'loop'],
	send_dtmf: ['digits', 'async'],
	wait: ['length'],
	hangup: ['reason', 'schedule'],
};

/** Field names as the node shows them, by attribute. */
const ATTRIBUTE_LABELS: Record<string, string> = {
	text: 'Text',
	url: 'URL',
	loop: 'Loop',
	voice: 'Voice',
	language: 'Language',
	digits: 'Digits',
	async: 'Async',
	length: 'Length',
	reason: 'Reason',
	schedule: 'Schedule',
};

const LANGUAGES = new Map(voiceLanguageOptions.map((option) => [String(option.value).toLowerCase(), option]));
const DTMF_DIGITS = /^[0-9*#wW]+$/;

/** A mistake in the call actions: where it is, what is wrong, how to fix it. */
export interface CallEventProblem {
	/** 1-based position of the action in the list, when the problem is in one action. */
	position?: number;
	/** The action's name as the node shows it ("Send DTMF"), when known. */
	action?: string;
	/** The attribute at fault, as the node names it ("Digits"). */
	attribute?: string;
	message: string;
	fix: string;
}

export type CallEventsCheck = { ok: true; events: IDataObject[] } | { ok: false; problem: CallEventProblem };

/** "Call action 3 (Send DTMF): <message>", or the message alone when it is about the whole list. */
export function describeCallEventProblem(problem: CallEventProblem): string {
	if (problem.position === undefined) return problem.message;
	const action = problem.action ? ` (${problem.action})` : '';
	return `Call action ${problem.position}${action}: ${problem.message}`;
}

/**
 * Checks a list of call actions written in the API's form and returns them as the API takes
 * them: the known attributes only, with language and voice in their canonical spelling and
 * attributes that are null left out.
 */
export function checkCallEvents(value: unknown): CallEventsCheck {
	if (!Array.isArray(value)) {
		return fail({
			message: `The call actions must be a list, not ${describe(value)}`,
			fix: 'Write the actions as a JSON array, for example [{"action": "speak", "text": "Hello"}].',
		});
	}
	if (value.length === 0) {
		return fail({
			message: 'The call has no actions',
			fix: 'Add at least one action, for example Speak with the text the callee should hear.',
		});
	}
	const events: IDataObject[] = [];
	for (let index = 0; index < value.length; index++) {
		const checked = checkOne(value[index], index + 1);
		if ('problem' in checked) return fail(checked.problem);
		events.push(checked.event);
	}
	return { ok: true, events };
}

/**
 * What the reference says CheckMobi does with checked actions that may not be what the user
 * meant: a voice the language lacks (the language takes priority), a scheduled hang-up with
 * nothing after it (the call ends at once). Both are allowed; the node shows these as hints.
 */
export function callEventNotes(events: IDataObject[]): string[] {
	const notes: string[] = [];
	events.forEach((event, index) => {
		const at = `Call action ${index + 1} (${CALL_ACTION_LABELS[event.action as CallAction]})`;
		const language = LANGUAGES.get(String(event.language ?? 'en-US').toLowerCase());
		const only = language ? SINGLE_VOICE_LANGUAGES[String(language.value)] : undefined;
		if (event.action === 'speak' && event.voice !== undefined && only && event.voice !== only) {
			notes.push(`${at}: ${language!.name} has only the ${only} voice, so CheckMobi speaks it with that voice (the language takes priority over the voice).`);
		}
		if (event.action === 'hangup' && event.schedule !== undefined && index === events.length - 1) {
			notes.push(`${at}: a scheduled hang-up with no action after it ends the call at once; put the action that should play until then (for example Speak) after it.`);
		}
	});
	return notes;
}

/**
 * Reads the JSON mode's value: a JSON text, or what an expression gave (an array, or a JSON
 * text holding one), then checks it like the fields.
 */
export function checkCallEventsJson(value: unknown): CallEventsCheck {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') {
			return fail({
				message: 'The call actions (JSON) are empty',
				fix: 'Write the actions as a JSON array, for example [{"action": "speak", "text": "Hello"}].',
			});
		}
		try {
			parsed = JSON.parse(value) as unknown;
		} catch (error) {
			return fail({
				message: `The call actions are not valid JSON: ${(error as Error).message}`,
				fix: 'Write them as a JSON array of objects with double-quoted names, for example [{"action": "speak", "text": "Hello"}].',
			});
		}
	}
	return checkCallEvents(parsed);
}

/**
 * Turns the node's action fields (one entry per action, in the order the user sorted them, the
 * action's name in `type`) into the API's form. Only the fields the chosen action shows are
 * taken; Hang Up's "None" reason and a Schedule of 0 mean "not set". The result still has to
 * pass `checkCallEvents`.
 */
export function eventsFromFields(entries: IDataObject[]): unknown[] {
	return entries.map((entry) => {
		// The field that picks the action is called "type" in the node.
		const action = entry.type ?? 'speak';
		const event: Record<string, unknown> = { action };
		const take = (name: string, fallback: unknown) => {
			event[name] = entry[name] === undefined ? fallback : entry[name];
		};
		const takeNumber = (name: string, fallback: number) => {
			event[name] = entry[name] === undefined ? fallback : numericText(entry[name]);
		};
		switch (action) {
			case 'speak':
				take('text', '');
				takeNumber('loop', 1);
				take('voice', 'WOMAN');
				take('language', 'en-US');
				break;
			case 'play':
				take('url', '');
				takeNumber('loop', 1);
				break;
			case 'send_dtmf':
				take('digits', '');
				take('async', true);
				break;
			case 'wait':
				takeNumber('length', 1);
				break;
			case 'hangup':
				if (entry.reason !== undefined && entry.reason !== 'none' && entry.reason !== '') event.reason = entry.reason;
				if (entry.schedule !== undefined && entry.schedule !== 0 && entry.schedule !== '') {
					event.schedule = numericText(entry.schedule);
				}
				break;
		}
		return event;
	});
}

/** A number typed or given by an expression as text ("2") becomes the number; anything else stays. */
function numericText(value: unknown): unknown {
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return value;
}

function fail(problem: CallEventProblem): { ok: false; problem: CallEventProblem } {
	return { ok: false, problem };
}

type OneCheck = { event: IDataObject } | { problem: CallEventProblem };

function checkOne(raw: unknown, position: number): OneCheck {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		return {
			problem: {
				position,
				message: `is ${describe(raw)}, not an object`,
				fix: 'Write each action as an object with an "action" name, for example {"action": "wait", "length": 2}.',
			},
		};
	}
	const entry = raw as IDataObject;
	const name = entry.action;
	if (name === undefined || name === null || name === '') {
		return {
			problem: {
				position,
				attribute: 'action',
				message: 'has no "action"',
				fix: `Set "action" to one of ${actionList()}.`,
			},
		};
	}
	// Own keys only: "constructor" or "toString" are in every object, and are no call action.
	if (typeof name !== 'string' || !Object.hasOwn(ATTRIBUTES, name)) {
		const suggestion = typeof name === 'string' ? suggestAction(name) : undefined;
		return {
			problem: {
				position,
				attribute: 'action',
				message: `"${String(name)}" is not a call action`,
				fix: suggestion
					? `Write "${suggestion}" (${CALL_ACTION_LABELS[suggestion]}). The actions are ${actionList()}.`
					: `Use one of ${actionList()}.`,
			},
		};
	}
	const action = name as CallAction;
	const label = CALL_ACTION_LABELS[action];
	const at = (attribute: string, message: string, fix: string): OneCheck => ({
		problem: { position, action: label, attribute: Object.hasOwn(ATTRIBUTE_LABELS, attribute) ? ATTRIBUTE_LABELS[attribute] : attribute, message, fix },
	});

	for (const key of Object.keys(entry)) {
		if (key !== 'action' && !ATTRIBUTES[action].includes(key)) {
			const owner = (Object.keys(ATTRIBUTES) as CallAction[]).find((other) => ATTRIBUTES[other].includes(key));
			return at(
				key,
				`"${key}" is not an attribute of ${label}`,
				`${label} takes ${ATTRIBUTES[action].map((a) => `"${a}"`).join(' and ')}${
					owner ? `; "${key}" belongs to ${CALL_ACTION_LABELS[owner]}` : ''
				}. Remove "${key}".`,
			);
		}
	}

	const event: IDataObject = { action };
	const given = (key: string) => entry[key] !== undefined && entry[key] !== null;

	switch (action) {
		case 'speak': {
			if (typeof entry.text !== 'string' || entry.text.trim() === '') {
				return at('text', emptiness('Text', entry.text), 'Write what the callee should hear.');
			}
			event.text = entry.text;
			if (given('loop')) {
				if (!isWholeNumber(entry.loop, 0)) {
					return at('loop', `Loop must be a whole number, 0 or more, not ${describe(entry.loop)}`, 'Set how many times to speak the text: 1 (the default) or more, or 0 to repeat it until the call ends.');
				}
				event.loop = entry.loop;
			}
			if (given('voice')) {
				const voice = typeof entry.voice === 'string' ? entry.voice.toUpperCase() : undefined;
				if (voice !== 'WOMAN' && voice !== 'MAN') {
					return at('voice', `Voice must be WOMAN or MAN, not ${describe(entry.voice)}`, 'Choose WOMAN (the default) or MAN.');
				}
				event.voice = voice;
			}
			if (given('language')) {
				const option = typeof entry.language === 'string' ? LANGUAGES.get(entry.language.toLowerCase()) : undefined;
				if (!option) {
					return at('language', `Language ${describe(entry.language)} is not one CheckMobi can speak`, `Use one of ${[...LANGUAGES.values()].map((o) => String(o.value)).join(', ')} (en-US is the default).`);
				}
				event.language = option.value;
			}
			break;
		}
		case 'play': {
			const problem = urlProblem(entry.url);
			if (problem) return at('url', problem, 'Give the full http:// or https:// address of an MP3 or WAV file that CheckMobi can download.');
			event.url = entry.url;
			if (given('loop')) {
				if (!isWholeNumber(entry.loop, 0)) {
					return at('loop', `Loop must be a whole number, 0 or more, not ${describe(entry.loop)}`, 'Set how many times to play the file: 1 (the default) or more, or 0 to repeat it until the call ends.');
				}
				event.loop = entry.loop;
			}
			break;
		}
		case 'send_dtmf': {
			if (typeof entry.digits !== 'string' || !DTMF_DIGITS.test(entry.digits)) {
				const what =
					typeof entry.digits === 'string' && entry.digits !== ''
						? `Digits may hold only 0-9, *, #, w and W, not "${entry.digits}"`
						: emptiness('Digits', entry.digits);
				return at('digits', what, 'Write the tones to send, for example 1234#. Use w for a half-second pause and W for a one-second pause.');
			}
			event.digits = entry.digits;
			if (given('async')) {
				if (typeof entry.async !== 'boolean') {
					return at('async', `Async must be true or false, not ${describe(entry.async)}`, 'Use true (the default) to go on with the next action once the first tone is sent, or false to wait until all are sent.');
				}
				event.async = entry.async;
			}
			break;
		}
		case 'wait': {
			if (given('length')) {
				if (!isWholeNumber(entry.length, 1)) {
					return at('length', `Length must be a whole number of seconds greater than 0, not ${describe(entry.length)}`, 'Set how many seconds to wait silently: 1 or more.');
				}
				event.length = entry.length;
			}
			break;
		}
		case 'hangup': {
			if (given('reason')) {
				if (entry.reason !== 'rejected' && entry.reason !== 'busy') {
					return at('reason', `Reason must be rejected or busy, not ${describe(entry.reason)}`, 'Use "rejected" or "busy", or leave Reason out.');
				}
				event.reason = entry.reason;
			}
			if (given('schedule')) {
				if (!isWholeNumber(entry.schedule, 1)) {
					return at('schedule', `Schedule must be a whole number of seconds greater than 0, not ${describe(entry.schedule)}`, 'Set after how many seconds to hang up, or leave Schedule out to hang up at once.');
				}
				event.schedule = entry.schedule;
			}
			break;
		}
	}
	return { event };
}

function isWholeNumber(value: unknown, minimum: number): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= minimum;
}

/** Why a required text attribute is unusable: missing, empty, or not text. */
function emptiness(label: string, value: unknown): string {
	if (value === undefined || value === null) return `${label} is missing`;
	if (typeof value !== 'string') return `${label} must be text, not ${describe(value)}`;
	return `${label} is empty`;
}

function urlProblem(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return emptiness('URL', value);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return `URL "${value}" is not a web address`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `URL "${value}" is not an http or https address`;
	if (value.trim() !== value) return `URL "${value}" has spaces around it`;
	return undefined;
}

function actionList(): string {
	return (Object.keys(CALL_ACTION_LABELS) as CallAction[]).map((action) => `"${action}"`).join(', ');
}

/** The action meant by a near miss such as "sendDtmf", "hangUp" or "DTMF". */
function suggestAction(name: string): CallAction | undefined {
	const squashed = name.toLowerCase().replace(/[^a-z]/g, '');
	const aliases: Record<string, CallAction> = {
		speak: 'speak',
		say: 'speak',
		tts: 'speak',
		play: 'play',
		senddtmf: 'send_dtmf',
		dtmf: 'send_dtmf',
		senddigits: 'send_dtmf',
		wait: 'wait',
		pause: 'wait',
		hangup: 'hangup',
	};
	return aliases[squashed];
}

function describe(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'object') return 'an object';
	return String(value);
}
