/**
 * Memory and CPU of a process group, read from /proc (Linux): the n8n server and its task runner.
 *
 * - Peak memory of one process is exact: the kernel keeps the high-water mark of its resident set
 *   (VmHWM), and writing "5" to /proc/<pid>/clear_refs resets it to the current size, so the peak of
 *   one run can be read alone.
 * - The group's peak is sampled: the sum of VmRSS of its members every `intervalMs`.
 * - CPU time is utime + stime from /proc/<pid>/stat, in clock ticks (USER_HZ, 100 on Linux).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function readStat(pid: number): { pgrp: number; cpuTicks: number } | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may hold spaces: split after the last ")".
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		// fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
		return { pgrp: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return undefined;
	}
}

function statusKb(pid: number, key: string): number | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Every live process whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		if (readStat(pid)?.pgrp === pgid) members.push(pid);
	}
	return members;
}

export function rssBytes(pid: number): number {
	return (statusKb(pid, 'VmRSS') ?? 0) * 1024;
}

export function peakRssBytes(pid: number): number {
	return (statusKb(pid, 'VmHWM') ?? 0) * 1024;
}

/** Resets the process's peak resident set (VmHWM) to its current size. */
export function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
	return (readStat(pid)?.cpuTicks ?? 0) / TICKS_PER_SECOND;
}

export function groupCpuSeconds(pgid: number): number {
	return groupMembers(pgid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

export interface MemoryWindow {
	/** RSS of the main process when the window opened (bytes). */
	startRss: number;
	/** VmHWM of the main process over the window (exact). */
	peakRss: number;
	/** Highest sampled sum of RSS over the group. */
	groupPeakRss: number;
	/** CPU seconds used in the window by the main process and by the whole group. */
	cpuSeconds: number;
	groupCpuSeconds: number;
	samples: number;
}

/** Watches one process group between start() and stop(). */
export class GroupSampler {
	private timer: NodeJS.Timeout | undefined;
	private members: number[] = [];
	private lastScan = 0;
	private startRss = 0;
	private groupPeak = 0;
	private samples = 0;
	private cpuStart = 0;
	private groupCpuStart = 0;

	constructor(
		private readonly pid: number,
		private readonly intervalMs = 50,
	) {}

	start(options: { resetPeak?: boolean } = {}): void {
		this.members = groupMembers(this.pid);
		this.lastScan = Date.now();
		if (options.resetPeak !== false) resetPeak(this.pid);
		this.startRss = rssBytes(this.pid);
		this.groupPeak = 0;
		this.samples = 0;
		this.cpuStart = cpuSeconds(this.pid);
		this.groupCpuStart = this.members.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	private sample(): void {
		if (Date.now() - this.lastScan > 1000) {
			this.members = groupMembers(this.pid);
			this.lastScan = Date.now();
		}
		const total = this.members.reduce((sum, pid) => sum + rssBytes(pid), 0);
		if (total > this.groupPeak) this.groupPeak = total;
		this.samples++;
	}

	stop(): MemoryWindow {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.sample();
		const members = groupMembers(this.pid);
		return {
			startRss: this.startRss,
			peakRss: peakRssBytes(this.pid),
			groupPeakRss: this.groupPeak,
			cpuSeconds: cpuSeconds(this.pid) - this.cpuStart,
			groupCpuSeconds: members.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - this.groupCpuStart,
			samples: this.samples,
		};
	}
}

export function loadAverage(): [number, number, number] {
	const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
	return [one, five, fifteen];
}
