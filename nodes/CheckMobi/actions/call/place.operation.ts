import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { CALL_EVENTS, listed } from '../../../shared/callbackStatuses';
import type { CallEventsCheck } from '../../helpers/callEvents';
import {
	callEventNotes,
	checkCallEvents,
	checkCallEventsJson,
	describeCallEventProblem,
	eventsFromFields,
} from '../../helpers/callEvents';
import { hintOnce } from '../../helpers/hints';
import { toE164 } from '../../helpers/phoneNumber';
import { runsAsTool } from '../../helpers/tool';
import {
	optionsCollection,
	phoneNumberField,
	TO,
	voiceLanguageOptions,
	voiceOptions,
} from '../common.descriptions';
import { readDefaultCountry } from '../defaultCountry';
import { invalidValue, readClientIp, readPhoneNumber } from '../inputs';
import { describeItems } from '../../transport/wording';
import { readCallbackAndPlatform, sendingOptionFields } from '../sendingOptions';
import { withSharedOptions } from '../sharedOptions';
import type { OperationDeclaration, PreparedRequest } from '../types';

const MIN_RING_TIMEOUT = 1;
const MAX_RING_TIMEOUT = 120;

const actionFields: INodeProperties[] = [
	{
		displayName: 'Action',
		// Not "action": n8n's lint reads a parameter of that name as an operation list.
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Hang Up', value: 'hangup', description: 'End the call, now or after some seconds' },
			{ name: 'Play', value: 'play', description: 'Play an MP3 or WAV file from a URL' },
			{ name: 'Send DTMF', value: 'send_dtmf', description: 'Send keypad tones, for example to get through a phone menu' },
			{ name: 'Speak', value: 'speak', description: 'Read a text out loud' },
			{ name: 'Wait', value: 'wait', description: 'Stay silent for some seconds' },
		],
		default: 'speak',
		description: 'What happens at this step of the call; the steps run in order',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		displayOptions: { show: { type: ['speak'] } },
		description: 'What the voice says to the callee. Any language\'s script works; pick the matching Language.',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/greeting.mp3',
		displayOptions: { show: { type: ['play'] } },
		description: 'The http:// or https:// address of an MP3 or WAV file that CheckMobi downloads and plays',
	},
	{
		displayName: 'Loop',
		name: 'loop',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1,
		displayOptions: { show: { type: ['speak', 'play'], '@tool': [false] } },
		description:
			'How many times to say the text or play the file. 0 repeats it until the call is hung up (add a scheduled Hang Up before it to bound the call).',
	},
	{
		displayName: 'Loop',
		name: 'loop',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		displayOptions: { show: { type: ['speak', 'play'], '@tool': [true] } },
		description: 'How many times to say the text or play the file',
	},
	{
		displayName: 'Voice',
		name: 'voice',
		type: 'options',
		options: voiceOptions,
		default: 'WOMAN',
		displayOptions: { show: { type: ['speak'] } },
		description:
			'Whose voice reads the text: a woman\'s or a man\'s. Danish, French (Canada), Portuguese, Russian and Swedish have only the woman\'s voice, which CheckMobi then uses whatever is chosen here.',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: voiceLanguageOptions,
		default: 'en-US',
		displayOptions: { show: { type: ['speak'] } },
		description: 'The language the text is read in',
	},
	{
		displayName: 'Digits',
		name: 'digits',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1w2#',
		displayOptions: { show: { type: ['send_dtmf'] } },
		description: 'The tones to send: 0-9, * and #. A lowercase w pauses half a second, an uppercase W one second.',
	},
	{
		displayName: 'Async',
		name: 'async',
		type: 'boolean',
		default: true,
		displayOptions: { show: { type: ['send_dtmf'] } },
		description:
			'Whether to go on with the next action as soon as the first tone is sent (the rest follow in the background) rather than after the last one',
	},
	{
		displayName: 'Length (Seconds)',
		name: 'length',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		displayOptions: { show: { type: ['wait'] } },
		description: 'How many seconds to stay silent',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Rejected', value: 'rejected' },
			{ name: 'Busy', value: 'busy' },
		],
		default: 'none',
		displayOptions: { show: { type: ['hangup'] } },
		description: 'The reason the call ends with, as the network reports it',
	},
	{
		displayName: 'Schedule (Seconds)',
		name: 'schedule',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		displayOptions: { show: { type: ['hangup'] } },
		description:
			'Hang up this many seconds from now, while the actions after this one go on (for example a Speak). 0 hangs up at once.',
	},
];

const DEFAULT_EVENTS_JSON = `[
  { "action": "speak", "text": "Hello, this is a call from CheckMobi.", "language": "en-US" },
  { "action": "wait", "length": 1 },
  { "action": "hangup" }
]`;

export const declaration: OperationDeclaration = { sideEffect: 'creates', pacing: 'call_per_minute', options: { concurrency: true, timeout: true, paceToAccountLimits: true, defaultCountry: true } };

