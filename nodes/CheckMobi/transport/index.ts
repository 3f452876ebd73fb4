import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	AnswerAbortedError,
	AnswerTooLargeError,
	beforeDeadline,
	describeRedirect,
	discardBody,
	isRedirect,
	MAX_ANSWER_BYTES,
	readAnswerBody,
	REDIRECT_FIX,
} from './answer';
import {
	asCheckMobiError,
	describeBody,
	describeCode,
	describeDuration,
	describeNonJson,
	findErrorCode,
	parseJson,
	redact,
} from './wording';
import { CREDENTIALS_TYPE } from '../../shared/credentials';
import type { CheckMobiContext } from './target';
import { checkMobiTarget, getCredentials } from './target';
import { CHECKMOBI_ERRORS, HTTP_STATUS_HELP } from './errors';
import type { AttemptOutcome, SideEffect } from './sideEffects';
import { mayHaveActed, mayRepeat } from './sideEffects';
import type { TransportSettings } from './settings';

export type { SideEffect } from './sideEffects';
export type { TransportSettings } from './settings';
export { DEFAULT_TRANSPORT_SETTINGS } from './settings';

const DEFAULT_TIMEOUT_MS = 30_000;

export type { CheckMobiContext, CheckMobiTarget } from './target';
export { checkMobiTarget } from './target';

export interface CheckMobiRequest {
	method: 'GET' | 'POST' | 'DELETE';
	/** Path under /v1, for example `/sms/send`. */
	path: string;
	body?: IDataObject;
	/** The end customer's IP, sent as X-Client-IP for CheckMobi's anti-fraud rules. */
	clientIp?: string;
	/** Milliseconds the whole answer may take (a deadline per attempt). */
	timeout?: number;
	/** What the request does at CheckMobi (its operation's declaration): decides whether a failure is retried. */
	sideEffect: SideEffect;
}

export type CheckMobiResponse = IDataObject | IDataObject[] | undefined;

interface HttpAnswer {
	statusCode: number;
	body: string;
	contentType: string;
}

/** Why one attempt failed, and whether another attempt may help. */
interface AttemptFailure extends AttemptOutcome {
	error: NodeApiError;
	/** No other attempt can help, whatever the side effect: the execution was cancelled, or the answer cannot be CheckMobi's. */
	final: boolean;
}

