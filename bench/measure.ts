import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Median wall time of `runs` calls, after one warm-up call. */
export async function medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Prints one result line (and appends it to $MODELGATE_BENCH_LOG when set). */
export function report(line: string): void {
  process.stdout.write(`BENCH ${line}\n`);
  if (process.env.MODELGATE_BENCH_LOG) appendFileSync(process.env.MODELGATE_BENCH_LOG, `${line}\n`);
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
