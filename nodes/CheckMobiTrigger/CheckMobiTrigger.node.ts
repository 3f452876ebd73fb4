import type {
	IDataObject,
	IHookFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { asOptions, CALL_EVENTS, SMS_STATUSES } from '../shared/callbackStatuses';
import { CREDENTIALS_TYPE } from '../shared/credentials';
import { BASE_URL_RULE, checkBaseUrl } from '../shared/hosts';
import { simplifyFields } from '../shared/lookupSummary';
import { readRawBody } from '../shared/rawBody';
import { readSignatureHeader, SIGNATURE_FAILURE_MESSAGES, type SignatureCheck, verifySignature } from '../shared/signature';
import { acceptOnce, deliveryDigest, deliveryId, MEMORY_MAX_ENTRIES } from './deliveryMemory';
import { EVENT_TYPE, isSelected, readDelivery, toItems } from './events';
import { noteAnsweredCall, readyFields } from './readyFields';
import { SIGNATURE_KEY_TTL_MS, checkWithKeptKey } from './signatureKeyCache';

/** Bigger callbacks are refused: a batch of 1000 lookup results is well under 1 MB. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

type Answer = { status: number; body: IDataObject };
/** A callback refused with an error status, and what the user can do about it. */
type Refusal = Answer & { fix: string };

/** Answers the request here (n8n then starts no execution). */
function answer(this: IWebhookFunctions, { status, body }: Answer): IWebhookResponseData {
	const res = this.getResponseObject();
	if (!res.headersSent) {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(body));
	}
	return { noWebhookResponse: true };
}

function ignored(reason: string): Answer {
	return { status: 200, body: { ignored: reason } };
}

function refused(status: number, message: string, fix: string): Refusal {
	return { status, body: { code: status, message }, fix };
}

const SIGNATURE_FIX =
	'If CheckMobi sent it, set the Signature Key of the CheckMobi API credentials to the Signature key of your CheckMobi application (General tab), not its Secret Key. The sender got HTTP 401; nothing ran.';

/**
 * Answers a refused callback here (n8n then starts nothing). An editor listening for a test event
 * would show nothing and keep waiting, so in test mode the refusal also fails the test run, after
 * the sender got its answer: n8n shows the error on this node. Production URLs start nothing.
 */
function refuse(this: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	const response = answer.call(this, refusal);
	if (this.getMode() === 'manual') {
		throw new NodeOperationError(this.getNode(), `Callback refused (HTTP ${refusal.status}): ${String(refusal.body.message)}`, {
			description: refusal.fix,
		});
	}
	return response;
}

async function loadSignatureKey(this: IWebhookFunctions): Promise<string | undefined> {
	const { signatureKey } = await this.getCredentials(CREDENTIALS_TYPE);
	return typeof signatureKey === 'string' ? signatureKey : undefined;
}

async function checkSignature(this: IWebhookFunctions, rawBody: Buffer): Promise<Refusal | undefined> {
	const signature = readSignatureHeader(this.getHeaderData() as Record<string, string | string[] | undefined>);
	const check = (signatureKey: string | undefined) => verifySignature({ rawBody, signature, signatureKey });
	const loadKey = async () => await loadSignatureKey.call(this);
	let result: SignatureCheck;
	try {
		if (this.getMode() === 'manual') {
			// The editor's test URL always checks with the credential as saved now.
			result = check(await loadKey());
		} else {
			// Kept per trigger: another node or credential never gets this one's key without n8n's own load.
			const node = this.getNode();
			const scope = `${this.getWorkflow().id ?? ''}|${node.id}|${node.credentials?.[CREDENTIALS_TYPE]?.id ?? ''}`;
			result = await checkWithKeptKey(scope, loadKey, check);
		}
	} catch (error) {
		this.logger.error(`CheckMobi Trigger: could not load the CheckMobi API credentials: ${(error as Error).message}`);
		// 503, not 401: the fault is on this side and passing; CheckMobi retries anything but 200.
		return refused(
			503,
			'Signature not checked: the CheckMobi API credentials could not be loaded.',
			'Select CheckMobi API credentials in this node, or check that the selected ones still exist and can be opened. The sender got HTTP 503 and will try again.',
		);
	}
	if (result.valid) return undefined;
	this.logger.warn(`CheckMobi Trigger refused a callback (401): ${result.message}`);
	return refused(401, result.message, SIGNATURE_FIX);
}