/** Place's fields; Call → Place and Wait for End shows them too. */
export const placeFields: INodeProperties[] = withSharedOptions(declaration, [
	phoneNumberField(
		'The phone number to call, in international form with its country code (E.164). Spaces, dashes and brackets are fine.',
		TO,
	),
	{
		displayName: 'Define Actions',
		name: 'eventsMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
		description: 'How to write what happens once the call is answered',
	},
	{
		displayName: 'Actions',
		name: 'events',
		type: 'fixedCollection',
		placeholder: 'Add Action',
		typeOptions: { multipleValues: true, sortable: true, multipleValueButtonText: 'Add Action' },
		default: { event: [{ type: 'speak', text: '' }] },
		displayOptions: { show: { eventsMode: ['fields'] } },
		description: 'What happens once the call is answered, in this order (drag to reorder)',
		options: [{ name: 'event', displayName: 'Action', values: actionFields }],
	},
	{
		displayName: 'Actions (JSON)',
		name: 'eventsJson',
		type: 'json',
		default: DEFAULT_EVENTS_JSON,
		displayOptions: { show: { eventsMode: ['json'] } },
		description:
			'The call actions as CheckMobi takes them: a JSON array of objects run in order, each with an "action" (speak, play, send_dtmf, wait, hangup) and its attributes. They are checked by the same rules as the fields.',
	},
	optionsCollection([
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			default: '',
			placeholder: 'e.g. +12025550123',
			description:
				'The caller ID the callee sees, in international form (E.164). Without it, CheckMobi uses a number of its own.',
		},
		{
			displayName: 'Ring Timeout',
			name: 'ringTimeout',
			type: 'number',
			typeOptions: { minValue: MIN_RING_TIMEOUT, maxValue: MAX_RING_TIMEOUT },
			default: 30,
			hint: 'Values under 10 seconds can end the call before the phone even rings',
			description:
				'About how many seconds (1 to 120) the phone may ring before CheckMobi gives up. It is approximate: over VoIP the exact ringing time cannot be controlled, so CheckMobi advises against values below 10.',
		},
		...sendingOptionFields({
			clientIp:
				"The IP address of the end customer this call is for, sent as X-Client-IP. CheckMobi's anti-fraud rules need it when requests come from your server (as they do from n8n) rather than from the customer's device.",
			notificationCallback:
				`Where CheckMobi posts the call's status as it changes (${listed(CALL_EVENTS)}, with the billed duration and charge at the end). To react to it in n8n, add a CheckMobi Trigger node and paste its Production URL here.`,
			platform: 'The platform of the app the call is made for. CheckMobi recommends it for better analytics.',
		}),
	]),
]);

export const description = updateDisplayOptions({ show: { resource: ['call'], operation: ['place'] } }, placeFields);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedRequest> {
	const to = readPhoneNumber.call(this, itemIndex, TO);
	const events = readEvents.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = {};
	if (options.from !== undefined && options.from !== '') {
		body.from = toE164(options.from, {
			node: this.getNode(),
			field: 'From',
			itemIndex,
			defaultCountry: readDefaultCountry.call(this, itemIndex),
		});
	}
	body.to = to;
	if (options.ringTimeout !== undefined) body.ring_timeout = readRingTimeout.call(this, options.ringTimeout, itemIndex);
	Object.assign(body, await readCallbackAndPlatform.call(this, options, itemIndex));
	body.events = events;
	const clientIp = readClientIp.call(this, options.clientIp, itemIndex);

	return { request: { method: 'POST', path: '/call', body, clientIp } };
}

function readEvents(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const mode = this.getNodeParameter('eventsMode', itemIndex, 'fields') as string;
	let check: CallEventsCheck;
	let field: string;
	if (mode === 'json') {
		field = 'Actions (JSON)';
		check = checkCallEventsJson(this.getNodeParameter('eventsJson', itemIndex));
	} else {
		field = 'Actions';
		const entries = this.getNodeParameter('events.event', itemIndex, []) as IDataObject[];
		check = checkCallEvents(eventsFromFields(Array.isArray(entries) ? entries : []));
	}
	if (check.ok && runsAsTool(this.getNode()) && check.events.some((event) => event.loop === 0)) {
		// Hidden from the tool's fields; a value an agent fills in must not ring forever either.
		throw new NodeOperationError(this.getNode(), 'A Loop of 0 is not available to an AI agent', {
			itemIndex,
			description: 'A Loop of 0 repeats the text or file until the call is hung up: set it to 1 or more.',
		});
	}
	if (check.ok) {
		for (const note of callEventNotes(check.events)) hintOnce(this, note, `${note}${describeItems([itemIndex])}`);
		return check.events;
	}
	throw new NodeOperationError(
		this.getNode(),
		`Invalid value in "${field}": ${describeCallEventProblem(check.problem)}`,
		{ itemIndex, description: check.problem.fix },
	);
}

function readRingTimeout(this: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= MIN_RING_TIMEOUT && seconds <= MAX_RING_TIMEOUT) {
		return seconds;
	}
	throw invalidValue(
		this,
		itemIndex,
		'Ring Timeout',
		value,
		`It must be a whole number of seconds from ${MIN_RING_TIMEOUT} to ${MAX_RING_TIMEOUT}. CheckMobi advises 10 or more: shorter times can end the call before the phone rings.`,
	);
}
