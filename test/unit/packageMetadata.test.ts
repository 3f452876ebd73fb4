/**
 * What n8n's verification review reads besides the code: the MIT licence, a repository (and bugs)
 * field naming the GitHub repository the package is published from, documentation links that lead
 * to this package's own docs (its README) rather than to CheckMobi's site, and no runtime
 * dependencies. Every link is derived from package.json's `repository`, so moving the package to
 * its real repository means changing that one field and following this test to the others.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckMobiApi } from '../../credentials/CheckMobiApi.credentials';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as Record<string, unknown> & {
	name: string;
	license: string;
	author: { name: string };
	repository?: { type?: string; url?: string };
	bugs?: { url?: string };
	homepage?: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The repository's web address, from `git+https://github.com/<owner>/<name>.git`. */
function repositoryWebUrl(): string {
	const match = /^git\+(https:\/\/github\.com\/[A-Za-z0-9_.-]+\/([A-Za-z0-9_.-]+))\.git$/.exec(pkg.repository?.url ?? '');
	if (!match) throw new Error(`package.json repository.url is not git+https://github.com/<owner>/<name>.git: ${pkg.repository?.url}`);
	return match[1];
}

/** GitHub's anchors for the README's headings: lower case, punctuation dropped, spaces to dashes. */
function readmeAnchors(): Set<string> {
	return new Set(
		read('README.md')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) =>
				line
					.replace(/^#+ /, '')
					.trim()
					.toLowerCase()
					.replace(/[^\p{L}\p{N} _-]/gu, '')
					.replace(/ /g, '-'),
			),
	);
}

const codexFiles = pkg.n8n.nodes.map((built) => built.replace(/^dist\//, '').replace(/\.js$/, '.json'));

describe('package metadata for n8n\'s verification', () => {
	it('is MIT licensed, with the licence text beside package.json', () => {
		expect(pkg.license).toBe('MIT');
		const licence = read('LICENSE');
		expect(licence.split('\n')[0]).toBe('MIT License');
		expect(licence).toContain(`Copyright (c) 2026 ${pkg.author.name}`);
		expect(licence.replace(/\s+/g, ' ')).toContain(
			'Permission is hereby granted, free of charge, to any person obtaining a copy of this software',
		);
		expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
	});

	it('names its GitHub repository, whose name is the package\'s, and that repository\'s issues as bugs', () => {
		expect(pkg.repository?.type).toBe('git');
		const web = repositoryWebUrl();
		expect(web.split('/').pop()).toBe(pkg.name);
		expect(pkg.bugs).toEqual({ url: `${web}/issues` });
	});

	it('has its own README as homepage, not CheckMobi\'s site', () => {
		expect(pkg.homepage).toBe(`${repositoryWebUrl()}#readme`);
	});

	it('each codex file\'s documentation links lead to a section of the README', () => {
		const anchors = readmeAnchors();
		const docs = `${repositoryWebUrl()}?tab=readme-ov-file#`;
		expect(codexFiles).toEqual(['nodes/CheckMobi/CheckMobi.node.json', 'nodes/CheckMobiTrigger/CheckMobiTrigger.node.json']);
		for (const file of codexFiles) {
			const codex = JSON.parse(read(file)) as {
				resources: Record<string, Array<{ url: string }>>;
			};
			expect(Object.keys(codex.resources).sort()).toEqual(['credentialDocumentation', 'primaryDocumentation']);
			for (const [kind, links] of Object.entries(codex.resources)) {
				expect(links.length).toBeGreaterThan(0);
				for (const { url } of links) {
					expect({ file, kind, url: url.slice(0, docs.length) }).toEqual({ file, kind, url: docs });
					expect({ file, kind, anchor: anchors.has(url.slice(docs.length)) }).toEqual({ file, kind, anchor: true });
				}
			}
			expect(codex.resources.credentialDocumentation).toEqual([{ url: new CheckMobiApi().documentationUrl }]);
		}
	});

	it('the credential\'s documentationUrl is the README\'s credentials section', () => {
		expect(new CheckMobiApi().documentationUrl).toBe(`${repositoryWebUrl()}?tab=readme-ov-file#credentials-checkmobi-api`);
		expect(readmeAnchors()).toContain('credentials-checkmobi-api');
	});

	it('has no runtime dependencies: n8n-workflow is a peer, and nothing is bundled', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.optionalDependencies ?? {}).toEqual({});
		expect(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []).toEqual([]);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('ships the licence and README with the built package, and nothing else outside dist/', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], { cwd: root, encoding: 'utf8' }),
		) as Array<{ files: Array<{ path: string }> }>;
		const outsideDist = packed.files.map((file) => file.path).filter((path) => !path.startsWith('dist/'));
		expect(outsideDist.sort()).toEqual(['LICENSE', 'README.md', 'index.js', 'package.json']);
	});

	it('is published by a GitHub Action on a version tag, after the whole CI, with npm provenance', () => {
		const workflow = read('.github/workflows/publish.yml');
		expect(workflow).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]$/m);
		expect(workflow).toMatch(/^permissions: \{\}$/m);
		expect(workflow).toMatch(/^ {6}contents: read$/m);
		expect(workflow).toMatch(/^ {6}id-token: write\b/m);
		expect(workflow).toContain('"$GITHUB_REF_NAME" != "v$version"');
		const runs = [...workflow.matchAll(/^\s+run: (.+)$/gm)].map((match) => match[1]);
		expect(runs.slice(1)).toEqual(['bash .ci/run', 'npm run build', 'npm publish --provenance --access public']);
		expect(workflow).toMatch(/NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}/);
		expect(workflow).toMatch(/registry-url: https:\/\/registry\.npmjs\.org$/m);
	});
});
