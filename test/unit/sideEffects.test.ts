// The retry rule: which failed attempts may be sent again, by what the request does at CheckMobi,
// and after which ones CheckMobi may have acted (what a later try of Retry On Fail must not send again).
import { mayHaveActed, mayRepeat } from '../../nodes/CheckMobi/transport/sideEffects';
import type { SideEffect } from '../../nodes/CheckMobi/transport/sideEffects';

const outcomes = {
	'no connection made': { transient: true, notSent: true, notDone: false },
	'HTTP 502 or 503': { transient: true, notSent: false, notDone: true },
	'HTTP 500 or 504, a time-out, a reset, a garbled answer': { transient: true, notSent: false, notDone: false },
	'a CheckMobi error code (a refusal)': { transient: false, notSent: false, notDone: false },
};

test.each<[SideEffect, Record<keyof typeof outcomes, boolean>]>([
	['none', { 'no connection made': true, 'HTTP 502 or 503': true, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': true, 'a CheckMobi error code (a refusal)': false }],
	['charges', { 'no connection made': true, 'HTTP 502 or 503': true, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': false, 'a CheckMobi error code (a refusal)': false }],
	['creates', { 'no connection made': true, 'HTTP 502 or 503': false, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': false, 'a CheckMobi error code (a refusal)': false }],
])('a request with side effect "%s" is sent again after…', (sideEffect, expected) => {
	const seen = Object.fromEntries(Object.entries(outcomes).map(([name, outcome]) => [name, mayRepeat(sideEffect, outcome)]));
	expect(seen).toEqual(expected);
});

test.each<[SideEffect, Record<keyof typeof outcomes, boolean>]>([
	['none', { 'no connection made': false, 'HTTP 502 or 503': false, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': false, 'a CheckMobi error code (a refusal)': false }],
	['charges', { 'no connection made': false, 'HTTP 502 or 503': false, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': true, 'a CheckMobi error code (a refusal)': false }],
	['creates', { 'no connection made': false, 'HTTP 502 or 503': true, 'HTTP 500 or 504, a time-out, a reset, a garbled answer': true, 'a CheckMobi error code (a refusal)': false }],
])('CheckMobi may have done what a request with side effect "%s" asks after…', (sideEffect, expected) => {
	const seen = Object.fromEntries(Object.entries(outcomes).map(([name, outcome]) => [name, mayHaveActed(sideEffect, outcome)]));
	expect(seen).toEqual(expected);
});
