import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { r as readingOf } from './recorded-analysis-K5YcIuWr.js';

/** Traffic steps when a manifest sets none (DESIGN.md's example). */
const DEFAULT_STEPS = [5, 25, 50, 100];
/**
 * The next move after a step's analysis: keep watching while it runs, roll
 * back when it failed, move to the next traffic weight when it passed, and
 * promote after the last step.
 */
function decideCanary(policy, weight, state) {
    if (state.status === 'failed')
        return { action: 'rollback', reason: state.reason };
    if (state.status === 'running')
        return { action: 'wait', reason: state.reason };
    const steps = policy.steps?.length ? policy.steps : DEFAULT_STEPS;
    const next = steps.find((step) => step > weight);
    if (next === undefined)
        return { action: 'promote', reason: `the last step (${weight}%) passed` };
    return { action: 'advance', weight: next, reason: `the ${weight}% step passed` };
}

const FIX = 'Record the series as described in modelgate canary --help.';
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Reads recorded series:
 * `{ model?, canary?, baseline?, step?, weight?, intervals: [{ at, metrics: { name: { canary: [..] | {error}, baseline?: [..] | {error} } } }] }`.
 * Values may be numbers or Prometheus' strings ("NaN", "+Inf").
 */
function readRecordedCanary(json, file) {
    if (!isObject(json) || !Array.isArray(json.intervals))
        throw new MalformedFileError(file, 'needs an "intervals" list', FIX);
    const intervals = json.intervals.map((interval, index) => {
        if (!isObject(interval) || typeof interval.at !== 'string' || !isObject(interval.metrics)) {
            throw new MalformedFileError(file, `intervals[${index}] needs "at" (a time) and "metrics" (an object)`, FIX);
        }
        const data = Object.entries(interval.metrics).map(([metric, sides]) => {
            if (!isObject(sides))
                throw new MalformedFileError(file, `intervals[${index}].metrics.${metric} must be an object`, FIX);
            return {
                metric,
                canary: series(sides.canary, file, `intervals[${index}].metrics.${metric}.canary`),
                ...(sides.baseline !== undefined
                    ? { baseline: series(sides.baseline, file, `intervals[${index}].metrics.${metric}.baseline`) }
                    : {}),
            };
        });
        return { at: interval.at, data };
    });
    const text = (v) => (typeof v === 'string' ? v : undefined);
    return {
        model: text(json.model),
        canaryVersion: text(json.canary),
        baselineVersion: text(json.baseline),
        step: bounded(json.step, file, '"step"', 'a step number from 0', (v) => Number.isSafeInteger(v) && v >= 0),
        // The traffic weight decides the next move (advance to the next step): only a percentage can.
        weight: bounded(json.weight, file, '"weight"', 'a traffic percentage in (0, 100]', (v) => v > 0 && v <= 100),
        intervals,
    };
}
function bounded(value, file, where, what, fits) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || !fits(value))
        throw new MalformedFileError(file, `${where} must be ${what}, not ${JSON.stringify(value)}`, FIX);
    return value;
}
function series(value, file, where) {
    if (isObject(value) && typeof value.error === 'string')
        return { error: value.error };
    if (!Array.isArray(value))
        throw new MalformedFileError(file, `${where} must be a list of values or {"error": "..."}`, FIX);
    return { values: value.map((v, i) => reading(v, file, `${where}[${i}]`)) };
}
/** A recorded reading: a number, null (no reading) or Prometheus' text ("+Inf", "-Inf", "NaN", a decimal). */
function reading(value, file, where) {
    if (typeof value === 'number')
        return value;
    if (value === null)
        return Number.NaN;
    const read = typeof value === 'string' ? readingOf(value) : undefined;
    if (read === undefined)
        throw new MalformedFileError(file, `${where} must be a number, null or a string such as "+Inf" or "NaN", not ${JSON.stringify(value)?.slice(0, 60)}`, FIX);
    return read;
}

export { DEFAULT_STEPS as D, decideCanary as d, readRecordedCanary as r };
