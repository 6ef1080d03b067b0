import { readingOf } from '../canary/statistics.js';
import type { GuardPolicy } from '../manifest/guard.js';
import { MalformedFileError } from '../user-file-error.js';
import {
  judgeGuardInterval,
  type GuardInterval,
  type GuardMetricData,
  type LabelledSeries,
  type SegmentedSeries,
} from './judge.js';

/** A recorded guard (`modelgate guard analyze --metrics FILE`): what the app would have read, window by window. */
export interface RecordedGuard {
  model?: string;
  version?: string;
  previousVersion?: string;
  windows: { at: string; data: GuardMetricData[] }[];
}

/** What the guard would have concluded on recorded windows. */
export interface GuardAnalysis {
  model: string;
  version?: string;
  previousVersion?: string;
  windows: GuardInterval[];
  failures: number;
  failureLimit: number;
  /** `breached`: more failed windows than failure_limit; `passed`: none, and a window passed; `unverified`: nothing judged. */
  outcome: 'passed' | 'breached' | 'unverified';
  reason: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_WINDOWS = 5000;
const FIX = 'Record the windows as described in modelgate guard --help.';

/**
 * Reads recorded guard windows:
 * `{ model?, version?, previous?, windows: [{ at, metrics: { name: { current, baseline? } } }] }`
 * where a side is a list of values (a metric that is not split), a list of
 * `{ labels: {language: "de"}, values: [...] }` (one per segment), or
 * `{ error: "why the query failed" }`. Values may be numbers or Prometheus'
 * strings ("NaN", "+Inf"). Throws a MalformedFileError naming the place that is wrong.
 */
export function readRecordedGuard(json: unknown, file: string): RecordedGuard {
  if (!isObject(json) || !Array.isArray(json.windows))
    throw new MalformedFileError(file, 'needs a "windows" list', FIX);
  if (json.windows.length > MAX_WINDOWS)
    throw new MalformedFileError(file, `more than ${MAX_WINDOWS} windows`, FIX);
  const windows = json.windows.map((window: unknown, index) => {
    const where = `windows[${index}]`;
    if (!isObject(window) || typeof window.at !== 'string' || !isObject(window.metrics))
      throw new MalformedFileError(file, `${where} needs "at" (a time) and "metrics" (an object)`, FIX);
    const data = Object.entries(window.metrics).map(([metric, sides]): GuardMetricData => {
      if (!isObject(sides))
        throw new MalformedFileError(file, `${where}.metrics.${metric} must be an object`, FIX);
      return {
        metric,
        current: side(sides.current, file, `${where}.metrics.${metric}.current`),
        ...(sides.baseline !== undefined
          ? { baseline: side(sides.baseline, file, `${where}.metrics.${metric}.baseline`) }
          : {}),
      };
    });
    return { at: window.at, data };
  });
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    model: text(json.model),
    version: text(json.version),
    previousVersion: text(json.previous),
    windows,
  };
}

function side(value: unknown, file: string, where: string): SegmentedSeries {
  if (isObject(value) && typeof value.error === 'string') return { error: value.error };
  if (!Array.isArray(value))
    throw new MalformedFileError(
      file,
      `${where} must be a list of values, a list of {"labels", "values"}, or {"error": "..."}`,
      FIX,
    );
  if (value.every((v) => !isObject(v)))
    return { series: [{ labels: {}, values: numbers(value, file, where) }] };
  return {
    series: value.map((entry: unknown, i): LabelledSeries => {
      if (!isObject(entry) || !isObject(entry.labels) || !Array.isArray(entry.values))
        throw new MalformedFileError(file, `${where}[${i}] must be {"labels": {...}, "values": [...]}`, FIX);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry.labels)) {
        if (typeof v !== 'string')
          throw new MalformedFileError(file, `${where}[${i}].labels.${k} must be a string`, FIX);
        labels[k] = v;
      }
      return { labels, values: numbers(entry.values, file, `${where}[${i}].values`) };
    }),
  };
}

function numbers(values: unknown[], file: string, where: string): number[] {
  return values.map((v, i) => {
    if (typeof v === 'number') return v;
    const read = typeof v === 'string' ? readingOf(v) : undefined;
    if (read !== undefined) return read;
    throw new MalformedFileError(
      file,
      `${where}[${i}] must be a number or a string such as "+Inf" or "NaN", not ${JSON.stringify(v)?.slice(0, 60)}`,
      FIX,
    );
  });
}

/**
 * Judges recorded windows as the app's guard would: each window with the
 * same judge (thresholds, the previous version compared segment by segment
 * with the multiple-comparison correction), failed windows counted against
 * `failure_limit`. No evidence is not a pass: with no window passed the
 * outcome is `unverified`.
 */
export function analyzeRecordedGuard(
  policy: GuardPolicy,
  recorded: RecordedGuard,
  model: string,
): GuardAnalysis {
  const windows = recorded.windows.map((w) => judgeGuardInterval(policy, w.data, w.at));
  const failures = windows.filter((w) => w.verdict === 'fail').length;
  const failureLimit = policy.failure_limit ?? 0;
  const outcome =
    failures > failureLimit
      ? 'breached'
      : windows.some((w) => w.verdict === 'pass')
        ? 'passed'
        : 'unverified';
  const reason =
    outcome === 'breached'
      ? `${failures} failed window(s), more than failure_limit ${failureLimit}: on_breach ${policy.on_breach ?? 'rollback'}`
      : outcome === 'passed'
        ? `${windows.length} window(s), ${failures} failed (failure_limit ${failureLimit})`
        : 'no window could be judged: production was not verified';
  return {
    model,
    ...(recorded.version ? { version: recorded.version } : {}),
    ...(recorded.previousVersion ? { previousVersion: recorded.previousVersion } : {}),
    windows,
    failures,
    failureLimit,
    outcome,
    reason,
  };
}
