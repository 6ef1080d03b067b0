import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './small-fork.js';

/** A real Prometheus (Debian's package) on 127.0.0.1, its storage backfilled from OpenMetrics text with promtool. */
export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts Prometheus on data made by `promtool tsdb create-blocks-from
 * openmetrics`. A missing binary fails the test: the test command installs it
 * (scripts/test.sh), and CI must not skip real-server tests silently.
 */
export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-prometheus-'));
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'series.om'), openMetrics);
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  // One block for the whole recording: promtool's default cuts one per 2 hours, and a guard's 58 hours of
  // series took a second of CPU (several on a busy machine) to write as 30 blocks.
  runOk('promtool', [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    '--max-block-duration=8760h',
    join(dir, 'series.om'),
    data,
  ]);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/-/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Prometheus did not become ready on ${url}`);
}

/** Start of the recorded window (fixed, so every run queries the same data). */
export const T0 = 1_763_800_000;

/**
 * llm_requests_total counters every 15 s for 2 hours: 10 requests/s per
 * version, with a per-step error share that wobbles deterministically around
 * `errorShare` (versions with share -1 receive no traffic: 0/0 = NaN).
 */
export function requestSeries(model: string, versions: Record<string, number>): string {
  const lines = ['# HELP llm_requests_total Requests served.', '# TYPE llm_requests_total counter'];
  for (const [version, share] of Object.entries(versions)) {
    let ok = 0;
    let failed = 0;
    const points: [number, number, number][] = [];
    for (let i = 0; i <= 480; i++) {
      const wobble = 1 + 0.3 * Math.sin(i * 1.7 + version.length);
      const requests = share < 0 ? 0 : 150;
      const errors = share < 0 ? 0 : Math.round(requests * share * wobble);
      ok += requests - errors;
      failed += errors;
      points.push([T0 + i * 15, ok, failed]);
    }
    for (const [t, okCount] of points)
      lines.push(`llm_requests_total{model="${model}",version="${version}",code="200"} ${okCount} ${t}`);
    for (const [t, , failedCount] of points)
      lines.push(`llm_requests_total{model="${model}",version="${version}",code="500"} ${failedCount} ${t}`);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/**
 * llm_feedback_total{model,version,vote} counters every 15 s for 8 hours
 * from T0: 30 votes per 15 s per version, `up` of them thumbs-up (a counter
 * as a feedback widget's exporter would write it).
 */
export function feedbackSeries(model: string, upPer15s: Record<string, number>): string {
  const lines = ['# HELP llm_feedback_total Feedback votes.', '# TYPE llm_feedback_total counter'];
  for (const [version, up] of Object.entries(upPer15s))
    for (const [vote, perStep] of [
      ['up', up],
      ['down', 30 - up],
    ] as const)
      for (let i = 0; i <= (8 * 3600) / 15; i++)
        lines.push(
          `llm_feedback_total{model="${model}",version="${version}",vote="${vote}"} ${i * perStep} ${T0 + i * 15}`,
        );
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
