/**
 * The README's commands must work on a fresh clone exactly as written. `.npmrc` sets
 * ignore-scripts, under which npm never runs pre/post scripts: every script that needs the built
 * package must build it itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const npmrc = readFileSync(join(root, '.npmrc'), 'utf8');

describe('package scripts on a fresh clone', () => {
	it('has no pre/post scripts while .npmrc makes npm skip them', () => {
		expect(npmrc).toMatch(/^\s*ignore-scripts\s*=\s*true/m);
		expect(Object.keys(pkg.scripts).filter((name) => /^(pre|post)/.test(name))).toEqual([]);
	});

	it.each(['test', 'test:e2e', 'test:load', 'dev', 'bench'])('"%s" builds the package before it uses dist/', (name) => {
		expect(pkg.scripts[name]).toMatch(/^npm run build && /);
	});

	it('.ci/run runs the README\'s test command with no build step of its own before it', () => {
		const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
		const readme = readFileSync(join(root, 'README.md'), 'utf8');
		expect(readme).toContain('`npm ci && npm test`');
		const commands = ci.split('\n').filter((line) => /^\s*(npm|npx|node)\b/.test(line));
		const testAt = commands.findIndex((line) => line.trim() === 'npm test');
		expect(testAt).toBeGreaterThan(0);
		expect(commands.slice(0, testAt).some((line) => /npm run build\b/.test(line))).toBe(false);
		expect(commands[0].trim()).toMatch(/^npm ci\b/);
	});
});
