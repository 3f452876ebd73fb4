// The events of POST /call: validation by the reference's rules (error 10 otherwise) and an
// estimate of how long the call lasts once answered.

export const IVR_LANGUAGES = [
	'da-DK', 'nl-NL', 'en-AU', 'en-GB', 'en-US', 'fr-FR', 'fr-CA', 'de-DE',
	'it-IT', 'pl-PL', 'pt-PT', 'pt-BR', 'ru-RU', 'es-ES', 'es-US', 'sv-SE',
];
const LANGUAGE_BY_LOWER = new Map(IVR_LANGUAGES.map((l) => [l.toLowerCase(), l]));
/** Languages of the reference's IVR table without a MAN voice. */
const WOMAN_ONLY = new Set(['da-DK', 'fr-CA', 'pt-PT', 'ru-RU', 'sv-SE']);

export type CallEvent =
	| { action: 'speak'; text: string; loop: number; voice: 'WOMAN' | 'MAN'; language: string }
	| { action: 'play'; url: string; loop: number }
	| { action: 'send_dtmf'; digits: string; async: boolean }
	| { action: 'wait'; length: number }
	| { action: 'hangup'; reason: 'rejected' | 'busy' | null; schedule: number | null };

export type ParsedEvents = { ok: true; events: CallEvent[] } | { ok: false; reason: string };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function parseOne(raw: unknown, index: number): CallEvent | string {
	const at = `events[${index}]`;
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `${at} is not an object`;
	const e = raw as Record<string, unknown>;
	const loop = (): number | string => {
		if (e.loop === undefined) return 1;
		return isInt(e.loop) && e.loop >= 0 ? e.loop : `${at}.loop must be an integer >= 0`;
	};
	switch (e.action) {
		case 'speak': {
			if (typeof e.text !== 'string' || e.text.trim() === '') return `${at}.text is required`;
			const l = loop();
			if (typeof l === 'string') return l;
			if (e.voice !== undefined && e.voice !== 'WOMAN' && e.voice !== 'MAN') return `${at}.voice must be WOMAN or MAN`;
			let language = 'en-US';
			if (e.language !== undefined) {
				const known = typeof e.language === 'string' ? LANGUAGE_BY_LOWER.get(e.language.toLowerCase()) : undefined;
				if (!known) return `${at}.language is not a supported IVR language`;
				language = known;
			}
			// "Language has priority in front of voice type": a voice the language lacks is not an error.
			const voice = WOMAN_ONLY.has(language) ? 'WOMAN' : ((e.voice as 'WOMAN' | 'MAN' | undefined) ?? 'WOMAN');
			return { action: 'speak', text: e.text, loop: l, voice, language };
		}
		case 'play': {
			if (typeof e.url !== 'string') return `${at}.url is required`;
			try {
				const url = new URL(e.url);
				if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${at}.url must be an http(s) URL`;
			} catch {
				return `${at}.url is not a URL`;
			}
			const l = loop();
			if (typeof l === 'string') return l;
			return { action: 'play', url: e.url, loop: l };
		}
		case 'send_dtmf': {
			if (typeof e.digits !== 'string' || !/^[0-9*#wW]+$/.test(e.digits)) return `${at}.digits must be made of 0-9 * # w W`;
			if (e.async !== undefined && typeof e.async !== 'boolean') return `${at}.async must be a boolean`;
			return { action: 'send_dtmf', digits: e.digits, async: e.async !== false };
		}
		case 'wait': {
			if (e.length !== undefined && !(isInt(e.length) && e.length > 0)) return `${at}.length must be an integer > 0`;
			return { action: 'wait', length: (e.length as number | undefined) ?? 1 };
		}
		case 'hangup': {
			if (e.reason !== undefined && e.reason !== 'rejected' && e.reason !== 'busy') return `${at}.reason must be rejected or busy`;
			if (e.schedule !== undefined && !(isInt(e.schedule) && e.schedule > 0)) return `${at}.schedule must be an integer > 0`;
			return { action: 'hangup', reason: (e.reason as 'rejected' | 'busy' | undefined) ?? null, schedule: (e.schedule as number | undefined) ?? null };
		}
		case undefined:
			return `${at}.action is required`;
		default:
			return `${at}.action ${JSON.stringify(e.action)} is not one of speak, play, send_dtmf, wait, hangup`;
	}
}

/** Accepts an array of events, or (as very old SDKs sent) a JSON string holding one. */
export function parseEvents(raw: unknown): ParsedEvents {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return { ok: false, reason: 'events is a string that is not JSON' };
		}
	}
	if (!Array.isArray(value)) return { ok: false, reason: 'events must be an array' };
	if (value.length === 0) return { ok: false, reason: 'events must hold at least one event' };
	const events: CallEvent[] = [];
	for (let i = 0; i < value.length; i++) {
		const parsed = parseOne(value[i], i);
		if (typeof parsed === 'string') return { ok: false, reason: parsed };
		events.push(parsed);
	}
	return { ok: true, events };
}

/** Speech at about 15 characters a second. */
export function speakSeconds(text: string): number {
	return Math.max(1, Math.ceil(Array.from(text).length / 15));
}

function dtmfSeconds(digits: string): number {
	let s = 0;
	for (const ch of digits) s += ch === 'w' ? 0.5 : ch === 'W' ? 1 : 0.25;
	return s;
}

/**
 * Seconds from answer to hangup, or null when the events never end by themselves (a loop of 0
 * without a scheduled hangup): such a call lasts until it is hung up.
 */
export function plannedDuration(events: CallEvent[], playSeconds: number): number | null {
	let t = 0;
	let deadline = Infinity;
	for (const event of events) {
		if (t >= deadline) break;
		switch (event.action) {
			case 'speak':
				t = event.loop === 0 ? Infinity : t + speakSeconds(event.text) * event.loop;
				break;
			case 'play':
				t = event.loop === 0 ? Infinity : t + playSeconds * event.loop;
				break;
			case 'send_dtmf':
				t += event.async ? 0.25 : dtmfSeconds(event.digits);
				break;
			case 'wait':
				t += event.length;
				break;
			case 'hangup':
				if (event.schedule !== null) deadline = Math.min(deadline, t + event.schedule);
				else deadline = Math.min(deadline, t);
				break;
		}
	}
	const end = Math.min(t, deadline);
	return Number.isFinite(end) ? Math.max(1, Math.ceil(end)) : null;
}

/** What the callee hears (speak texts, once each). */
export function spokenText(events: CallEvent[]): string {
	return events
		.filter((e): e is Extract<CallEvent, { action: 'speak' }> => e.action === 'speak')
		.map((e) => e.text)
		.join(' ');
}
