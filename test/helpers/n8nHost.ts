/**
 * What an n8n instance gives a node, faked once for every test helper (the engine's and the
 * webhook's): the node's credentials (decrypted, applied by the credential type's own
 * `authenticate`), the node types by name, and the additional data of an execution.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

import { CheckMobiApi } from '../../credentials/CheckMobiApi.credentials';

const CHECKMOBI_API = new CheckMobiApi();
export const CHECKMOBI_API_TYPE = CHECKMOBI_API.name;
const CREDENTIAL_TYPES: Record<string, ICredentialType> = { [CHECKMOBI_API.name]: CHECKMOBI_API };

/** Hands out the test's credential data and applies a credential type's declared authentication, as n8n's own CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** How many times n8n asked for decrypted credentials (each is a load in a real n8n). */
	loads = 0;

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	/** Replaces a type's data, as a user saving the credential in the editor. */
	replace(type: string, data: ICredentialDataDecryptedObject): void {
		this.data[type] = { ...data };
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate || authenticate.type !== 'generic' || !workflow || !node) return options;
		const resolve = (value: unknown) =>
			workflow.expression.getParameterValue(
				value as string,
				null,
				0,
				0,
				node.name,
				[],
				'internal',
				{ $credentials: credentials },
			);
		const headers = authenticate.properties.headers ?? {};
		options.headers = { ...options.headers };
		for (const [name, value] of Object.entries(headers)) options.headers[name] = resolve(value);
		return options;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.loads++;
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

/** A node's `checkMobiApi` credentials: the reference the node stores and the helper that decrypts it (none without data). */
export function checkMobiCredentials(
	data: ICredentialDataDecryptedObject | undefined,
	id = 'cred-1',
): {
	nodeCredentials: INodeCredentials | undefined;
	credentialsHelper: TestCredentialsHelper;
} {
	return {
		nodeCredentials: data ? { [CHECKMOBI_API.name]: { id, name: 'CheckMobi test' } } : undefined,
		credentialsHelper: new TestCredentialsHelper(data ? { [CHECKMOBI_API.name]: data } : {}),
	};
}

/** The node types a test workflow knows, by type name. */
export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string) {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** An execution's additional data: n8n's URLs under `baseUrl`, the credentials, and `extra` (hooks, the HTTP request...). */
export function additionalData(
	baseUrl: string,
	credentialsHelper: ICredentialsHelper,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}