/** What an attempt is waiting on: its own deadline, and the execution's cancellation. */
interface AttemptSignals {
	deadline: AbortSignal;
	cancel?: AbortSignal;
	/** Either of the two. */
	any: AbortSignal;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Errors after which CheckMobi may have done what the request asked (see checkMobiMayHaveActed). */
const actedErrors = new WeakSet<Error>();

/**
 * Whether a request that failed with this error may have created or charged something at CheckMobi,
 * so that it must not be sent again (n8n's Retry On Fail included). False for refusals, for
 * failures before anything was sent, for reads and for errors this transport did not make.
 */
export function checkMobiMayHaveActed(error: unknown): boolean {
	return error instanceof Error && actedErrors.has(error);
}

function executionCancelSignal(context: CheckMobiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/**
 * Makes one CheckMobi API call: JSON in and out, errors turned into NodeApiErrors that say
 * what to do, failures retried with back-off as far as the request's side effect allows: a
 * request that creates or charges something is never sent again once CheckMobi may have done it.
 */
export async function checkMobiApiRequest(
	this: CheckMobiContext,
	request: CheckMobiRequest,
	{ retryDelaysMs }: TransportSettings,
): Promise<CheckMobiResponse> {
	const credentials = await getCredentials.call(this);
	const secrets = [credentials.secretKey, credentials.signatureKey].filter(
		(value): value is string => typeof value === 'string' && value.length > 0,
	);
	const options = buildHttpOptions(request, (await checkMobiTarget.call(this)).apiBaseUrl);
	const cancel = executionCancelSignal(this);

	for (let attempt = 0; ; attempt++) {
		const outcome = await attemptOnce.call(this, options, request, credentials, secrets, cancel);
		if (!('error' in outcome)) return outcome.data;

		if (outcome.final || !mayRepeat(request.sideEffect, outcome) || cancel?.aborted || attempt >= retryDelaysMs.length) throw outcome.error;
		await sleep(retryDelaysMs[attempt]);
		if (cancel?.aborted) throw outcome.error;
	}
}

function buildHttpOptions(request: CheckMobiRequest, baseURL: string): IHttpRequestOptions {
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.body !== undefined) headers['Content-Type'] = 'application/json';
	if (request.clientIp) headers['X-Client-IP'] = request.clientIp;
	return {
		baseURL,
		url: request.path,
		method: request.method,
		headers,
		body: request.body,
		timeout: request.timeout ?? DEFAULT_TIMEOUT_MS,
		// Read here, within the deadline and the size limit, as raw text (so that empty, HTML and
		// broken bodies can be told apart from JSON).
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// CheckMobi never redirects; following one would hand the secret key to another host.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
}

async function attemptOnce(
	this: CheckMobiContext,
	options: IHttpRequestOptions,
	request: CheckMobiRequest,
	credentials: ICredentialDataDecryptedObject,
	secrets: string[],
	cancel: AbortSignal | undefined,
): Promise<{ data: CheckMobiResponse } | AttemptFailure> {
	// n8n hands its request helper the execution's cancel signal, not ours: the deadline is kept here.
	const deadline = AbortSignal.timeout(options.timeout ?? DEFAULT_TIMEOUT_MS);
	const signals: AttemptSignals = { deadline, cancel, any: cancel ? AbortSignal.any([deadline, cancel]) : deadline };
	let answer: HttpAnswer;
	try {
		type FullResponse = { statusCode: number; body: unknown; headers?: IDataObject };
		const response = await beforeDeadline(
			this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIALS_TYPE,
				// n8n's authentication adds the Authorization header to the options it is given.
				{ ...options, headers: { ...options.headers } },
				{ credentialsDecrypted: { id: '', name: '', type: CREDENTIALS_TYPE, data: credentials } },
			) as Promise<FullResponse>,
			signals.any,
			(late) => discardBody(late.body),
		);
		if (isRedirect(response.statusCode)) {
			discardBody(response.body);
			return failure.call(this, request, secrets, {
				message: describeRedirect(response.statusCode, response.headers?.location, `${options.baseURL}${options.url}`),
				fix: REDIRECT_FIX,
				httpCode: response.statusCode,
				transient: false,
			});
		}
		answer = {
			statusCode: response.statusCode,
			body: await readAnswerBody(response.body, signals.any, MAX_ANSWER_BYTES),
			contentType: String(response.headers?.['content-type'] ?? ''),
		};
	} catch (error) {
		return networkFailure.call(this, error, options, request, secrets, signals);
	}
	return interpretAnswer.call(this, answer, request, secrets);
}

function interpretAnswer(
	this: CheckMobiContext,
	answer: HttpAnswer,
	request: CheckMobiRequest,
	secrets: string[],
): { data: CheckMobiResponse } | AttemptFailure {
	const { statusCode } = answer;
	const text = answer.body.trim();

	if (statusCode >= 200 && statusCode < 300) {
		if (statusCode === 204) return { data: undefined };
		const parsed = parseJson(text);
		// CheckMobi's error body is exactly {code, error}; trust it even under a 2xx status.
		const apiError = parsed.ok ? asCheckMobiError(parsed.value, true) : undefined;
		if (apiError) return checkMobiFailure.call(this, apiError, statusCode, request, secrets);
		if (parsed.ok && parsed.value !== null && typeof parsed.value === 'object') {
			return { data: parsed.value as IDataObject | IDataObject[] };
		}
		const what = text === '' ? 'an empty answer' : describeNonJson(text, answer.contentType);
		return failure.call(this, request, secrets, {
			message: `CheckMobi sent ${what} instead of JSON (HTTP ${statusCode})`,
			fix: advice(request, false, {
				none: 'This is a fault on CheckMobi\'s side or of a proxy in between. Run the workflow again; if it persists, check the Base URL in the credentials.',
				creates: `CheckMobi may have done the work. ${SENT_ONCE}`,
				charges: `CheckMobi may have run the lookup and charged it. ${CHARGED_ONCE}`,
			}),
			httpCode: statusCode,
			transient: true,
		});
	}

	const parsed = parseJson(text);
	const apiError = parsed.ok ? asCheckMobiError(parsed.value) : undefined;
	// A 5xx whose code is none of CheckMobi's (e.g. {"code":0,"error":"Internal Server Error."}) is a
	// server failure: it may pass, and a create may have acted before it.
	const serverFailure = statusCode >= 500 && apiError !== undefined && CHECKMOBI_ERRORS[apiError.code] === undefined;
	if (apiError && !serverFailure) return checkMobiFailure.call(this, apiError, statusCode, request, secrets);

	if (statusCode >= 500) {
		// A gateway (502) or an overloaded service (503) answers before the API does anything.
		const notDone = statusCode === 502 || statusCode === 503;
		return failure.call(this, request, secrets, {
			message: `CheckMobi failed with HTTP ${statusCode}${describeBody(text, answer.contentType)}`,
			fix: advice(request, notDone, {
				none: 'CheckMobi is having trouble; the request was tried 3 times. Run the workflow again later.',
				creates: `CheckMobi may have done the work before failing. ${SENT_ONCE}`,
				charges: `CheckMobi may have run the lookup and charged it before failing. ${CHARGED_ONCE}`,
			}),
			httpCode: statusCode,
			transient: true,
			notDone,
		});
	}

	const help = HTTP_STATUS_HELP[statusCode];
	return failure.call(this, request, secrets, {
		message: `${help?.meaning ?? 'CheckMobi refused the request'} (HTTP ${statusCode})${describeBody(text, answer.contentType)}`,
		fix: help?.fix ?? 'Check the fields of this operation and the Base URL in the credentials.',
		httpCode: statusCode,
		transient: false,
	});
}

function checkMobiFailure(
	this: CheckMobiContext,
	apiError: { code: number; error: string },
	statusCode: number,
	request: CheckMobiRequest,
	secrets: string[],
): AttemptFailure {
	const help = CHECKMOBI_ERRORS[apiError.code];
	const text = apiError.error || help?.meaning || 'Unknown error.';
	// A 403 is about the key whatever code comes with it (the reference names none for it).
	const forbidden = statusCode === 403 ? HTTP_STATUS_HELP[403] : undefined;
	const fix = forbidden
		? `${forbidden.meaning} (HTTP 403). ${forbidden.fix}`
		: help
			? `${help.field ? `Field: ${help.field}. ` : ''}${help.fix}`
			: 'See the CheckMobi error codes in the API reference.';
	return failure.call(this, request, secrets, {
		message: `CheckMobi error ${apiError.code}: ${text}`,
		fix,
		httpCode: statusCode,
		checkMobiCode: apiError.code,
		transient: false,
	});
}

function networkFailure(
	this: CheckMobiContext,
	error: unknown,
	options: IHttpRequestOptions,
	request: CheckMobiRequest,
	secrets: string[],
	signals: AttemptSignals,
): AttemptFailure {
	if (signals.cancel?.aborted) {
		return failure.call(this, request, secrets, {
			message: 'The execution was cancelled before CheckMobi answered',
			fix: advice(request, false, {
				none: 'Nothing more was tried. Run the workflow again when needed.',
				creates: `CheckMobi may have received the request and done the work. ${SENT_ONCE}`,
				charges: `CheckMobi may have received the request, run the lookup and charged it. ${CHARGED_ONCE}`,
			}),
			transient: true,
			final: true,
		});
	}
	if (error instanceof AnswerTooLargeError) {
		const notCheckMobi = "CheckMobi's answers are small, so this answer did not come from CheckMobi: check the Base URL in the CheckMobi API credentials.";
		return failure.call(this, request, secrets, {
			message: `The answer from CheckMobi is larger than ${Math.round(error.limit / 1024 / 1024)} MB: not read`,
			fix: advice(request, false, {
				none: notCheckMobi,
				creates: `${notCheckMobi} CheckMobi may have received the request. ${SENT_ONCE}`,
				charges: `${notCheckMobi} CheckMobi may have received the request and charged it. ${CHARGED_ONCE}`,
			}),
			transient: true,
			final: true,
		});
	}
	const code = signals.deadline.aborted || error instanceof AnswerAbortedError ? 'ETIMEDOUT' : findErrorCode(error);
	const where = `${String(options.baseURL)}${request.path}`;
	if (code && NOT_SENT_CODES.has(code)) {
		return failure.call(this, request, secrets, {
			message: `Cannot reach CheckMobi at ${where} (${describeCode(code)})`,
			fix: 'Check the Base URL in the CheckMobi API credentials and that this n8n can reach it. Nothing was sent.',
			transient: true,
			notSent: true,
		});
	}
	if (code && TIMEOUT_CODES.has(code)) {
		return failure.call(this, request, secrets, {
			message: `No answer from CheckMobi within ${describeDuration(options.timeout ?? DEFAULT_TIMEOUT_MS)}`,
			fix: advice(request, false, {
				none: 'The request was tried 3 times. Raise the Timeout option if answers are slow, or run the workflow again later.',
				creates: `CheckMobi may have received the request and done the work. ${SENT_ONCE} Raise the Timeout option if answers are slow.`,
				charges: `CheckMobi may have received the request, run the lookup and charged it. ${CHARGED_ONCE} Raise the Timeout option if answers are slow.`,
			}),
			transient: true,
		});
	}
	return failure.call(this, request, secrets, {
		message: `The connection to CheckMobi broke (${describeCode(code)})`,
		fix: advice(request, false, {
			none: 'The request was tried 3 times. Run the workflow again later.',
			creates: `CheckMobi may have received the request and done the work. ${SENT_ONCE}`,
			charges: `CheckMobi may have received the request, run the lookup and charged it. ${CHARGED_ONCE}`,
		}),
		transient: true,
	});
}

interface FailureDetails {
	message: string;
	fix: string;
	httpCode?: number;
	checkMobiCode?: number;
	transient: boolean;
	notSent?: boolean;
	notDone?: boolean;
	final?: boolean;
}

function failure(
	this: CheckMobiContext,
	request: CheckMobiRequest,
	secrets: string[],
	details: FailureDetails,
): AttemptFailure {
	const message = redact(details.message, secrets);
	const description = redact(details.fix, secrets);
	const errorResponse: JsonObject = { message, description };
	if (details.checkMobiCode !== undefined) errorResponse.code = details.checkMobiCode;
	if (details.httpCode !== undefined) errorResponse.httpCode = String(details.httpCode);
	const error = new NodeApiError(this.getNode(), errorResponse, {
		message,
		description,
		httpCode: details.httpCode === undefined ? undefined : String(details.httpCode),
	});
	// NodeApiError swaps in its own wording for common HTTP statuses: keep ours, it says more.
	error.message = message;
	error.description = description;
	if (details.checkMobiCode !== undefined) error.context.checkMobiCode = details.checkMobiCode;
	const outcome = { transient: details.transient, notSent: details.notSent ?? false, notDone: details.notDone ?? false };
	if (mayHaveActed(request.sideEffect, outcome)) actedErrors.add(error);
	return { error, ...outcome, final: details.final ?? false };
}

const SENT_ONCE =
	'Check its result (for example with a Get operation) before running this item again; it was not repeated, so nothing was sent twice.';
const CHARGED_ONCE = 'It was not repeated, so it was charged once at most: run this item again only if you still need its answer.';

/**
 * What to do after a passing fault that reached CheckMobi: the `none` text when the request was
 * retried (its side effect allowed it), else the text for what CheckMobi may have done.
 */
function advice(request: CheckMobiRequest, notDone: boolean, texts: Record<SideEffect, string>): string {
	return mayRepeat(request.sideEffect, { transient: true, notSent: false, notDone }) ? texts.none : texts[request.sideEffect];
}
