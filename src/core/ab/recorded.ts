import type { CanaryDecision } from '../canary/decide.js';
import type { CanaryPolicy, MetricData, Series } from '../canary/judge.js';
import type { CanaryState } from '../canary/state.js';
import { recordedSeries } from '../canary/recorded.js';
import { MalformedFileError } from '../user-file-error.js';
import { resolveAbPolicy, type AbPolicy } from './policy.js';
import { startAbRecord, type AbOutcome } from './state.js';
import { nextAbJudgment, planAbStep, type AbArmReading, type AbData } from './step.js';

/** Recorded A/B counts (`modelgate ab analyze --counts FILE`): what the app would have read, interval by interval. */
export interface RecordedAb {
  model?: string;
  /** B: the new version; A: the version in production. */
  version?: string;
  baseline?: string;
  /** When the split went live; default: one interval before the first interval's end. */
  started?: string;
  intervals: { at: string; data: AbData }[];
}

/** What the app would have concluded on the recording, and the state it would have kept. */
export interface AbAnalysis {
  model: string;
  /** The conclusion, or `undecided` when the recording ends before one. */
  outcome: AbOutcome | 'undecided';
  reason: string;
  /** The decision the last judged interval came to. */
  decision?: CanaryDecision;
  /**
   * Intervals recorded after the test ended (or, without health to watch,
   * after the proposal): the app would not have read them.
   */
  unread: number;
  /**
   * B's serving health: `judged` (the manifest has canary.metrics and the
   * recording holds health series), `not recorded` (it has canary.metrics,
   * the recording none: judged on the product metric alone, as the report
   * says), or `no canary.metrics`.
   */
  health: 'judged' | 'not recorded' | 'no canary.metrics';
  state: CanaryState;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_INTERVALS = 100_000;
const FIX = 'Record the counts as described in modelgate ab --help (docs/ab.md).';
const malformed = (file: string, problem: string) => new MalformedFileError(file, problem, FIX);

/**
 * Reads recorded counts:
 * `{ model?, version?, baseline?, started?, intervals: [{ at, a: {successes, trials} | {error}, b: … }] }`,
 * each arm's counts being that interval's increments. Throws a message
 * naming the place that is wrong; impossible counts (negative, more
 * successes than trials) are kept, for the judgment to report as errors.
 * Throws MalformedFileError for what the user must fix.
 */
export function readRecordedAb(json: unknown, file: string): RecordedAb {
  if (!isObject(json) || !Array.isArray(json.intervals)) throw malformed(file, 'needs an "intervals" list');
  if (json.intervals.length > MAX_INTERVALS) throw malformed(file, `more than ${MAX_INTERVALS} intervals`);
  const intervals = json.intervals.map((interval: unknown, index) => {
    const where = `intervals[${index}]`;
    if (!isObject(interval) || typeof interval.at !== 'string' || !Number.isFinite(Date.parse(interval.at)))
      throw malformed(file, `${where} needs "at", the time the interval ended (ISO 8601)`);
    const health =
      interval.health === undefined ? undefined : healthOf(interval.health, file, `${where}.health`);
    return {
      at: interval.at,
      data: {
        a: arm(interval.a, file, `${where}.a`),
        b: arm(interval.b, file, `${where}.b`),
        ...(health ? { health } : {}),
      },
    };
  });
  const text = (v: unknown, name: string) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw malformed(file, `"${name}" must be a string`);
    return v;
  };
  const started = text(json.started, 'started');
  if (started !== undefined && !Number.isFinite(Date.parse(started)))
    throw malformed(file, `"started" must be a time (ISO 8601), not ${JSON.stringify(started)}`);
  return {
    model: text(json.model, 'model'),
    version: text(json.version, 'version'),
    baseline: text(json.baseline, 'baseline'),
    started,
    intervals,
  };
}

function arm(value: unknown, file: string, where: string): AbArmReading {
  if (isObject(value) && typeof value.error === 'string') return { error: value.error };
  if (!isObject(value) || typeof value.successes !== 'number' || typeof value.trials !== 'number')
    throw malformed(
      file,
      `${where} must be {"successes": N, "trials": N} or {"error": "why the query failed"}`,
    );
  return { successes: value.successes, trials: value.trials };
}

