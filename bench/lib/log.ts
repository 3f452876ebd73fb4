/** The benchmarks' progress line on stderr, with the time of day. */
export const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
