import type { RunRef, Tracker } from './run-ref.js';

/** Where a run stands: only `finished` is a run whose results are final. */
export type RunState = 'running' | 'scheduled' | 'finished' | 'failed' | 'killed' | 'crashed' | 'unknown';

/** A dataset a run trained on, as the tracker recorded it. */
export interface RunDataset {
  name: string;
  digest?: string;
  /** The input's context tag (`training`, `eval`), when recorded. */
  context?: string;
}

/** A training run as modelgate reads it from the tracker. Plain data: it goes into JSON reports. */
export interface TrainingRun {
  tracker: Tracker;
  id: string;
  /** The run's page in the tracker's UI. */
  link: string;
  name?: string;
  state: RunState;
  /** The tracker's own word for the state (`FINISHED`, `crashed`). */
  stateText: string;
  /** Parameters by name: an object without a prototype (a key such as "constructor" is only ever a run's own). */
  params: Record<string, string>;
  /** Final value of each metric (the last step), in an object without a prototype, as `params`. */
  metrics: Record<string, number>;
  datasets: RunDataset[];
  /** The git commit of the training code, when the tracker recorded one. */
  sourceCommit?: string;
  /** The model the run says it trained (`modelgate.model` tag), when it says. */
  model?: string;
  tags: Record<string, string>;
}

/**
 * A run, or why it could not be read: `unconfigured` (no credentials here,
 * a fork), `unreachable` (the service is down or refuses), `not-found`,
 * `invalid` (the answer is not what the API defines).
 */
export type RunRead =
  | { ok: true; run: TrainingRun }
  | { ok: false; reason: string; kind: 'unconfigured' | 'unreachable' | 'not-found' | 'invalid' };

/** Reads a run (an adapter: it talks to the tracker). `metrics`: keys whose full history decides the final value. */
export type RunReader = (ref: RunRef, metrics: readonly string[]) => Promise<RunRead>;

/** Tracking that cannot run here says so: everything that needs it is "not run". */
export const noTracking =
  (reason: string): RunReader =>
  async () => ({ ok: false, kind: 'unconfigured', reason });

/** The tag a run carries to say which model it trained. */
export const MODEL_TAG = 'modelgate.model';

/**
 * A map from a tracker's keys, which the tracker's user chose: an object
 * without a prototype, so that "constructor" or "__proto__" is a key like any
 * other, never Object.prototype's member (a gate on `wandb/constructor` read a
 * function, and the check crashed).
 */
export function trackerRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** The run's final value of metric `key`, when it logged one. */
export function runMetric(run: Pick<TrainingRun, 'metrics'>, key: string): number | undefined {
  return Object.hasOwn(run.metrics, key) ? run.metrics[key] : undefined;
}
