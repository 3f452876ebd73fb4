import { ApiError, payload, requireObject } from '../http';
import { bulkLookup, singleLookup, verifyLookup } from '../lookups';
import { checkEnabled, notificationCallback, parseNumber } from '../rules';
import { fromMicro, toMicro } from '../state';
import type { Route } from './route';

const METHODS = ['verify', 'hlr', 'mnp'];
const BULK_METHODS = ['hlr', 'mnp'];

export const lookupRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v1/lookup/{method}/{number}',
		operation: null,
		handle: ({ state, params }) => {
			const method = params.method;
			if (!METHODS.includes(method)) throw new ApiError(17, `lookup method ${JSON.stringify(method)}`);
			checkEnabled(state, `lookup.${method}`);
			const n = parseNumber(params.number);
			if (method === 'verify') return { status: 200, body: verifyLookup(n) };
			return { status: 200, body: singleLookup(state, n, method as 'hlr' | 'mnp') };
		},
	},
	{
		method: 'POST',
		pattern: '/v1/lookup/{method}',
		operation: null,
		handle: ({ state, params, body: raw }) => {
			const method = params.method;
			if (!BULK_METHODS.includes(method)) throw new ApiError(17, `bulk lookup method ${JSON.stringify(method)}`);
			checkEnabled(state, `lookup.${method}.bulk`);
			const body = requireObject(raw);
			const numbers = body.numbers;
			if (numbers === undefined || numbers === null) throw payload('missing field "numbers"');
			if (!Array.isArray(numbers) || numbers.some((n) => typeof n !== 'string')) throw payload('"numbers" must be an array of strings');
			if (numbers.length === 0) throw payload('"numbers" is empty');
			if (numbers.length > state.config.bulkMaxNumbers) throw payload(`${numbers.length} numbers, at most ${state.config.bulkMaxNumbers} allowed`);
			const callback = notificationCallback(state, body, true) as string;
			const price = toMicro(method === 'hlr' ? state.config.prices.hlr : state.config.prices.mnp);
			if (!state.canAfford(price)) throw new ApiError(5, `credit ${fromMicro(state.creditMicro)} USD is below one lookup`);
			return { status: 200, body: bulkLookup(state, method as 'hlr' | 'mnp', numbers as string[], callback) };
		},
	},
];
