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

/** A pending transition as the control API's clock shows it. */
export interface PendingTransition {
	id: number;
	label: string;
	dueInMs: number;
}

/** Min-heap of tasks by (due, id); cancelled tasks are skipped when they surface. */
class TaskHeap {
	private items: Task[] = [];

	get size(): number {
		return this.items.length;
	}

	push(task: Task): void {
		const a = this.items;
		a.push(task);
		let i = a.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(a[i], a[parent])) break;
			[a[i], a[parent]] = [a[parent], a[i]];
			i = parent;
		}
	}

	peek(): Task | undefined {
		return this.items[0];
	}

	pop(): Task | undefined {
		const a = this.items;
		if (a.length === 0) return undefined;
		const top = a[0];
		const last = a.pop() as Task;
		if (a.length > 0) {
			a[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < a.length && before(a[l], a[m])) m = l;
				if (r < a.length && before(a[r], a[m])) m = r;
				if (m === i) break;
				[a[i], a[m]] = [a[m], a[i]];
				i = m;
			}
		}
		return top;
	}

	clear(): void {
		this.items = [];
	}

	rebuild(tasks: Iterable<Task>): void {
		this.items = [];
		for (const task of tasks) this.push(task);
	}
}

function before(a: Task, b: Task): boolean {
	return a.due < b.due || (a.due === b.due && a.id < b.id);
}

export class Scheduler {
	private offsetMs = 0;
	private nextId = 1;
	private readonly tasks = new Map<number, Task>();
	private readonly heap = new TaskHeap();
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
		// Tasks that ran on their own timer stay in the heap until they surface: compact now and then.
		if (this.heap.size > 2 * this.tasks.size + 1024) this.heap.rebuild(this.tasks.values());
		this.heap.push(task);
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
		const target = this.now() + Math.max(0, ms);
		const ran = this.runUntil(target);
		const ahead = target - this.now();
		if (ahead > 0) this.offsetMs += ahead;
		this.rearm();
		return ran;
	}

	/**
	 * Runs every pending task now, in due order, including the ones they schedule. The clock jumps
	 * to each task's due time as it runs (time passes as if waited for), never backwards.
	 */
	runAll(limit = 1_000_000): number {
		const ran = this.runUntil(Infinity, limit);
		this.rearm();
		return ran;
	}

	/** Forgets every task (reset / close). */
	clear(): void {
		for (const task of this.tasks.values()) if (task.timer) clearTimeout(task.timer);
		this.tasks.clear();
		this.heap.clear();
	}

	/** Sets the clock offset back to zero (reset). */
	resetClock(): void {
		this.offsetMs = 0;
		this.rearm();
	}

	describe(): PendingTransition[] {
		const now = this.now();
		return [...this.tasks.values()].sort((a, b) => a.due - b.due || a.id - b.id).map((t) => ({ id: t.id, label: t.label, dueInMs: t.due - now }));
	}

	private runUntil(target: number, limit = 1_000_000): number {
		let ran = 0;
		while (ran < limit) {
			const top = this.heap.peek();
			if (!top) break;
			if (!this.tasks.has(top.id)) {
				this.heap.pop();
				continue;
			}
			if (top.due > target) break;
			this.heap.pop();
			const ahead = top.due - this.now();
			if (ahead > 0) this.offsetMs += ahead;
			if (this.execute(top)) ran++;
		}
		return ran;
	}

	private rearm(): void {
		for (const task of this.tasks.values()) this.arm(task);
	}

	private arm(task: Task): void {
		if (task.timer) clearTimeout(task.timer);
		const delay = Math.max(0, task.due - this.now());
		// Node's timers run on a monotonic clock and may fire a millisecond before Date.now() says
		// the delay is over: such a task waits for the rest rather than running early.
		task.timer = setTimeout(() => (this.now() < task.due ? this.arm(task) : this.execute(task)), delay);
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