/** `{ "<metric>": { "b": [values] | {error}, "a"?: [values] | {error} } }`: B as the canary, A as the baseline. */
function healthOf(value: unknown, file: string, where: string): MetricData[] {
  if (!isObject(value))
    throw malformed(file, `${where} must be an object of metrics: {"error_rate": {"b": [...], "a": [...]}}`);
  return Object.entries(value).map(([metric, sides]) => {
    if (!isObject(sides) || sides.b === undefined)
      throw malformed(
        file,
        `${where}.${metric} must be {"b": [values], "a": [values]} (B's series, then A's)`,
      );
    return {
      metric,
      canary: series(sides.b, file, `${where}.${metric}.b`),
      ...(sides.a !== undefined ? { baseline: series(sides.a, file, `${where}.${metric}.a`) } : {}),
    };
  });
}

/** Values as numbers, null or Prometheus' strings ("NaN", "+Inf"), or why the query failed. */
const series = (value: unknown, file: string, where: string): Series =>
  recordedSeries(value, file, where, FIX);

/**
 * Judges a recording as the app would: from the split going live, one look
 * per interval at its due time, until the test concludes (and, without
 * auto_conclude, proposes: what `/ab conclude` would apply). Each
 * interval's `at` must be the end the app would have read, so a recording
 * made with another interval is refused rather than judged on the wrong clock.
 * With the manifest's canary policy and health series in the recording, B's
 * serving health is judged at every look as the app judges it (an interval
 * without them counts as an error, as nothing read would in the app), and
 * the intervals after a proposal are read as the app reads them while the
 * proposal waits for `/ab conclude`: B's health only, so a breach there
 * overrules the proposal (keep A).
 */
export function analyzeRecordedAb(
  policy: AbPolicy,
  recorded: RecordedAb,
  model: string,
  file: string,
  canary?: CanaryPolicy,
): AbAnalysis {
  const resolved = resolveAbPolicy(policy);
  const hasMetrics = Boolean(canary?.metrics?.length);
  const recordsHealth = recorded.intervals.some((i) => i.data.health !== undefined);
  const healthPolicy = hasMetrics && recordsHealth ? canary : undefined;
  const first = recorded.intervals[0];
  const startedMs = recorded.started
    ? Date.parse(recorded.started)
    : first
      ? Date.parse(first.at) - resolved.intervalMs
      : 0;
  let state: CanaryState = {
    v: 1,
    model,
    version: recorded.version ?? 'B',
    ref: `${model}@v${recorded.version ?? 'B'}`,
    sha: '0'.repeat(40),
    manifest: '',
    trigger: 'recorded',
    pr: 1,
    environment: 'canary',
    productionEnvironment: 'production',
    baselineVersion: recorded.baseline,
    deploymentId: 1,
    weight: resolved.split,
    stepStartedAt: new Date(startedMs).toISOString(),
    intervals: [],
    status: 'running',
    strategy: 'ab',
    ab: startAbRecord(new Date(startedMs)),
  };
  let decision: CanaryDecision | undefined;
  let judged = 0;
  for (const [index, interval] of recorded.intervals.entries()) {
    const window = nextAbJudgment(state, policy);
    if (!window) break;
    if (Date.parse(interval.at) !== window.due.getTime())
      throw malformed(
        file,
        `intervals[${index}] ends at ${interval.at}, but with interval ${resolved.text.interval} from ${new Date(startedMs).toISOString()} the app reads the interval ending ${window.due.toISOString()}: record one entry per interval, in order`,
      );
    const step = planAbStep(state, policy, healthPolicy, interval.data, window.due, { autoMerge: false });
    if (step.kind !== 'judged') break;
    ({ state, decision } = step);
    judged += 1;
  }
  const proposal = state.ab?.proposal;
  return {
    model,
    outcome: proposal?.outcome ?? 'undecided',
    reason:
      proposal?.reason ??
      (judged === 0
        ? 'no interval was recorded'
        : `the recording ends before a conclusion: ${decision?.reason ?? 'not judged'}`),
    decision,
    unread: recorded.intervals.length - judged,
    health: healthPolicy ? 'judged' : hasMetrics ? 'not recorded' : 'no canary.metrics',
    state,
  };
}
