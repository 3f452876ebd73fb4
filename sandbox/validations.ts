// Phone validation (2FA): request by SMS, IVR or missed call (reverse_cli), verify the PIN,
// status, remote config and checknumber. The PIN reaches the number's inbox the way a phone
// would get it: an SMS, a call that speaks it, or a missed call whose caller number ends with it.

import { createHash, randomInt, randomUUID } from 'node:crypto';

import { hangup, startCall } from './calls';
import { ApiError, notFound } from './http';
import { createMessage, quoteMessage } from './messaging';
import {
	type AnalyzedNumber,
	callerNumberFor,
	canReceiveCalls,
	canReceiveSms,
	describe,
	isMobileType,
	MAGIC,
	numberInfo,
} from './numbers';
import { checkEnabled, checkNotBlocked, isDisabled } from './rules';
import { type CallEvent, IVR_LANGUAGES, plannedDuration } from './callEvents';
import { type Call, fromMicro, type SandboxState, toMicro, type Validation, type ValidationType } from './state';

export const VALIDATION_TYPES: readonly ValidationType[] = ['sms', 'ivr', 'reverse_cli'];
const PREFIX: Record<ValidationType, string> = { sms: 'SMS', ivr: 'IVR', reverse_cli: 'RCL' };

export function methodAvailable(state: SandboxState, n: AnalyzedNumber, type: ValidationType): boolean {
	const operation = `validation.request.${type}`;
	if (isDisabled(state, operation) || state.config.forbiddenOperations.includes(operation)) return false;
	switch (type) {
		case 'sms':
			return canReceiveSms(n.numberType) && n.magic !== MAGIC.NO_SMS_VALIDATION;
		case 'ivr':
			return canReceiveCalls(n.numberType);
		case 'reverse_cli':
			return isMobileType(n.numberType) && n.magic !== MAGIC.NO_REVERSE_CLI;
	}
}

function smsTemplate(state: SandboxState, language: string | null): string {
	return (language !== null ? state.config.smsTemplates[language] : undefined) ?? state.config.smsTemplate;
}

function numericPin(length: number): string {
	let pin = '';
	for (let i = 0; i < length; i++) pin += String(randomInt(10));
	return pin;
}

export interface ValidationRequest {
	number: AnalyzedNumber;
	type: ValidationType;
	language: string | null;
	notificationCallback: string | null;
	platform: string | null;
	androidAppHash: string | null;
	clientIp: string | null;
}

