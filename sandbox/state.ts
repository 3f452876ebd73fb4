// Everything the sandbox remembers: the account, the objects created through the API
// (validations, messages, calls, bulk lookups), each number's inbox, and the parts that hold
// their own state (clock, limits, callbacks, faults, request log). reset() returns to a fresh start.

import type { CallEvent } from './callEvents';
import { CallbackDispatcher } from './callbacks';
import { defaultConfig, mergeConfig, type SandboxConfig } from './config';
import { Faults } from './faults';
import { Limits } from './limits';
import type { AnalyzedNumber } from './numbers';
import { RequestLog } from './requestLog';
import { Scheduler } from './scheduler';

export type ValidationType = 'sms' | 'ivr' | 'reverse_cli';
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'rejected';
export const SMS_STATUSES: readonly SmsStatus[] = ['queued', 'sent', 'delivered', 'failed', 'undelivered', 'rejected'];

export interface Verification {
	at: number;
	pin: string;
	useServerHangup: boolean;
	result: 'validated' | 'wrong_pin' | 'hangup' | 'already_validated';
}

export interface Validation {
	id: string;
	type: ValidationType;
	number: AnalyzedNumber;
	createdAt: number;
	expiresAt: number;
	pin: string;
	/** Verify calls that counted against maxVerifyAttempts. */
	attempts: number;
	validated: boolean;
	validatedAt: number | null;
	language: string | null;
	platform: string | null;
	notificationCallback: string | null;
	androidAppHash: string | null;
	clientIp: string | null;
	/** reverse_cli: the number that rings the user, its hash and prefix as answered. */
	callerNumber: string | null;
	pinHash: string | null;
	cliPrefix: string | null;
	/** sms: the message carrying the PIN; ivr/reverse_cli: the call (same id as the validation). */
	messageId: string | null;
	callId: string | null;
	verifications: Verification[];
	/** reverse_cli: the client asked the server to end the missed call (HANGUP). */
	serverHangup: boolean;
}

export interface Message {
	id: string;
	kind: 'api' | 'validation';
	validationId: string | null;
	from: string;
	to: AnalyzedNumber;
	text: string;
	encoding: 'GSM-7' | 'UCS-2';
	units: number;
	rateMicro: number;
	chargedMicro: number;
	isTransactional: boolean;
	platform: string | null;
	notificationCallback: string | null;
	requestDate: number;
	status: SmsStatus;
	history: Array<{ status: SmsStatus; at: number; by: 'sandbox' | 'control' }>;
	timer: number | null;
	clientIp: string | null;
}

export type CallStatus = 'initiated' | 'ringing' | 'answered' | 'ended';
export type CallEndReason = 'completed' | 'no_answer' | 'busy' | 'rejected' | 'api' | 'user' | 'server_hangup' | 'timeout';

export interface Call {
	id: string;
	kind: 'voice' | 'ivr' | 'reverse_cli';
	validationId: string | null;
	from: string;
	to: AnalyzedNumber;
	ringTimeout: number;
	events: CallEvent[];
	/** Call seconds from answer to the natural end; null = until hung up. */
	plannedSeconds: number | null;
	status: CallStatus;
	requestDate: number;
	ringingAt: number | null;
	answeredAt: number | null;
	endedAt: number | null;
	endReason: CallEndReason | null;
	durationSeconds: number | null;
	durationBilled: number | null;
	rateMicro: number;
	chargedMicro: number | null;
	notificationCallback: string | null;
	platform: string | null;
	clientIp: string | null;
	/** True once the control API answered/rejected it: no automatic answer any more. */
	driven: boolean;
	timers: Set<number>;
	/** Call events notified so far (ringing, answer, hangup). */
	notified: Array<'ringing' | 'answer' | 'hangup'>;
}

export interface BulkLookup {
	id: string;
	/** verify: batches of number validations, sent only through the control API (see README). */
	method: 'hlr' | 'mnp' | 'verify';
	notificationCallback: string;
	createdAt: number;
	/** Accepted numbers exactly as sent. */
	numbers: string[];
	batches: number;
	batchesDone: number;
	/** Set when a batch failed (e.g. credit ran out): the rest are cancelled with it. */
	error: { error: number; description: string } | null;
}

export type InboxKind = 'sms' | 'ivr_call' | 'missed_call' | 'call';
export interface InboxRef {
	kind: InboxKind;
	id: string;
	at: number;
}

export const toMicro = (usd: number): number => Math.round(usd * 1_000_000);
export const fromMicro = (micro: number): number => micro / 1_000_000;

export interface Keys {
	secretKey: string;
	signatureKey: string;
}

