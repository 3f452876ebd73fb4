import { sleep } from 'n8n-workflow';

const WINDOW_MS = 60_000;

/**
 * Keeps requests within a per-minute limit counted the way CheckMobi counts it: over any
 * 60 seconds. A request holds its place from the moment it is sent until 60 s after its answer
 * came back (CheckMobi counted it somewhere in between), so bursts up to the limit go at once
 * and no window on CheckMobi's side ever sees more than the limit.
 */
export class MinuteLimiter {
	/** When each counted request stops counting (ms); Infinity while it is in flight. */
	private readonly releases: number[] = [];

	constructor(
		private readonly perMinute: number,
		private readonly now: () => number = Date.now,
	) {}

	/** Waits for a free place, then returns a function to call when the answer arrives. */
	async acquire(): Promise<() => void> {
		if (this.perMinute <= 0) return () => {};
		for (;;) {
			const now = this.now();
			this.forgetExpired(now);
			if (this.releases.length < this.perMinute) break;
			const earliest = Math.min(...this.releases);
			// Every place is held by a request still in flight: check again shortly.
			await sleep(Number.isFinite(earliest) ? Math.max(1, earliest - now) : 10);
		}
		this.releases.push(Infinity);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			// In-flight places are interchangeable: turn any one of them into a timed one.
			this.releases[this.releases.indexOf(Infinity)] = this.now() + WINDOW_MS;
		};
	}

	private forgetExpired(now: number) {
		let kept = 0;
		for (const release of this.releases) if (release > now) this.releases[kept++] = release;
		this.releases.length = kept;
	}
}
