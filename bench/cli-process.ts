// Whole-process measurements for the CLI benches: a user waits for a process,
// not for a function, so start-up, module loading and exit are part of the cost.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assertFreshBundle } from '../scripts/source-digest.js';

const ROOT = join(import.meta.dirname, '..');

/** The installed command as a user runs it: Node, the bin script, the bundle in dist/. */
export function modelgateCommand(...args: string[]): string[] {
  assertFreshBundle(ROOT);
  return [process.execPath, join(ROOT, 'bin', 'modelgate.js'), ...args];
}

/** One process's cost: wall time, and the CPU time (user + system) of the process and its children. */
export interface ProcessCost {
  wallMs: number;
  cpuMs: number;
}

// bash's `times` prints the CPU time of the shell's reaped children (getrusage): the only
// portable way to read a child's CPU time from Node, which reports its own only.
const TIMES = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;

function runOnce(command: readonly string[]): ProcessCost {
  const start = performance.now();
  const run = spawnSync(
    'bash',
    ['-c', '"$@" >/dev/null; status=$?; times; exit $status', 'measure', ...command],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - start;
  if (run.status !== 0) throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  const children = TIMES.exec(run.stdout.trim().split('\n')[1] ?? '');
  if (!children) throw new Error(`cannot read the CPU time from bash's times: ${run.stdout}`);
  const [, um = '0', us = '0', sm = '0', ss = '0'] = children;
  return { wallMs, cpuMs: (Number(um) * 60 + Number(us) + Number(sm) * 60 + Number(ss)) * 1000 };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Median costs of `ours` and `baseline`, run alternately `runs` times after one
 * warm-up each (the page cache, the tokenizer-behaviour cache), so a machine
 * that slows down in the middle slows both alike.
 */
export function compareProcesses(
  runs: number,
  ours: readonly string[],
  baseline: readonly string[],
): { ours: ProcessCost; baseline: ProcessCost } {
  runOnce(ours);
  runOnce(baseline);
  const samples = { ours: [] as ProcessCost[], baseline: [] as ProcessCost[] };
  for (let i = 0; i < runs; i++) {
    samples.ours.push(runOnce(ours));
    samples.baseline.push(runOnce(baseline));
  }
  const summary = (costs: ProcessCost[]) => ({
    wallMs: median(costs.map((c) => c.wallMs)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
  });
  return { ours: summary(samples.ours), baseline: summary(samples.baseline) };
}

/** "312 ms CPU (wall 410 ms)". */
export const costText = (cost: ProcessCost) =>
  `${cost.cpuMs.toFixed(0)} ms CPU (wall ${cost.wallMs.toFixed(0)} ms)`;
