/** What CheckMobi's error codes mean for a workflow builder, and what to do about each. */
export interface CheckMobiErrorHelp {
	/** CheckMobi's own wording, used when a response carries no text. */
	meaning: string;
	/** The parameter the error is about, when there is one. */
	field?: string;
	/** What the user should do. */
	fix: string;
}

/** How to give CheckMobi a callback URL it can reach: the fix of error 9, and of the check before sending. */
export const CALLBACK_UNREACHABLE_FIX =
	"Set n8n's WEBHOOK_URL (N8N_WEBHOOK_URL in n8n 2.x) to the address at which the internet reaches this n8n (the CheckMobi Trigger then shows it in its Production URL), or reach n8n through a tunnel, and paste the trigger's Production URL again.";

export const CHECKMOBI_ERRORS: Record<number, CheckMobiErrorHelp> = {
	1: {
		meaning: 'Invalid or expired API secret key.',
		field: 'Secret Key (credentials)',
		fix: 'Copy the secret key again from your CheckMobi application settings into the CheckMobi API credentials, then test the credentials.',
	},
	2: {
		meaning: 'Invalid phone number. Phone number should be provided into E.164 format.',
		field: 'phone number',
		fix: 'Give the number in international E.164 form with its country code, for example +40745123456.',
	},
	3: {
		meaning: 'Invalid Request ID.',
		field: 'ID',
		fix: 'Use the "id" returned by the request that created it (a validation, SMS or call), unchanged.',
	},
	4: {
		meaning: 'Invalid validation type. Allowed (sms, ivr, reverse_cli).',
		field: 'Type',
		fix: 'Choose SMS, IVR or Missed Call as the validation type.',
	},
	5: {
		meaning: 'Insufficient funds.',
		fix: 'Top up the credit of your CheckMobi account, then run the workflow again.',
	},
	6: {
		meaning: 'Insufficient Missed Call validation count.',
		fix: 'Your subscription has used up its Missed Call validations: upgrade it in CheckMobi, or validate by SMS or IVR instead.',
	},
	7: {
		meaning: 'Invalid request payload.',
		fix: 'A required field is missing or has the wrong type: check every field of this operation.',
	},
	8: {
		meaning: 'Validation method not available for this destination.',
		field: 'Type',
		fix: 'This method cannot reach that number (for example a missed call or SMS to a landline): use Number → Get Validation Methods to see which methods are available, then pick one of them.',
	},
	9: {
		meaning: 'Invalid notification callback URL.',
		field: 'Notification Callback',
		fix: `CheckMobi refuses callback URLs it cannot reach from the internet (a loopback or private host such as localhost, 127.0.0.1, 192.168.x.x or a bare name like n8n) and URLs over 255 characters. ${CALLBACK_UNREACHABLE_FIX}`,
	},
	10: {
		meaning: 'Invalid event payload.',
		field: 'Actions',
		fix: 'Check the call actions: each needs its required fields (text to speak, URL to play, digits to send) with allowed values.',
	},
	11: {
		meaning: 'This operation is currently disabled for your account.',
		fix: 'Ask CheckMobi support to enable this operation for your account.',
	},
	12: {
		meaning: 'Your account exceeded one or more limitations.',
		fix: 'You sent more messages or calls per minute than your account allows: turn on "Pace to Account Limits" in the node options, or lower the volume.',
	},
	13: {
		meaning: 'Destination is blocked due to application restrictions.',
		field: 'phone number',
		fix: 'Your application settings in CheckMobi block this country or number: allow it there if it is legitimate.',
	},
	14: {
		meaning: 'Number temporary blocked because of too many attempts.',
		field: 'phone number',
		fix: 'Too many requests were made for this number in a short time: wait before trying it again.',
	},
	15: {
		meaning: 'Too many attempts to verify the pin.',
		field: 'PIN',
		fix: 'This validation has used all its PIN attempts: request a new validation for the number.',
	},
	16: {
		meaning: 'Validation request expired.',
		field: 'ID',
		fix: 'The validation is past its time to live: request a new validation for the number.',
	},
	17: {
		meaning: 'Invalid lookup method.',
		fix: 'Use the HLR, MNP or Validate lookup operations.',
	},
	18: {
		meaning: 'No HLR lookup route available for this destination.',
		field: 'phone number',
		fix: 'CheckMobi has no HLR route to this destination\'s networks: use Lookup → MNP (its current network, without reachability) or Lookup → Check Format (free, from the numbering plan) for it instead.',
	},
};

/** Help for HTTP statuses that come without a CheckMobi error code. */
export const HTTP_STATUS_HELP: Record<number, { meaning: string; fix: string }> = {
	401: {
		meaning: 'CheckMobi did not accept the secret key',
		fix: 'Check the Secret Key in the CheckMobi API credentials.',
	},
	403: {
		meaning: 'The secret key is not allowed to make this request',
		fix: 'Check that this operation is enabled for your CheckMobi application, or ask CheckMobi support to allow it for your account.',
	},
	404: {
		meaning: 'CheckMobi has no such resource',
		fix: 'Check the ID: it must be one returned by CheckMobi for this account. Also check the Base URL in the credentials.',
	},
};
