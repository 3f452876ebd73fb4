import { ApiError, optionalBoolean, optionalPlatform, optionalString, parseId, payload, requiredString, requireObject } from '../http';
import { clientIp, notificationCallback, parseNumber } from '../rules';
import type { ValidationType } from '../state';
import {
	checkNumber,
	getValidation,
	remoteConfig,
	requestValidation,
	VALIDATION_TYPES,
	validationStatus,
	verifyValidation,
} from '../validations';
import type { Route } from './route';

export const validationRoutes: Route[] = [
	{
		method: 'POST',
		pattern: '/v1/validation/request',
		operation: 'validation.request',
		handle: ({ state, body: raw, headers }) => {
			const body = requireObject(raw);
			const numberRaw = requiredString(body, 'number');
			const type = requiredString(body, 'type');
			const language = optionalString(body, 'language');
			const platform = optionalPlatform(body);
			const androidAppHash = optionalString(body, 'android_app_hash');
			const callback = notificationCallback(state, body);
			const number = parseNumber(numberRaw);
			if (!VALIDATION_TYPES.includes(type as ValidationType)) throw new ApiError(4, `type ${JSON.stringify(type)}`);
			const response = requestValidation(state, {
				number,
				type: type as ValidationType,
				language,
				notificationCallback: callback,
				platform,
				androidAppHash,
				clientIp: clientIp(headers),
			});
			return { status: 200, body: response };
		},
	},
	{
		method: 'POST',
		pattern: '/v1/validation/verify',
		operation: 'validation.verify',
		handle: ({ state, body: raw }) => {
			const body = requireObject(raw);
			const id = parseId(requiredString(body, 'id'));
			const pin = requiredString(body, 'pin');
			const useServerHangup = optionalBoolean(body, 'use_server_hangup') ?? false;
			const validation = getValidation(state, id);
			return { status: 200, body: verifyValidation(state, validation, pin, useServerHangup) };
		},
	},
	{
		method: 'GET',
		pattern: '/v1/validation/status/{id}',
		operation: 'validation.status',
		handle: ({ state, params }) => {
			const validation = getValidation(state, parseId(params.id));
			return { status: 200, body: validationStatus(state, validation) };
		},
	},
	{
		method: 'POST',
		pattern: '/v1/validation/remote-config',
		operation: 'validation.remote-config',
		handle: ({ state, body: raw }) => {
			const body = requireObject(raw);
			const numberRaw = requiredString(body, 'number');
			if (body.platform === undefined || body.platform === null) throw payload('missing field "platform"');
			const platform = optionalPlatform(body) as string;
			const language = optionalString(body, 'language');
			return { status: 200, body: remoteConfig(state, parseNumber(numberRaw), platform, language) };
		},
	},
	{
		method: 'POST',
		pattern: '/v1/checknumber',
		operation: 'checknumber',
		handle: ({ state, body: raw }) => {
			const body = requireObject(raw);
			return { status: 200, body: checkNumber(state, parseNumber(requiredString(body, 'number'))) };
		},
	},
];