const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Call Status',
		value: EVENT_TYPE.callStatus,
		description: 'A call placed with Call → Place rang, was answered or hung up',
	},
	{
		name: 'HLR Lookup Results',
		value: EVENT_TYPE.lookupHlr,
		description: 'A batch of results (or a batch error) of Lookup → HLR Bulk',
	},
	{
		name: 'MNP Lookup Results',
		value: EVENT_TYPE.lookupMnp,
		description: 'A batch of results (or a batch error) of Lookup → MNP Bulk',
	},
	{
		name: 'SMS Status',
		value: EVENT_TYPE.smsStatus,
		description: 'The delivery status of an SMS sent with SMS → Send changed',
	},
	{
		name: 'Unrecognized Callback',
		value: EVENT_TYPE.unknown,
		description:
			'A correctly signed callback of none of the kinds above, as {event_type: "unknown", payload}',
	},
	{
		name: 'Validate Lookup Results',
		value: EVENT_TYPE.lookupVerify,
		description:
			'A batch of number validation results (lookup_method "verify"), a kind of bulk callback CheckMobi documents',
	},
	{
		name: 'Validation Completed',
		value: EVENT_TYPE.validationCompleted,
		description: 'A user validated their number (Validation → Request)',
	},
];

/** The canvas subtitle: the selected events by their names, not their values. */
const EVENT_NAMES = Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name]));
const SUBTITLE = `={{ $parameter["events"].map((event) => (${JSON.stringify(EVENT_NAMES)})[event] ?? event).join(", ") }}`;

