// Account limits on sliding windows: sms_per_minute, call_per_minute (error 12) and validation
// requests per number (error 14). Each window keeps the times of the accepted events in order, so
// counting is amortised O(1).

export class SlidingWindow {
	private times: number[] = [];
	private head = 0;

	constructor(private readonly windowMs: number) {}

	/** Events within (now - window, now]. */
	count(now: number): number {
		const from = now - this.windowMs;
		while (this.head < this.times.length && this.times[this.head] <= from) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
		return this.times.length - this.head;
	}

	add(now: number): void {
		this.times.push(now);
	}

	/** Adds the event unless `limit` events are already in the window (limit 0 = unlimited). */
	tryAdd(now: number, limit: number): boolean {
		if (limit > 0 && this.count(now) >= limit) return false;
		this.add(now);
		return true;
	}
}

export class Limits {
	readonly sms = new SlidingWindow(60_000);
	readonly calls = new SlidingWindow(60_000);
	private perNumber = new Map<string, SlidingWindow>();
	private perNumberWindowMs = 0;

	/** Error-14 window of validation requests to one number. */
	validationWindow(number: string, windowSeconds: number): SlidingWindow {
		const windowMs = windowSeconds * 1000;
		if (windowMs !== this.perNumberWindowMs) {
			this.perNumber = new Map();
			this.perNumberWindowMs = windowMs;
		}
		let window = this.perNumber.get(number);
		if (!window) {
			window = new SlidingWindow(windowMs);
			this.perNumber.set(number, window);
		}
		return window;
	}
}
