/**
 * Where a URL's host is, as far as who can reach it: the one classification behind both rules
 * about hosts. The Base URL rule: the secret key goes to CheckMobi or to a sandbox on this machine,
 * nowhere else. The callback rule: CheckMobi must reach a Notification Callback from the internet.
 */

/** The real service: the only remote host the secret key is sent to. */
const CHECKMOBI_API_URL = 'https://api.checkmobi.com';
const CHECKMOBI_API_HOST = 'api.checkmobi.com';

/**
 * `loopback`: this machine; `private`: a private network (RFC 1918, shared address space, unique
 * local IPv6, private-use names); `linkLocal`: the local link (169.254/16, fe80::/10, `.local`);
 * `bareName`: a name without a dot (`n8n`, a container's name) that only a local resolver knows;
 * `public`: anything else.
 */
export type HostKind = 'loopback' | 'private' | 'linkLocal' | 'bareName' | 'public';

/** Names that public DNS never resolves (RFC 6761, RFC 8375, ICANN's `.internal`). */
const PRIVATE_SUFFIXES = ['.internal', '.home.arpa'];

/** `hostname` as the URL parser gives it (lower case, IPv6 in brackets). */
export function classifyHost(hostname: string): HostKind {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	if (host === '') return 'bareName';
	const v4 = parseIPv4(host);
	if (v4) return classifyIPv4(v4);
	if (host.includes(':')) return classifyIPv6(host);
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	if (host.endsWith('.local')) return 'linkLocal';
	if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'private';
	if (!host.includes('.')) return 'bareName';
	return 'public';
}

function parseIPv4(host: string): number[] | undefined {
	if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
	const parts = host.split('.').map(Number);
	return parts.every((part) => part <= 255) ? parts : undefined;
}

function classifyIPv4([a, b]: number[]): HostKind {
	if (a === 127) return 'loopback';
	if (a === 169 && b === 254) return 'linkLocal';
	// 0/8 ("this host"), 10/8, 100.64/10 (carrier-grade NAT), 172.16/12, 192.168/16.
	if (a === 0 || a === 10 || (a === 100 && b >= 64 && b <= 127) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
		return 'private';
	}
	return 'public';
}

function classifyIPv6(host: string): HostKind {
	const groups = expandIPv6(host);
	if (!groups) return 'public';
	if (groups.slice(0, 7).every((g) => g === 0)) return groups[7] === 1 ? 'loopback' : 'private';
	// ::ffff:a.b.c.d, which the URL parser writes as ::ffff:xxxx:xxxx.
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		return classifyIPv4([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff]);
	}
	if ((groups[0] & 0xfe00) === 0xfc00) return 'private';
	if ((groups[0] & 0xffc0) === 0xfe80) return 'linkLocal';
	if ((groups[0] & 0xffc0) === 0xfec0) return 'private';
	return 'public';
}

/** The 8 groups of an IPv6 address as the URL parser writes it (hex, maybe `::`, no IPv4 tail). */
function expandIPv6(host: string): number[] | undefined {
	const [head, tail, ...rest] = host.split('::');
	if (rest.length > 0) return undefined;
	const read = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
	const start = read(head);
	const end = read(tail);
	if (tail === undefined && start.length !== 8) return undefined;
	const groups = [...start, ...new Array<number>(8 - start.length - end.length).fill(0), ...end];
	return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

export type BaseUrlCheck =
	| { ok: true; /** Where the API's paths go: `<origin>/v1`. */ apiBaseUrl: string; /** A sandbox on this machine. */ local: boolean }
	| { ok: false; problem: string };

export const BASE_URL_RULE = `The Base URL must be ${CHECKMOBI_API_URL} or a CheckMobi sandbox on this machine (http or https on localhost, 127.0.0.1 or [::1], any port), optionally ending in / or /v1, with no user name, password, query or other path.`;

/**
 * Whether the secret key may be sent to a credential's Base URL: CheckMobi itself over https, or a
 * loopback host (a sandbox). Empty means CheckMobi. The problem names no more of the URL than its
 * host, in case the URL carries a password.
 */
export function checkBaseUrl(value: unknown): BaseUrlCheck {
	const text = value === undefined || value === null ? '' : typeof value === 'string' ? value.trim() : undefined;
	if (text === undefined) return { ok: false, problem: 'The Base URL is not text.' };
	if (text === '') return { ok: true, apiBaseUrl: `${CHECKMOBI_API_URL}/v1`, local: false };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, problem: 'The Base URL is not a web address.' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'The Base URL must start with https://.' };
	if (url.username !== '' || url.password !== '') return { ok: false, problem: 'The Base URL holds a user name or password.' };
	if (text.includes('?') || text.includes('#')) return { ok: false, problem: 'The Base URL has a query or fragment.' };
	if (!['/', '/v1', '/v1/'].includes(url.pathname)) return { ok: false, problem: `The Base URL has the path "${url.pathname}".` };

	const kind = classifyHost(url.hostname);
	// Not `*.localhost`: such a name is only as loopback as the resolver makes it.
	if (kind === 'loopback' && !url.hostname.endsWith('.localhost')) return { ok: true, apiBaseUrl: `${url.origin}/v1`, local: true };
	if (url.hostname === CHECKMOBI_API_HOST) {
		if (url.protocol !== 'https:') {
			return { ok: false, problem: `The Base URL uses http://, which would send the secret key unencrypted: use ${CHECKMOBI_API_URL}.` };
		}
		if (url.port !== '') return { ok: false, problem: `The Base URL has the port ${url.port}; CheckMobi answers on the default port.` };
		return { ok: true, apiBaseUrl: `${CHECKMOBI_API_URL}/v1`, local: false };
	}
	return { ok: false, problem: `The Base URL's host "${url.host}" is neither CheckMobi nor this machine.` };
}

/**
 * Why the secret key must not go with a request to `target`, or undefined when it may: the Base URL
 * passes `checkBaseUrl` and the request goes to the Base URL's own origin. The credentials ask this
 * of every request that carries the key, whichever node makes it (the HTTP Request node too).
 */
export function keyDestinationProblem(baseUrl: unknown, target: string): string | undefined {
	const check = checkBaseUrl(baseUrl);
	if (!check.ok) return `${check.problem} ${BASE_URL_RULE}`;
	const allowed = new URL(check.apiBaseUrl);
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return 'The address of the request cannot be read.';
	}
	if (url.origin !== allowed.origin) return `The secret key goes only to the Base URL's host (${allowed.host}), not to ${url.host}.`;
	return undefined;
}
