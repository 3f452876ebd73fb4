/** Median and spread of repeated measurements. */

export interface Summary {
	/** Every run's value, in the order measured. */
	runs: number[];
	median: number;
	min: number;
	max: number;
	/** (max - min) / median, as a fraction; 0 for a single run. */
	spread: number;
}

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: number[]): Summary {
	const m = median(values);
	const min = Math.min(...values);
	const max = Math.max(...values);
	return { runs: values.map(round3), median: round3(m), min: round3(min), max: round3(max), spread: m ? round3((max - min) / m) : 0 };
}

export function round3(value: number): number {
	return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}

/** A ratio of two medians, rounded. */
export function ratio(a: number, b: number): number {
	return b === 0 ? NaN : round3(a / b);
}
