// The sandbox's clock and its timed transitions (SMS status changes, call events, missed-call
// timeouts, bulk batches). The clock is real time plus an offset that tests can move forward;
// "advance" runs what is due (or everything pending) at once instead of waiting.

interface Task {
	id: number;
	due: number;
	label: string;
	run: () => void;
	timer: NodeJS.Timeout | null;
}

export class Scheduler {
	private offsetMs = 0;
	private nextId = 1;
	private readonly tasks = new Map<number, Task>();
	private readonly onError: (label: string, error: unknown) => void;

	constructor(onError: (label: string, error: unknown) => void) {
		this.onError = onError;
	}

	/** Milliseconds on the sandbox clock. */
	now(): number {
		return Date.now() + this.offsetMs;
	}

	get pending(): number {
		return this.tasks.size;
	}

	/** Runs `run` after `delayMs` of the sandbox clock; returns the task id (for cancel). */
	schedule(delayMs: number, label: string, run: () => void): number {
		const task: Task = { id: this.nextId++, due: this.now() + Math.max(0, delayMs), label, run, timer: null };
		this.tasks.set(task.id, task);
		this.arm(task);
		return task.id;
	}

	cancel(id: number | null | undefined): void {
		if (id == null) return;
		const task = this.tasks.get(id);
		if (!task) return;
		if (task.timer) clearTimeout(task.timer);
		this.tasks.delete(id);
	}

	/** Moves the clock forward by `ms` and runs every task that is then due. Returns how many ran. */
	advanceBy(ms: number): number {
		this.offsetMs += Math.max(0, ms);
		let ran = 0;
		for (;;) {
			const due = this.sorted().filter((t) => t.due <= this.now());
			if (due.length === 0) break;
			for (const task of due) if (this.execute(task)) ran++;
		}
		for (const task of this.tasks.values()) this.arm(task);
		return ran;
	}

	/** Runs every pending task now, in due order, including the ones they schedule. */
	runAll(limit = 1_000_000): number {
		let ran = 0;
		while (this.tasks.size > 0 && ran < limit) {
			for (const task of this.sorted()) {
				if (this.execute(task)) ran++;
				if (ran >= limit) break;
			}
		}
		return ran;
	}

	/** Forgets every task (reset / close). */
	clear(): void {
		for (const task of this.tasks.values()) if (task.timer) clearTimeout(task.timer);
		this.tasks.clear();
	}

	/** Sets the clock offset back to zero (reset). */
	resetClock(): void {
		this.offsetMs = 0;
		for (const task of this.tasks.values()) this.arm(task);
	}

	describe(): Array<{ id: number; label: string; dueInMs: number }> {
		const now = this.now();
		return this.sorted().map((t) => ({ id: t.id, label: t.label, dueInMs: t.due - now }));
	}

	private sorted(): Task[] {
		return [...this.tasks.values()].sort((a, b) => a.due - b.due || a.id - b.id);
	}

	private arm(task: Task): void {
		if (task.timer) clearTimeout(task.timer);
		const delay = Math.max(0, task.due - this.now());
		task.timer = setTimeout(() => this.execute(task), delay);
		task.timer.unref();
	}

	private execute(task: Task): boolean {
		if (!this.tasks.has(task.id)) return false;
		if (task.timer) clearTimeout(task.timer);
		this.tasks.delete(task.id);
		try {
			task.run();
		} catch (error) {
			this.onError(task.label, error);
		}
		return true;
	}
}