export function requestValidation(state: SandboxState, input: ValidationRequest): Record<string, unknown> {
	const { number: n, type } = input;
	const config = state.config;
	checkEnabled(state, `validation.request.${type}`);
	checkNotBlocked(state, n);
	if (!methodAvailable(state, n, type)) throw new ApiError(8, `${type} is not available for ${n.e164} (${n.numberType})`);
	const window = config.validationRequestsPerNumber > 0 ? state.limits.validationWindow(n.e164, config.validationRequestWindowSeconds) : null;
	if (n.magic === MAGIC.TEMPORARILY_BLOCKED || (window !== null && window.count(state.now()) >= config.validationRequestsPerNumber))
		throw new ApiError(14, `too many validation requests to ${n.e164}`);
	if (type === 'reverse_cli' && config.subscription.limit > 0 && state.counters.cli_validations >= config.subscription.limit)
		throw new ApiError(6, `${state.counters.cli_validations} missed-call validations used of ${config.subscription.limit}`);

	const pin = numericPin(config.pinLength);
	let text = smsTemplate(state, input.language).split('%code%').join(pin);
	if (input.androidAppHash) text = `<#> ${text}\n${input.androidAppHash}`;
	const minuteMicro = toMicro(config.prices.callMinute);
	const cost = type === 'sms' ? quoteMessage(state, text).costMicro : minuteMicro;
	if (!state.canAfford(cost)) throw new ApiError(5, `credit ${fromMicro(state.creditMicro)} USD is below ${fromMicro(cost)} USD`);

	window?.add(state.now());
	const now = state.now();
	const id = `${PREFIX[type]}-${randomUUID().toUpperCase()}`;
	const validation: Validation = {
		id,
		type,
		number: n,
		createdAt: now,
		expiresAt: now + config.validationTtlSeconds * 1000,
		pin,
		attempts: 0,
		validated: false,
		validatedAt: null,
		language: input.language,
		platform: input.platform,
		notificationCallback: input.notificationCallback,
		androidAppHash: input.androidAppHash,
		clientIp: input.clientIp,
		callerNumber: null,
		pinHash: null,
		cliPrefix: null,
		messageId: null,
		callId: null,
		verifications: [],
		serverHangup: false,
	};
	state.remember(state.validations, id, validation);
	state.log.creates.validations++;
	state.log.creates.validationsByType[type]++;

	const response: Record<string, unknown> = { id, type };
	if (type === 'sms') {
		state.counters.sms_validations++;
		createMessage(state, { kind: 'validation', id, validationId: id, from: config.validationSenderId, to: n, text, platform: input.platform, clientIp: input.clientIp });
		validation.messageId = id;
	} else if (type === 'ivr') {
		state.counters.ivr_validations++;
		const spokenPin = pin.split('').join(' ');
		const language = ivrLanguage(input.language);
		validation.callId = id;
		state.addToInbox(n.e164, { kind: 'ivr_call', id, at: now });
		startCall(state, newValidationCall(state, validation, config.defaultCallerId, [
			{ action: 'speak', text: config.ivrTemplate.split('%code%').join(spokenPin), loop: 1, voice: 'WOMAN', language },
		]));
	} else {
		const caller = callerNumberFor(n, () => randomInt(10) / 10);
		const digits = caller.slice(1);
		validation.pin = digits.slice(-4);
		validation.callerNumber = caller;
		validation.pinHash = createHash('sha1').update(digits.slice(-3)).digest('hex');
		validation.cliPrefix = digits.slice(0, 5);
		validation.callId = id;
		response.pin_hash = validation.pinHash;
		response.cli_prefix = validation.cliPrefix;
		state.addToInbox(n.e164, { kind: 'missed_call', id, at: now });
		startCall(state, newValidationCall(state, validation, caller, []));
	}
	response.validation_info = numberInfo(n);
	return response;
}

/** The IVR voice for a validation's language ("it", "pt-BR"...), en-US when none fits. */
function ivrLanguage(language: string | null): string {
	if (!language) return 'en-US';
	const lower = language.toLowerCase();
	const exact = IVR_LANGUAGES.find((l) => l.toLowerCase() === lower);
	if (exact) return exact;
	const preferred: Record<string, string> = { en: 'en-US', es: 'es-ES', pt: 'pt-PT', fr: 'fr-FR' };
	return preferred[lower] ?? IVR_LANGUAGES.find((l) => l.slice(0, 2) === lower) ?? 'en-US';
}

function newValidationCall(state: SandboxState, validation: Validation, from: string, events: CallEvent[]): Call {
	return {
		id: validation.id,
		kind: validation.type === 'ivr' ? 'ivr' : 'reverse_cli',
		validationId: validation.id,
		from,
		to: validation.number,
		ringTimeout: state.config.defaultRingTimeout,
		events,
		plannedSeconds: events.length > 0 ? plannedDuration(events, state.config.playSeconds) : 1,
		status: 'initiated',
		requestDate: state.now(),
		ringingAt: null,
		answeredAt: null,
		endedAt: null,
		endReason: null,
		durationSeconds: null,
		durationBilled: null,
		rateMicro: toMicro(state.config.prices.callMinute),
		chargedMicro: null,
		notificationCallback: null,
		platform: validation.platform,
		clientIp: validation.clientIp,
		driven: false,
		timers: new Set(),
		notified: [],
	};
}

