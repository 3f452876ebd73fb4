/**
 * Where a V8 CPU profile (from `npm run bench -- --cpu-prof`) spent its time: self time by package
 * and by function, and inclusive time by function. Idle time is left out.
 *
 *   node build/bench/bench/profileSummary.js build/bench/profiles/CPU.….cpuprofile [from-function] [top]
 *
 * `from-function`: count only samples from the first one whose stack holds a frame of that name
 * (e.g. `router`), which leaves n8n's start-up out.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

function main(): void {
	const [file, marker = '', topText = '30'] = process.argv.slice(2);
	if (!file) throw new Error('usage: profileSummary.js <file.cpuprofile> [from-function] [top]');
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const top = Number(topText);
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
	const label = (n: ProfileNode) =>
		`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}`;
	const stack = (id: number): ProfileNode[] => {
		const frames: ProfileNode[] = [];
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) frames.push(byId.get(current)!);
		return frames;
	};

	let from = 0;
	if (marker) {
		from = profile.samples.findIndex((id) => stack(id).some((n) => n.callFrame.functionName === marker));
		if (from < 0) throw new Error(`no sample has a frame named ${marker}`);
	}
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	const byPackage = new Map<string, number>();
	let total = 0;
	for (let i = from; i < profile.samples.length; i++) {
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const leaf = byId.get(profile.samples[i])!;
		if (leaf.callFrame.functionName === '(idle)') continue;
		total += ms;
		self.set(label(leaf), (self.get(label(leaf)) ?? 0) + ms);
		const url = leaf.callFrame.url;
		const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node (built-in)' : url ? 'other' : leaf.callFrame.functionName);
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
		const seen = new Set<string>();
		for (const frame of stack(profile.samples[i])) {
			const key = label(frame);
			if (seen.has(key)) continue;
			seen.add(key);
			inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
		}
	}
	const show = (title: string, map: Map<string, number>) => {
		process.stdout.write(`\n== ${title} (of ${total.toFixed(0)} ms busy)\n`);
		for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
			process.stdout.write(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}\n`);
		}
	};
	show('self time by package', byPackage);
	show('self time by function', self);
	show('inclusive time by function', inclusive);
}

main();