export class CheckMobiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CheckMobi Trigger',
		name: 'checkMobiTrigger',
		icon: { light: 'file:checkmobi.svg', dark: 'file:checkmobi.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1; n8n only skips its per-request check for the Webhook node's v1 binary
		// option on versions above 1, which saves an expression evaluation per callback.
		// 2: split lookup results are simplified by default.
		version: [1, 1.1, 2],
		defaultVersion: 2,
		subtitle: SUBTITLE,
		description:
			'Starts the workflow when CheckMobi reports a completed validation, an SMS or call status, or bulk lookup results',
		defaults: { name: 'CheckMobi Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIALS_TYPE, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: [
					EVENT_TYPE.validationCompleted,
					EVENT_TYPE.smsStatus,
					EVENT_TYPE.callStatus,
					EVENT_TYPE.lookupHlr,
					EVENT_TYPE.lookupMnp,
					EVENT_TYPE.lookupVerify,
				],
				description:
					'Which callbacks start the workflow. Others are acknowledged (HTTP 200) and start nothing. Each item says which one it is in event_type.',
				hint: 'CheckMobi has no API to register callback URLs: paste this node\'s Production URL into the Notification Callback of the CheckMobi node that sends (Validation → Request, SMS → Send, Call → Place, Lookup → HLR Bulk or MNP Bulk) and publish this workflow. Query parameters you add to the URL (e.g. ?order=1234) come back on every item in query.',
			},
			{
				displayName: 'SMS Statuses',
				name: 'smsStatuses',
				type: 'multiOptions',
				displayOptions: { show: { events: [EVENT_TYPE.smsStatus] } },
				options: asOptions(SMS_STATUSES),
				default: [],
				description: 'Only these SMS statuses start the workflow. Leave empty for all.',
			},
			{
				displayName: 'Call Events',
				name: 'callEvents',
				type: 'multiOptions',
				displayOptions: { show: { events: [EVENT_TYPE.callStatus] } },
				options: asOptions(CALL_EVENTS),
				default: [],
				description: 'Only these call events start the workflow. Leave empty for all.',
			},
			{
				displayName: 'Split Lookup Results',
				name: 'splitLookupResults',
				type: 'boolean',
				displayOptions: { show: { events: [EVENT_TYPE.lookupHlr, EVENT_TYPE.lookupMnp, EVENT_TYPE.lookupVerify] } },
				default: true,
				description:
					'Whether each number of a lookup batch becomes its own item (with the batch\'s lookup_method; a failed batch becomes one item with the batch\'s error object as CheckMobi sent it: error, description, affected_numbers). Off: one item per callback, as CheckMobi sent it.',
			},
			...simplifyFields(2, [1, 1.1]).map((field) => ({
				...field,
				displayOptions: {
					show: {
						...field.displayOptions?.show,
						events: [EVENT_TYPE.lookupHlr, EVENT_TYPE.lookupMnp, EVENT_TYPE.lookupVerify],
						splitLookupResults: [true],
					},
				},
			})),
			{
				displayName: 'Verify Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: true,
				description:
					`Whether to accept only callbacks whose X-CheckMobi-Signature matches the body, checked with the Signature Key of the credentials (General tab of your CheckMobi application; not the Secret Key). Others are refused with HTTP 401 and start nothing; without a Signature Key, every callback is. The key is kept for up to ${SIGNATURE_KEY_TTL_MS / 1000} seconds: after a change in the credentials, callbacks signed with the new key are accepted at once, and ones signed with the old key are refused within ${SIGNATURE_KEY_TTL_MS / 1000} seconds.`,
			},
			{
				displayName:
					'Signature checking is off: anyone who learns this URL can start the workflow with made-up data. Turn it off only for testing.',
				name: 'noVerificationNotice',
				type: 'notice',
				displayOptions: { show: { verifySignature: [false] } },
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ignore Repeated Deliveries',
						name: 'ignoreRepeatedDeliveries',
						type: 'boolean',
						default: true,
						description:
							`Whether a callback identical (byte for byte) to one of the last ${MEMORY_MAX_ENTRIES} this trigger accepted in this n8n process (none older than a day) is answered with HTTP 200 without starting the workflow again. CheckMobi repeats a callback up to 3 times when it did not see HTTP 200. The memory ends when n8n restarts and is not shared with other n8n processes (queue mode): there, de-duplicate on each item's delivery_id in a shared database (see the README).`,
					},
				],
			},
		],
	};

	// CheckMobi has no API to register a callback URL: the URL is given with each request. So
	// "registering" is remembering which URL this node answers on; nothing is sent anywhere.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.callbackUrl !== undefined && staticData.callbackUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { signatureKey, baseUrl } = await this.getCredentials(CREDENTIALS_TYPE);
				// The trigger sends nothing to the Base URL, but credentials pointing the secret key
				// elsewhere are refused everywhere they are used, so the fault shows on activation.
				const target = checkBaseUrl(baseUrl);
				if (!target.ok) {
					throw new NodeOperationError(this.getNode(), 'Base URL not allowed in the CheckMobi API credentials', {
						description: `${target.problem} ${BASE_URL_RULE}`,
					});
				}
				if (this.getNodeParameter('verifySignature', true) !== false) {
					if (typeof signatureKey !== 'string' || signatureKey.trim() === '') {
						throw new NodeOperationError(this.getNode(), 'No signature key set in the CheckMobi API credentials', {
							description: `${SIGNATURE_FAILURE_MESSAGES.noSignatureKey} Or turn off Verify Signature (for testing only).`,
						});
					}
				}
				const staticData = this.getWorkflowStaticData('node');
				staticData.callbackUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				delete staticData.callbackUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const rawBody = await readRawBody.call(this);
		if (rawBody === undefined) {
			this.logger.error('CheckMobi Trigger: n8n passed no raw request body, so the callback cannot be checked');
			return refuse.call(this, refused(500, 'The raw request body is not available.', 'n8n did not pass the request body to the node; see n8n\'s log.'));
		}
		if (rawBody.length > MAX_BODY_BYTES) {
			return refuse.call(
				this,
				refused(
					413,
					`Callback body of ${rawBody.length} bytes is over the limit of ${MAX_BODY_BYTES} bytes.`,
					'CheckMobi\'s callbacks are far smaller (a batch of 1000 lookup results is under 1 MB): check what sends to this URL.',
				),
			);
		}

		if (this.getNodeParameter('verifySignature', true) !== false) {
			const refusal = await checkSignature.call(this, rawBody);
			if (refusal) return refuse.call(this, refusal);
		}

		const delivery = readDelivery(rawBody);
		// The trigger: this workflow's node (CheckMobi's ids are unique, so its URL does not matter here).
		const trigger = `${this.getWorkflow().id ?? ''}|${this.getNode().id}`;
		noteAnsweredCall(trigger, delivery);
		const selection = isSelected(delivery, {
			events: this.getNodeParameter('events', []) as string[],
			smsStatuses: this.getNodeParameter('smsStatuses', []) as string[],
			callEvents: this.getNodeParameter('callEvents', []) as string[],
		});
		if (!selection.selected) return answer.call(this, ignored(selection.reason));

		const items = toItems(delivery, {
			splitLookupResults: this.getNodeParameter('splitLookupResults', true) !== false,
			simplify: this.getNodeParameter('simplify', false) === true,
		});
		if (items.length === 0) return answer.call(this, ignored('lookup batch without results'));

		const digest = deliveryDigest(rawBody);
		if (this.getNodeParameter('options.ignoreRepeatedDeliveries', true) !== false) {
			const staticData = this.getWorkflowStaticData('node');
			// The trigger: this workflow's node at this URL (another URL is another trigger's memory).
			const scope = `${trigger}|${this.getNodeWebhookUrl('default') ?? ''}`;
			if (!acceptOnce(staticData, scope, digest)) return answer.call(this, ignored('repeated delivery'));
		}

		// n8n answers (200, no body) as it creates the execution. Answering here instead would make n8n
		// save the static data first, but under load that extra database write made n8n fail to create
		// a quarter of the executions after CheckMobi had its 200: callbacks lost (README, Reliability).
		const query = this.getQueryData() as IDataObject;
		const ready = items.map((item, index) => ({
			...item,
			...readyFields(delivery, trigger, query),
			delivery_id: deliveryId(digest, index),
		}));
		return { workflowData: [this.helpers.returnJsonArray(ready)] };
	}
}
