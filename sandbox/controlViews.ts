// The shapes of the control API's answers: its handlers (control*.ts) return them and SandboxControl
// (client.ts) hands them to tests, so one declaration holds both sides.

import type { CallbackDelivery } from './callbacks';
import type { CreateCounters, LoggedRequest } from './requestLog';
import type { PendingTransition } from './scheduler';
import type { BulkLookup, Call, InboxKind, Message, Validation } from './state';

export type { SmsStatus } from './state';

// An object's view is its record in state.ts less the internal fields, numbers as E.164 and
// micro-dollars as USD: a field renamed there fails the type-check of the render and of its readers.

export interface MessageView extends Omit<Message, 'to' | 'rateMicro' | 'chargedMicro' | 'timer'> {
	to: string;
	chargedAmount: number;
	chargedRate: number;
}

export interface CallView extends Omit<Call, 'to' | 'events' | 'rateMicro' | 'chargedMicro' | 'timers'> {
	to: string;
	/** The call's events as parsed (CallEvent), loosely typed so that a test reads any field. */
	events: Array<Record<string, unknown>>;
	spokenText: string;
	chargedAmount: number | null;
	chargedRate: number;
}

export interface ValidationView extends Omit<Validation, 'number' | 'messageId' | 'callId'> {
	number: string;
	expired: boolean;
	maxAttempts: number;
	message: MessageView | null;
	call: CallView | null;
}

export interface InboxEntry {
	kind: InboxKind;
	id: string;
	at: number;
	from: string;
	/** SMS: its text. */
	text?: string;
	/** SMS status, or call status. */
	status: string;
	endReason?: string | null;
	answered?: boolean;
	/** Calls: what was said, once answered. */
	spokenText?: string | null;
	validationId: string | null;
	/** The PIN this entry gives its reader (validation SMS, answered IVR call, missed call's last 4 digits). */
	pin: string | null;
}

export interface Inbox {
	number: string;
	lastPin: string | null;
	entries: InboxEntry[];
}

export interface LoggedRequestView extends LoggedRequest {
	json: unknown;
}

export interface RequestLogPage {
	total: number;
	lastSeq: number;
	dropped: number;
	entries: LoggedRequestView[];
}

export interface SandboxStats {
	now: number;
	requests: number;
	retainedRequests: number;
	droppedRequests: number;
	byEndpoint: Record<string, { count: number; statuses: Record<string, number> }>;
	errorCodes: Record<string, number>;
	limitErrors: number;
	creates: CreateCounters;
	account: { sms_validations: number; ivr_validations: number; cli_validations: number; sms_api: number; voice_api: number; creditBalance: number };
	callbacks: { deliveries: number; attempts: number; delivered: number; failed: number; inFlight: number; droppedRecords: number };
	pendingTransitions: number;
	objects: { validations: number; messages: number; calls: number; bulkLookups: number };
	internalErrors: Array<{ at: number; label: string; message: string }>;
}

export interface CallbackView extends CallbackDelivery {
	json: unknown;
}

export interface CallbackLog {
	dropped: number;
	inFlight: number;
	deliveries: CallbackView[];
}

export interface HealthView {
	ok: boolean;
	now: number;
	uptimeMs: number;
	secretKey: string;
	signatureKey: string;
}

export interface AdvanceView {
	ran: number;
	now: number;
	pending: number;
	settled: boolean | null;
}

export interface SettleView {
	settled: boolean;
	inFlight: number;
}

export interface ClockView {
	now: number;
	pending: PendingTransition[];
}

/** A bulk lookup, with the count of its numbers instead of the numbers. */
export interface BulkView extends Omit<BulkLookup, 'numbers'> {
	accepted: number;
}

export interface CallbackFilter {
	kind?: 'validation' | 'sms' | 'call' | 'lookup' | 'manual';
	objectId?: string;
	url?: string;
	since?: number;
}
