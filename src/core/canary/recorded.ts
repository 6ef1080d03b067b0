import { MalformedFileError } from '../user-file-error.js';
import type { MetricData, Series } from './judge.js';
import { readingOf } from './statistics.js';

/** One interval of recorded metric series. */
export interface RecordedInterval {
  at: string;
  data: MetricData[];
}

/** A recorded canary (`modelgate canary analyze --metrics FILE`): what the app would have queried. */
export interface RecordedCanary {
  model?: string;
  canaryVersion?: string;
  baselineVersion?: string;
  step?: number;
  weight?: number;
  intervals: RecordedInterval[];
}

const FIX = 'Record the series as described in modelgate canary --help.';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads recorded series:
 * `{ model?, canary?, baseline?, step?, weight?, intervals: [{ at, metrics: { name: { canary: [..] | {error}, baseline?: [..] | {error} } } }] }`.
 * Values may be numbers or Prometheus' strings ("NaN", "+Inf").
 */
export function readRecordedCanary(json: unknown, file: string): RecordedCanary {
  if (!isObject(json) || !Array.isArray(json.intervals))
    throw new MalformedFileError(file, 'needs an "intervals" list', FIX);
  const intervals = json.intervals.map((interval: unknown, index): RecordedInterval => {
    if (!isObject(interval) || typeof interval.at !== 'string' || !isObject(interval.metrics)) {
      throw new MalformedFileError(
        file,
        `intervals[${index}] needs "at" (a time) and "metrics" (an object)`,
        FIX,
      );
    }
    const data = Object.entries(interval.metrics).map(([metric, sides]): MetricData => {
      if (!isObject(sides))
        throw new MalformedFileError(file, `intervals[${index}].metrics.${metric} must be an object`, FIX);
      return {
        metric,
        canary: recordedSeries(sides.canary, file, `intervals[${index}].metrics.${metric}.canary`),
        ...(sides.baseline !== undefined
          ? {
              baseline: recordedSeries(
                sides.baseline,
                file,
                `intervals[${index}].metrics.${metric}.baseline`,
              ),
            }
          : {}),
      };
    });
    return { at: interval.at, data };
  });
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    model: text(json.model),
    canaryVersion: text(json.canary),
    baselineVersion: text(json.baseline),
    step: bounded(
      json.step,
      file,
      '"step"',
      'a step number from 0',
      (v) => Number.isSafeInteger(v) && v >= 0,
    ),
    // The traffic weight decides the next move (advance to the next step): only a percentage can.
    weight: bounded(
      json.weight,
      file,
      '"weight"',
      'a traffic percentage in (0, 100]',
      (v) => v > 0 && v <= 100,
    ),
    intervals,
  };
}

function bounded(
  value: unknown,
  file: string,
  where: string,
  what: string,
  fits: (v: number) => boolean,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !fits(value))
    throw new MalformedFileError(file, `${where} must be ${what}, not ${JSON.stringify(value)}`, FIX);
  return value;
}

/**
 * A recorded series (every recorded rollout file: canary, blue-green, A/B
 * health): a list of readings or `{"error": "why the query failed"}`.
 * Anything else is a MalformedFileError naming the place, with `fix`.
 */
export function recordedSeries(value: unknown, file: string, where: string, fix = FIX): Series {
  if (isObject(value) && typeof value.error === 'string') return { error: value.error };
  if (!Array.isArray(value))
    throw new MalformedFileError(file, `${where} must be a list of values or {"error": "..."}`, fix);
  return { values: value.map((v, i) => reading(v, file, `${where}[${i}]`, fix)) };
}

/** A recorded reading: a number, null (no reading) or Prometheus' text ("+Inf", "-Inf", "NaN", a decimal). */
function reading(value: unknown, file: string, where: string, fix: string): number {
  if (typeof value === 'number') return value;
  if (value === null) return Number.NaN;
  const read = typeof value === 'string' ? readingOf(value) : undefined;
  if (read === undefined)
    throw new MalformedFileError(
      file,
      `${where} must be a number, null or a string such as "+Inf" or "NaN", not ${JSON.stringify(value)?.slice(0, 60)}`,
      fix,
    );
  return read;
}