export function getValidation(state: SandboxState, id: string): Validation {
	const validation = state.validations.get(id);
	if (!validation) throw notFound(`no validation ${id}`);
	return validation;
}

function chargedMicro(state: SandboxState, validation: Validation): number {
	if (validation.type === 'sms') return validation.messageId ? (state.messages.get(validation.messageId)?.chargedMicro ?? 0) : 0;
	return validation.callId ? (state.calls.get(validation.callId)?.chargedMicro ?? 0) : 0;
}

/** The body of verify and status. */
export function validationStatus(state: SandboxState, validation: Validation): Record<string, unknown> {
	return {
		number: validation.number.e164,
		validated: validation.validated,
		validation_date: validation.validatedAt === null ? null : Math.floor(validation.validatedAt / 1000),
		charged_amount: fromMicro(chargedMicro(state, validation)),
	};
}

export function verifyValidation(state: SandboxState, validation: Validation, pin: string, useServerHangup: boolean): Record<string, unknown> {
	const now = state.now();
	const record = (result: 'validated' | 'wrong_pin' | 'hangup' | 'already_validated') =>
		validation.verifications.push({ at: now, pin, useServerHangup, result });
	if (validation.validated) {
		record('already_validated');
		return validationStatus(state, validation);
	}
	if (now > validation.expiresAt) throw new ApiError(16, `validation ${validation.id} expired`);
	const call = validation.callId ? state.calls.get(validation.callId) : undefined;
	if (pin === 'HANGUP' && useServerHangup && validation.type === 'reverse_cli') {
		// Not a PIN: the client asks the server to end the missed call before the user answers.
		validation.serverHangup = true;
		if (call) hangup(state, call, 'server_hangup');
		record('hangup');
		return validationStatus(state, validation);
	}
	if (validation.attempts >= state.config.maxVerifyAttempts) throw new ApiError(15, `${validation.attempts} attempts used`);
	validation.attempts++;
	if (pin !== validation.pin) {
		record('wrong_pin');
		return validationStatus(state, validation);
	}
	validation.validated = true;
	validation.validatedAt = now;
	record('validated');
	if (validation.type === 'reverse_cli') {
		state.counters.cli_validations++;
		if (useServerHangup && call) hangup(state, call, 'server_hangup');
	}
	if (validation.notificationCallback)
		state.callbacks.send(
			'validation',
			validation.notificationCallback,
			{ key: validation.id, number: validation.number.e164, description: describe(validation.number) },
			validation.id,
		);
	return validationStatus(state, validation);
}

export function remoteConfig(state: SandboxState, n: AnalyzedNumber, platform: string, language: string | null): Record<string, unknown> {
	const settings = state.config.remoteConfig
		.filter((item) => methodAvailable(state, n, item.type))
		.map((item) => {
			const out: Record<string, unknown> = { type: item.type, max_attempts: item.max_attempts, delay: item.delay };
			if (item.type === 'sms') {
				out.sms_template = smsTemplate(state, language);
				if (platform === 'android' && state.config.androidAppHash) out.android_app_hash = state.config.androidAppHash;
			}
			return out;
		});
	return { settings, ...numberInfo(n) };
}

export function checkNumber(state: SandboxState, n: AnalyzedNumber): Record<string, unknown> {
	const sms = fromMicro(toMicro(state.config.prices.sms));
	const minute = fromMicro(toMicro(state.config.prices.callMinute));
	return {
		...numberInfo(n),
		validation_methods: {
			sms: { available: methodAvailable(state, n, 'sms'), min_rate: sms, max_rate: sms },
			ivr: { available: methodAvailable(state, n, 'ivr'), min_rate: minute, max_rate: minute, estimation_cost: minute },
			reverse_cli: { available: methodAvailable(state, n, 'reverse_cli'), min_rate: minute, max_rate: minute, estimation_cost: minute },
			cli: { available: false, local_number: false },
		},
	};
}
