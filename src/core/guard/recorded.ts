import type { GuardPolicy } from '../manifest/guard.js';
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

/**
 * Reads recorded guard windows:
 * `{ model?, version?, previous?, windows: [{ at, metrics: { name: { current, baseline? } } }] }`
 * where a side is a list of values (a metric that is not split), a list of
 * `{ labels: {language: "de"}, values: [...] }` (one per segment), or
 * `{ error: "why the query failed" }`. Values may be numbers or Prometheus'
 * strings ("NaN", "+Inf"). Throws a message naming the place that is wrong.
 */
export function readRecordedGuard(json: unknown, file: string): RecordedGuard {
  if (!isObject(json) || !Array.isArray(json.windows)) throw new Error(`${file} needs a "windows" list`);
  if (json.windows.length > MAX_WINDOWS) throw new Error(`${file}: more than ${MAX_WINDOWS} windows`);
  const windows = json.windows.map((window: unknown, index) => {
    const where = `${file}: windows[${index}]`;
    if (!isObject(window) || typeof window.at !== 'string' || !isObject(window.metrics))
      throw new Error(`${where} needs "at" (a time) and "metrics" (an object)`);
    const data = Object.entries(window.metrics).map(([metric, sides]): GuardMetricData => {
      if (!isObject(sides)) throw new Error(`${where}.metrics.${metric} must be an object`);
      return {
        metric,
        current: side(sides.current, `${where}.metrics.${metric}.current`),
        ...(sides.baseline !== undefined
          ? { baseline: side(sides.baseline, `${where}.metrics.${metric}.baseline`) }
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

function side(value: unknown, where: string): SegmentedSeries {
  if (isObject(value) && typeof value.error === 'string') return { error: value.error };
  if (!Array.isArray(value))
    throw new Error(`${where} must be a list of values, a list of {"labels", "values"}, or {"error": "..."}`);
  if (value.every((v) => !isObject(v))) return { series: [{ labels: {}, values: numbers(value, where) }] };
  return {
    series: value.map((entry: unknown, i): LabelledSeries => {
      if (!isObject(entry) || !isObject(entry.labels) || !Array.isArray(entry.values))
        throw new Error(`${where}[${i}] must be {"labels": {...}, "values": [...]}`);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry.labels)) {
        if (typeof v !== 'string') throw new Error(`${where}[${i}].labels.${k} must be a string`);
        labels[k] = v;
      }
      return { labels, values: numbers(entry.values, `${where}[${i}].values`) };
    }),
  };
}

function numbers(values: unknown[], where: string): number[] {
  return values.map((v, i) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return Number(v.replace(/^\+/, ''));
    throw new Error(`${where}[${i}] must be a number or a string such as "NaN"`);
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
