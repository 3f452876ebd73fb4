import { randomUUID } from 'node:crypto';

import { cdr, hangup, startCall } from '../calls';
import { parseEvents, plannedDuration } from '../callEvents';
import { ApiError, notFound, optionalPlatform, optionalString, parseId, payload, requireObject } from '../http';
import { numberInfo } from '../numbers';
import { checkNotBlocked, clientIp, notificationCallback, parseNumber } from '../rules';
import { fromMicro, toMicro } from '../state';
import type { Route } from './route';

export const callRoutes: Route[] = [
	{
		method: 'POST',
		pattern: '/v1/call',
		operation: 'call.create',
		handle: ({ state, body: raw, headers }) => {
			const body = requireObject(raw);
			const toRaw = body.to;
			if (toRaw === undefined || toRaw === null) throw payload('missing field "to"');
			if (typeof toRaw !== 'string') throw payload('"to" must be a string');
			const fromRaw = optionalString(body, 'from');
			let ringTimeout = state.config.defaultRingTimeout;
			if (body.ring_timeout !== undefined && body.ring_timeout !== null) {
				const value = body.ring_timeout;
				if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 120)
					throw payload('"ring_timeout" must be an integer between 1 and 120');
				ringTimeout = value;
			}
			const platform = optionalPlatform(body);
			const callback = notificationCallback(state, body);
			if (body.events === undefined || body.events === null) throw payload('missing field "events"');
			const events = parseEvents(body.events);
			if (!events.ok) throw new ApiError(10, events.reason);
			const to = parseNumber(toRaw, 'to');
			const from = fromRaw === null ? state.config.defaultCallerId : parseNumber(fromRaw, 'from').e164;
			checkNotBlocked(state, to);
			const rateMicro = toMicro(state.config.prices.callMinute);
			if (!state.canAfford(rateMicro)) throw new ApiError(5, `credit ${fromMicro(state.creditMicro)} USD is below one minute (${fromMicro(rateMicro)} USD)`);
			if (state.config.maxConcurrentCalls > 0 && state.activeVoiceCalls >= state.config.maxConcurrentCalls)
				throw new ApiError(12, `max_concurrent_calls ${state.config.maxConcurrentCalls}`);
			if (!state.limits.calls.tryAdd(state.now(), state.config.callPerMinute)) throw new ApiError(12, `call_per_minute ${state.config.callPerMinute}`);
			state.counters.voice_api++;
			state.log.creates.calls++;
			const id = `CAL-${randomUUID().toUpperCase()}`;
			startCall(state, {
				id,
				kind: 'voice',
				validationId: null,
				from,
				to,
				ringTimeout,
				events: events.events,
				plannedSeconds: plannedDuration(events.events, state.config.playSeconds),
				status: 'initiated',
				requestDate: state.now(),
				ringingAt: null,
				answeredAt: null,
				endedAt: null,
				endReason: null,
				durationSeconds: null,
				durationBilled: null,
				rateMicro,
				chargedMicro: null,
				notificationCallback: callback,
				platform,
				clientIp: clientIp(headers),
				driven: false,
				timers: new Set(),
				notified: [],
			});
			state.addToInbox(to.e164, { kind: 'call', id, at: state.now() });
			return { status: 200, body: { id, number_info: numberInfo(to) } };
		},
	},
	{
		method: 'GET',
		pattern: '/v1/call/{id}',
		operation: 'call.get',
		handle: ({ state, params }) => {
			const id = parseId(params.id);
			const call = state.calls.get(id);
			if (!call || call.kind !== 'voice') throw notFound(`no call ${id}`);
			return { status: 200, body: cdr(call) };
		},
	},
	{
		method: 'DELETE',
		pattern: '/v1/call/{id}',
		operation: 'call.hangup',
		handle: ({ state, params }) => {
			const id = parseId(params.id);
			const call = state.calls.get(id);
			if (!call) throw notFound(`no call ${id}`);
			hangup(state, call, 'api');
			return { status: 204 };
		},
	},
];
