import { COUNTRIES } from '../countries';
import type { Route } from './route';

export const countryRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/v1/countries',
		operation: 'countries',
		public: true,
		handle: ({ baseUrl }) => ({
			status: 200,
			body: COUNTRIES.map((c) => ({
				iso2: c.iso2,
				name: c.name,
				prefix: c.callingCode,
				flag_32: `${baseUrl}/flags/32/${c.iso2.toLowerCase()}.png`,
				flag_128: `${baseUrl}/flags/128/${c.iso2.toLowerCase()}.png`,
			})),
		}),
	},
	{
		method: 'GET',
		pattern: '/v1/prefixes',
		operation: 'prefixes',
		handle: () => ({
			status: 200,
			body: COUNTRIES.map((c) => ({ iso2: c.iso2, name: c.name, prefix: Number(c.callingCode) })),
		}),
	},
];
