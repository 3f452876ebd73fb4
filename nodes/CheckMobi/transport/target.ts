/** Where requests go, and with which credentials: read once per node run, checked before any request is built. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_TYPE } from '../../shared/credentials';
import { BASE_URL_RULE, checkBaseUrl } from '../../shared/hosts';

export type CheckMobiContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

const credentialsByContext = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();

/** The credentials, decrypted once per node run rather than once per request. */
export async function getCredentials(this: CheckMobiContext): Promise<ICredentialDataDecryptedObject> {
	let credentials = credentialsByContext.get(this);
	if (!credentials) {
		credentials = this.getCredentials(CREDENTIALS_TYPE);
		credentialsByContext.set(this, credentials);
	}
	return await credentials;
}

/** Where requests go (`<origin>/v1`) and whether that is a sandbox on this machine. */
export interface CheckMobiTarget {
	apiBaseUrl: string;
	local: boolean;
}

/**
 * The credentials' Base URL, checked before any request is built: the secret key goes to CheckMobi
 * or to a sandbox on this machine and nowhere else.
 */
export async function checkMobiTarget(this: CheckMobiContext): Promise<CheckMobiTarget> {
	const check = checkBaseUrl((await getCredentials.call(this)).baseUrl);
	if (check.ok) return { apiBaseUrl: check.apiBaseUrl, local: check.local };
	throw new NodeOperationError(this.getNode(), `Base URL not allowed: ${check.problem} Nothing was sent.`, {
		description: `${BASE_URL_RULE} Fix the Base URL in the CheckMobi API credentials.`,
	});
}
