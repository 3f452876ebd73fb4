#!/usr/bin/env node
// n8n's own scanner for community packages (@n8n/scan-community-package), run offline the way it
// scans a published package: its analyzePackage over the source checkout with its source patterns,
// and over the packed tarball's compiled .js and package.json. Its CLI would download the published
// tarball and the source its npm provenance names; here the tarball is packed from a fresh build of
// this checkout in a temporary folder (the checkout's dist/ is not touched). Exit code 1 on any
// finding. Usage: node scripts/scan-package.mjs [packageDir]   (default: this repository)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = resolve(process.argv[2] ?? repo);
const require = createRequire(import.meta.url);
const scannerVersion = require('@n8n/scan-community-package/package.json').version;

// Top-level folders that never go into a build: installed, generated and cached.
const NOT_COPIED = new Set(['node_modules', '.git', '.cache', 'dist', 'build', 'coverage']);

const work = mkdtempSync(join(tmpdir(), 'checkmobi-scan-'));
// The scanner makes a temporary folder of its own when imported (for the downloads it does not do
// here): TMPDIR puts it inside ours, which is removed at the end.
process.env.TMPDIR = work;
// eslint-plugin-n8n-nodes-base takes every file for `Test.node.ts` when NODE_ENV is `test` (as
// under jest), which turns its filename rules into false findings.
delete process.env.NODE_ENV;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

const npm = (args, cwd) =>
	execFileSync('npm', [...args, '--offline', '--ignore-scripts'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Builds a copy of the package with its own build script and packs it: the tarball npm would publish. */
function packFreshBuild() {
	const stage = join(work, 'stage');
	cpSync(packageDir, stage, { recursive: true, filter: (from) => !NOT_COPIED.has(relative(packageDir, from)) });
	symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir');
	npm(['run', 'build'], stage);
	const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], stage));
	const unpacked = join(work, 'tarball');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', unpacked, '--strip-components=1']);
	return { dir: unpacked, name: packed.filename, files: packed.files.length };
}

let failed = false;
function report(what, result) {
	// A pass with a message ("No files found to analyze") scanned nothing: not a pass here.
	const passed = result.passed && !result.message;
	console.log(`${passed ? 'passed' : 'FAILED'}: ${what}${result.message ? ` (${result.message})` : ''}`);
	if (result.details) console.log(result.details);
	failed ||= !passed;
}

try {
	const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
	console.log(`n8n's package scanner ${scannerVersion} on ${name}, offline`);
	report(`source checkout (${SOURCE_FILE_PATTERNS.join(', ')})`, await analyzePackage(packageDir, SOURCE_FILE_PATTERNS));
	const tarball = packFreshBuild();
	report(
		`packed tarball ${tarball.name} (${tarball.files} files; its .js and package.json)`,
		await analyzePackage(tarball.dir, ['**/*.js', 'package.json']),
	);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	failed = true;
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