export class SandboxState {
	config: SandboxConfig;
	readonly scheduler: Scheduler;
	readonly callbacks: CallbackDispatcher;
	readonly faults = new Faults();
	readonly log: RequestLog;
	limits = new Limits();
	readonly startedAt = Date.now();
	/** Bugs inside timed transitions (should stay empty). */
	internalErrors: Array<{ at: number; label: string; message: string }> = [];

	creditMicro: number;
	counters = { sms_validations: 0, ivr_validations: 0, cli_validations: 0, sms_api: 0, voice_api: 0 };
	validations = new Map<string, Validation>();
	messages = new Map<string, Message>();
	calls = new Map<string, Call>();
	bulks = new Map<string, BulkLookup>();
	inbox = new Map<string, InboxRef[]>();
	/** Error 12 answers (limits), unbounded. */
	limitErrors = 0;
	/** Calls of POST /call not yet ended (max_concurrent_calls). */
	activeVoiceCalls = 0;

	constructor(
		readonly keys: Keys,
		private readonly initialPatch: Partial<SandboxConfig> = {},
	) {
		this.config = mergeConfig(defaultConfig(), initialPatch);
		this.scheduler = new Scheduler((label, error) => {
			if (this.internalErrors.length < 100)
				this.internalErrors.push({ at: this.now(), label, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
		});
		this.callbacks = new CallbackDispatcher({ now: () => this.now(), config: () => this.config, keys: () => this.keys });
		this.log = new RequestLog(this.config.requestLogSize);
		this.creditMicro = toMicro(this.config.creditBalance);
	}

	now(): number {
		return this.scheduler.now();
	}

	nowSeconds(): number {
		return Math.floor(this.now() / 1000);
	}

	/** Current config, with the live credit balance. */
	currentConfig(): SandboxConfig {
		return { ...structuredClone(this.config), creditBalance: fromMicro(this.creditMicro) };
	}

	patchConfig(patch: unknown): SandboxConfig {
		const next = mergeConfig(this.config, patch);
		if (patch && typeof patch === 'object' && 'creditBalance' in patch) this.creditMicro = toMicro(next.creditBalance);
		if (next.requestLogSize !== this.config.requestLogSize) this.log.resize(next.requestLogSize);
		if (next.callbackLogSize !== this.config.callbackLogSize) this.callbacks.resize(next.callbackLogSize);
		this.config = next;
		return this.currentConfig();
	}

	/** Back to the state of a fresh start (config = start options' config, then `patch`). */
	reset(patch?: unknown): void {
		this.scheduler.clear();
		this.scheduler.resetClock();
		this.config = mergeConfig(mergeConfig(defaultConfig(), this.initialPatch), patch ?? {});
		this.callbacks.reset();
		this.faults.reset();
		this.log.reset(this.config.requestLogSize);
		this.limits = new Limits();
		this.internalErrors = [];
		this.creditMicro = toMicro(this.config.creditBalance);
		this.counters = { sms_validations: 0, ivr_validations: 0, cli_validations: 0, sms_api: 0, voice_api: 0 };
		this.validations = new Map();
		this.messages = new Map();
		this.calls = new Map();
		this.bulks = new Map();
		this.inbox = new Map();
		this.limitErrors = 0;
		this.activeVoiceCalls = 0;
	}

	/**
	 * Stores an object, forgetting the oldest ones beyond config.maxStoredObjects (long benchmarks
	 * must not grow without bound). Forgotten objects still finish their timers; lookups of their
	 * ids answer 404.
	 */
	remember<K, V>(map: Map<K, V>, key: K, value: V): void {
		map.set(key, value);
		const limit = Math.max(1, this.config.maxStoredObjects);
		if (map.size <= limit) return;
		let excess = map.size - limit + Math.ceil(limit / 10);
		for (const oldest of map.keys()) {
			if (excess-- <= 0) break;
			map.delete(oldest);
		}
	}

	canAfford(micro: number): boolean {
		return this.creditMicro >= micro;
	}

	charge(micro: number): void {
		this.creditMicro -= micro;
	}

	refund(micro: number): void {
		this.creditMicro += micro;
	}

	addToInbox(number: string, ref: InboxRef): void {
		let list = this.inbox.get(number);
		if (!list) {
			list = [];
			this.remember(this.inbox, number, list);
		}
		list.push(ref);
		const max = Math.max(1, this.config.inboxSizePerNumber);
		if (list.length > max) list.splice(0, list.length - max);
	}

	expirationDate(): number {
		return this.config.expirationDate ?? Math.floor(this.startedAt / 1000) + 365 * 86400;
	}

	close(): void {
		this.scheduler.clear();
		this.callbacks.close();
	}
}
