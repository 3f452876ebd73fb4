import { randomUUID } from 'node:crypto';

import { ApiError, notFound, optionalBoolean, optionalPlatform, optionalString, parseId, payload, requiredString, requireObject } from '../http';
import { createMessage, mdr, quoteMessage } from '../messaging';
import { numberInfo } from '../numbers';
import { checkNotBlocked, clientIp, notificationCallback, parseNumber } from '../rules';
import { fromMicro } from '../state';
import type { Route } from './route';

export const smsRoutes: Route[] = [
	{
		method: 'POST',
		pattern: '/v1/sms/send',
		operation: 'sms.send',
		handle: ({ state, body: raw, headers }) => {
			const body = requireObject(raw);
			const toRaw = requiredString(body, 'to');
			const text = requiredString(body, 'text');
			if (text.length === 0) throw payload('"text" is empty');
			// The reference sets no rule for a sender: it is kept as given.
			const from = optionalString(body, 'from');
			const isTransactional = optionalBoolean(body, 'is_transactional') ?? true;
			const platform = optionalPlatform(body);
			const callback = notificationCallback(state, body);
			const to = parseNumber(toRaw, 'to');
			checkNotBlocked(state, to);
			const quote = quoteMessage(state, text);
			if (!state.canAfford(quote.costMicro)) throw new ApiError(5, `credit ${fromMicro(state.creditMicro)} USD is below ${fromMicro(quote.costMicro)} USD`);
			if (!state.limits.sms.tryAdd(state.now(), state.config.smsPerMinute)) throw new ApiError(12, `sms_per_minute ${state.config.smsPerMinute}`);
			state.counters.sms_api++;
			state.log.creates.sms++;
			const message = createMessage(state, {
				kind: 'api',
				id: `MSG-${randomUUID().toUpperCase()}`,
				from: from ?? state.config.defaultSenderId,
				to,
				text,
				isTransactional,
				platform,
				notificationCallback: callback,
				clientIp: clientIp(headers),
			});
			return { status: 200, body: { id: message.id, number_info: numberInfo(to) } };
		},
	},
	{
		method: 'GET',
		pattern: '/v1/sms/{id}',
		operation: 'sms.get',
		handle: ({ state, params }) => {
			const id = parseId(params.id);
			const message = state.messages.get(id);
			if (!message || message.kind !== 'api') throw notFound(`no message ${id}`);
			return { status: 200, body: mdr(message) };
		},
	},
];
