// The shapes of the control API's answers, as SandboxControl (client.ts) returns them.

import type { CallbackDelivery } from './callbacks';
import type { CreateCounters, LoggedRequest } from './requestLog';

export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'rejected';

export interface MessageView {
	id: string;
	kind: 'api' | 'validation';
	validationId: string | null;
	from: string;
	to: string;
	text: string;
	encoding: 'GSM-7' | 'UCS-2';
	units: number;
	status: SmsStatus;
	history: Array<{ status: SmsStatus; at: number; by: 'sandbox' | 'control' }>;
	chargedAmount: number;
	chargedRate: number;
	isTransactional: boolean;
	platform: string | null;
	notificationCallback: string | null;
	requestDate: number;
	clientIp: string | null;
}

export interface CallView {
	id: string;
	kind: 'voice' | 'ivr' | 'reverse_cli';
	validationId: string | null;
	from: string;
	to: string;
	status: 'initiated' | 'ringing' | 'answered' | 'ended';
	ringTimeout: number;
	events: Array<Record<string, unknown>>;
	plannedSeconds: number | null;
	spokenText: string;
	requestDate: number;
	ringingAt: number | null;
	answeredAt: number | null;
	endedAt: number | null;
	endReason: 'completed' | 'no_answer' | 'busy' | 'rejected' | 'api' | 'user' | 'server_hangup' | 'timeout' | null;
	durationSeconds: number | null;
	durationBilled: number | null;
	chargedAmount: number | null;
	chargedRate: number;
	notificationCallback: string | null;
	notified: Array<'ringing' | 'answer' | 'hangup'>;
	driven: boolean;
	platform: string | null;
	clientIp: string | null;
}

export interface ValidationView {
	id: string;
	type: 'sms' | 'ivr' | 'reverse_cli';
	number: string;
	pin: string;
	createdAt: number;
	expiresAt: number;
	expired: boolean;
	attempts: number;
	maxAttempts: number;
	validated: boolean;
	validatedAt: number | null;
	language: string | null;
	platform: string | null;
	notificationCallback: string | null;
	androidAppHash: string | null;
	clientIp: string | null;
	callerNumber: string | null;
	pinHash: string | null;
	cliPrefix: string | null;
	serverHangup: boolean;
	verifications: Array<{ at: number; pin: string; useServerHangup: boolean; result: 'validated' | 'wrong_pin' | 'hangup' | 'already_validated' }>;
	message: MessageView | null;
	call: CallView | null;
}

export interface InboxEntry {
	kind: 'sms' | 'ivr_call' | 'missed_call' | 'call';
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

export interface CallbackFilter {
	kind?: 'validation' | 'sms' | 'call' | 'lookup' | 'manual';
	objectId?: string;
	url?: string;
	since?: number;
}
