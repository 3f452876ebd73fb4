import { fromMicro } from '../state';
import type { Route } from './route';

export const accountRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v1/my-account',
		operation: 'account',
		handle: ({ state }) => {
			const c = state.config;
			return {
				status: 200,
				body: {
					email: c.email,
					subscription: { id: c.subscription.id, name: c.subscription.name, limit: c.subscription.limit },
					cli_validations: state.counters.cli_validations,
					sms_validations: state.counters.sms_validations,
					ivr_validations: state.counters.ivr_validations,
					sms_api: state.counters.sms_api,
					voice_api: state.counters.voice_api,
					expiration_date: state.expirationDate(),
					credit_balance: fromMicro(state.creditMicro),
					call_per_minute: c.callPerMinute,
					sms_per_minute: c.smsPerMinute,
					max_concurrent_calls: c.maxConcurrentCalls,
				},
			};
		},
	},
];
