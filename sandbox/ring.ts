// A bounded log: keeps the newest `capacity` items, drops the oldest, O(1) per push.

export class Ring<T> {
	private items: Array<T | undefined>;
	private start = 0;
	private size = 0;
	/** Items pushed since the last clear (kept or dropped). */
	total = 0;

	constructor(private capacity: number) {
		this.items = new Array<T | undefined>(Math.max(1, capacity));
	}

	get length(): number {
		return this.size;
	}

	get dropped(): number {
		return this.total - this.size;
	}

	push(item: T): void {
		this.total++;
		if (this.size < this.capacity) {
			this.items[(this.start + this.size) % this.capacity] = item;
			this.size++;
		} else {
			this.items[this.start] = item;
			this.start = (this.start + 1) % this.capacity;
		}
	}

	/** Oldest first. */
	toArray(): T[] {
		const out: T[] = new Array<T>(this.size);
		for (let i = 0; i < this.size; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
		return out;
	}

	clear(capacity = this.capacity): void {
		this.capacity = Math.max(1, capacity);
		this.items = new Array<T | undefined>(this.capacity);
		this.start = 0;
		this.size = 0;
		this.total = 0;
	}

	/** Changes the capacity, keeping the newest items. */
	resize(capacity: number): void {
		if (capacity === this.capacity) return;
		const keep = this.toArray().slice(-Math.max(1, capacity));
		const total = this.total;
		this.clear(capacity);
		for (const item of keep) this.push(item);
		this.total = total;
	}
}
