/**
 * The one classification of hosts behind the Base URL rule (where the secret key may go) and the
 * callback rule (what CheckMobi can reach from the internet).
 */
import { checkBaseUrl, classifyHost, keyDestinationProblem } from '../../nodes/shared/hosts';

/** The host part of a URL as n8n's nodes get it: through the URL parser. */
const hostOf = (url: string) => new URL(url).hostname;

describe('classifyHost', () => {
	test.each([
		['http://localhost:5678/webhook/x', 'loopback'],
		['http://LOCALHOST./x', 'loopback'],
		['http://n8n.localhost/x', 'loopback'],
		['http://127.0.0.1/x', 'loopback'],
		['http://127.8.9.10/x', 'loopback'],
		['http://[::1]:5678/x', 'loopback'],
		['http://[::ffff:127.0.0.1]/x', 'loopback'],
		['http://2130706433/x', 'loopback'],
		['http://0x7f.1/x', 'loopback'],
		['http://10.1.2.3/x', 'private'],
		['http://172.16.0.1/x', 'private'],
		['http://172.31.255.255/x', 'private'],
		['http://192.168.1.20:5678/x', 'private'],
		['http://100.64.0.1/x', 'private'],
		['http://0.0.0.0:5678/x', 'private'],
		['http://[fd00::2]/x', 'private'],
		['http://[::ffff:192.168.0.1]/x', 'private'],
		['http://n8n.internal/x', 'private'],
		['http://box.home.arpa/x', 'private'],
		['http://169.254.169.254/x', 'linkLocal'],
		['http://[fe80::1]/x', 'linkLocal'],
		['http://printer.local/x', 'linkLocal'],
		['http://n8n:5678/webhook/x', 'bareName'],
		['http://intranet/x', 'bareName'],
		['https://n8n.example.com/webhook/x', 'public'],
		['https://172.32.0.1/x', 'public'],
		['https://100.128.0.1/x', 'public'],
		['https://192.0.2.10/x', 'public'],
		['https://[2001:db8::1]/x', 'public'],
	])('%s is %s', (url, kind) => {
		expect(classifyHost(hostOf(url))).toBe(kind);
	});
});

describe('checkBaseUrl: the secret key goes to CheckMobi or to this machine', () => {
	test.each([
		['', 'https://api.checkmobi.com/v1', false],
		['https://api.checkmobi.com', 'https://api.checkmobi.com/v1', false],
		['  https://API.checkmobi.com/  ', 'https://api.checkmobi.com/v1', false],
		['https://api.checkmobi.com/v1', 'https://api.checkmobi.com/v1', false],
		['https://api.checkmobi.com:443/v1/', 'https://api.checkmobi.com/v1', false],
		['http://127.0.0.1:4010', 'http://127.0.0.1:4010/v1', true],
		['https://localhost:4443/', 'https://localhost:4443/v1', true],
		['http://[::1]:4010/v1', 'http://[::1]:4010/v1', true],
	])('accepts %j', (value, apiBaseUrl, local) => {
		expect(checkBaseUrl(value)).toEqual({ ok: true, apiBaseUrl, local });
	});

	test.each([
		['https://evil.example', /host "evil\.example" is neither CheckMobi nor this machine/],
		['https://api.checkmobi.com.evil.example', /neither CheckMobi nor this machine/],
		['https://192.0.2.10:4010', /host "192\.0\.2\.10:4010"/],
		['http://192.168.1.5:4010', /neither CheckMobi nor this machine/],
		['http://n8n.localhost:4010', /neither CheckMobi nor this machine/],
		['http://api.checkmobi.com', /unencrypted/],
		['https://api.checkmobi.com:8443', /port 8443/],
		['https://api.checkmobi.com/v2', /path "\/v2"/],
		['http://127.0.0.1:4010/admin/reset', /path "\/admin\/reset"/],
		['https://api.checkmobi.com/v1?x=1', /query or fragment/],
		['https://api.checkmobi.com/#x', /query or fragment/],
		['https://api.checkmobi.com/?', /query or fragment/],
		['https://user:hunter2@api.checkmobi.com', /user name or password/],
		['api.checkmobi.com', /not a web address/],
		['ftp://api.checkmobi.com', /must start with https/],
	])('refuses %j', (value, problem) => {
		const check = checkBaseUrl(value);
		expect(check.ok).toBe(false);
		if (!check.ok) {
			expect(check.problem).toMatch(problem);
			expect(check.problem).not.toContain('hunter2');
		}
	});

	test('a value that is not text is refused', () => {
		expect(checkBaseUrl(42)).toEqual({ ok: false, problem: 'The Base URL is not text.' });
	});
});

describe('keyDestinationProblem: every request with the key goes to the Base URL\'s origin', () => {
	test('the Base URL\'s own API is fine, with or without /v1 in the Base URL', () => {
		expect(keyDestinationProblem('https://api.checkmobi.com', 'https://api.checkmobi.com/v1/my-account')).toBeUndefined();
		expect(keyDestinationProblem('http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010/v1/sms/send')).toBeUndefined();
	});

	test('another origin is refused, even another port of this machine', () => {
		expect(keyDestinationProblem('http://127.0.0.1:4010', 'http://127.0.0.1:4011/v1/my-account')).toBe(
			"The secret key goes only to the Base URL's host (127.0.0.1:4010), not to 127.0.0.1:4011.",
		);
		expect(keyDestinationProblem('', 'https://evil.example/v1/my-account')).toMatch(/not to evil\.example/);
	});

	test('a Base URL off the allowed hosts is refused whatever the request', () => {
		expect(keyDestinationProblem('https://evil.example', 'https://evil.example/v1/my-account')).toMatch(
			/^The Base URL's host "evil\.example" is neither CheckMobi nor this machine\. The Base URL must be https:\/\/api\.checkmobi\.com/,
		);
	});
});
