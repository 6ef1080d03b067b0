import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { b as readingOf, c as countedSorted, s as sortedMedian, d as formatReading, m as mannWhitneySorted, h as hodgesLehmannSorted, e as finitePart } from './recorded-analysis-C9s4W0RU.js';

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
                canary: recordedSeries(sides.canary, file, `intervals[${index}].metrics.${metric}.canary`),
                ...(sides.baseline !== undefined
                    ? {
                        baseline: recordedSeries(sides.baseline, file, `intervals[${index}].metrics.${metric}.baseline`),
                    }
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
/**
 * A recorded series (every recorded rollout file: canary, blue-green, A/B
 * health): a list of readings or `{"error": "why the query failed"}`.
 * Anything else is a MalformedFileError naming the place, with `fix`.
 */
function recordedSeries(value, file, where, fix = FIX) {
    if (isObject(value) && typeof value.error === 'string')
        return { error: value.error };
    if (!Array.isArray(value))
        throw new MalformedFileError(file, `${where} must be a list of values or {"error": "..."}`, fix);
    return { values: value.map((v, i) => reading(v, file, `${where}[${i}]`, fix)) };
}
/** A recorded reading: a number, null (no reading) or Prometheus' text ("+Inf", "-Inf", "NaN", a decimal). */
function reading(value, file, where, fix) {
    if (typeof value === 'number')
        return value;
    if (value === null)
        return Number.NaN;
    const read = typeof value === 'string' ? readingOf(value) : undefined;
    if (read === undefined)
        throw new MalformedFileError(file, `${where} must be a number, null or a string such as "+Inf" or "NaN", not ${JSON.stringify(value)?.slice(0, 60)}`, fix);
    return read;
}

const DEFAULT_JUDGE_OPTIONS = {
    confidence: 0.95,
    minSamples: 3,
    passScore: 95,
    marginalScore: 75,
};
/**
 * Judges one interval: each metric against its thresholds and, when there is
 * a baseline, against it with a Mann–Whitney U test in the metric's bad
 * direction (Hodges–Lehmann shift as the effect size). A failing critical
 * metric fails the interval; otherwise the score decides (Kayenta's marginal
 * and pass levels). An interval passes only when at least one metric was
 * judged on canary data: `on_no_data: pass` may count a silent metric in the
 * score, never make a pass out of silence alone.
 */
function judgeInterval(metrics, data, policy, at, options = DEFAULT_JUDGE_OPTIONS) {
    const measurements = metrics.map((metric) => judgeMetric(metric, data.find((d) => d.metric === metric.name), policy.on_no_data ?? 'inconclusive', options));
    const judged = measurements.filter((m) => m.verdict === 'pass' || m.verdict === 'fail');
    const score = judged.length ? (100 * judged.filter((m) => m.verdict === 'pass').length) / judged.length : 0;
    let verdict;
    if (measurements.some((m) => m.critical && m.verdict === 'fail'))
        verdict = 'fail';
    else if (measurements.length && measurements.every((m) => m.verdict === 'error'))
        verdict = 'error';
    else if (!judged.length)
        verdict = 'inconclusive';
    else if (score >= options.passScore)
        verdict = 'pass';
    else if (score < options.marginalScore)
        verdict = 'fail';
    else
        verdict = 'inconclusive';
    if (verdict === 'pass' && !judged.some((m) => m.canary !== undefined)) {
        return {
            at,
            verdict: 'inconclusive',
            score,
            measurements,
            reason: 'no metric had canary data: nothing was judged, so the interval cannot pass',
        };
    }
    return { at, verdict, score, measurements };
}
function judgeMetric(metric, data, onNoData, options) {
    const base = {
        metric: metric.name,
        critical: metric.critical === true,
        threshold: {
            ...(metric.min !== undefined ? { min: metric.min } : {}),
            ...(metric.max !== undefined ? { max: metric.max } : {}),
        },
    };
    if (!data || 'error' in data.canary)
        return {
            ...base,
            verdict: 'error',
            reason: data && 'error' in data.canary
                ? `canary query failed: ${data.canary.error}`
                : 'no data returned for the metric',
        };
    const canary = countedSorted(data.canary.values);
    if (!canary.length)
        return { ...base, verdict: onNoData, reason: `no canary data (on_no_data: ${onNoData})` };
    const canaryMedian = sortedMedian(canary);
    // The baseline is part of the evidence even when a threshold already decides.
    const baselineValues = data.baseline && !('error' in data.baseline) ? countedSorted(data.baseline.values) : undefined;
    const evidence = {
        ...base,
        canary: { median: canaryMedian, n: canary.length },
        ...(baselineValues?.length
            ? { baseline: { median: sortedMedian(baselineValues), n: baselineValues.length } }
            : {}),
    };
    // As many -Inf as +Inf readings around the middle: no median, so no threshold can hold.
    if ((metric.min !== undefined || metric.max !== undefined) && Number.isNaN(canaryMedian))
        return {
            ...evidence,
            verdict: 'fail',
            reason: 'the canary has no median (its two middle readings are -Inf and +Inf)',
        };
    if (metric.min !== undefined && canaryMedian < metric.min)
        return {
            ...evidence,
            verdict: 'fail',
            reason: `canary median ${formatReading(canaryMedian)} is below ${metric.min}`,
        };
    if (metric.max !== undefined && canaryMedian > metric.max)
        return {
            ...evidence,
            verdict: 'fail',
            reason: `canary median ${formatReading(canaryMedian)} is above ${metric.max}`,
        };
    const hasThreshold = metric.min !== undefined || metric.max !== undefined;
    const within = hasThreshold ? `canary median ${formatReading(canaryMedian)} within the threshold` : '';
    if (!metric.direction || !data.baseline) {
        return hasThreshold
            ? { ...evidence, verdict: 'pass', reason: within }
            : { ...evidence, verdict: 'inconclusive', reason: 'no threshold and no baseline comparison' };
    }
    if ('error' in data.baseline)
        return { ...evidence, verdict: 'error', reason: `baseline query failed: ${data.baseline.error}` };
    const baseline = baselineValues;
    if (canary.length < options.minSamples || baseline.length < options.minSamples) {
        const reason = `too few values to compare (canary ${canary.length}, baseline ${baseline.length}; at least ${options.minSamples} each)`;
        return hasThreshold
            ? { ...evidence, verdict: 'pass', reason: `${within}; ${reason}` }
            : { ...evidence, verdict: 'inconclusive', reason };
    }
    const u = mannWhitneySorted(canary, baseline);
    const effect = hodgesLehmannSorted(finitePart(canary), finitePart(baseline));
    const p = metric.direction === 'increase'
        ? u.pGreater
        : metric.direction === 'decrease'
            ? u.pLess
            : Math.min(1, 2 * Math.min(u.pGreater, u.pLess));
    const test = { u: u.u, p, effect, method: u.method };
    const alpha = 1 - options.confidence;
    const worse = metric.direction === 'increase' ? 'higher' : metric.direction === 'decrease' ? 'lower' : 'different';
    if (p < alpha)
        return {
            ...evidence,
            test,
            verdict: 'fail',
            reason: `canary is ${worse} than the baseline (shift ${formatReading(effect)}, p = ${p.toPrecision(2)})`,
        };
    return {
        ...evidence,
        test,
        verdict: 'pass',
        reason: `${within ? `${within}; ` : ''}not ${worse} than the baseline (p = ${p.toPrecision(2)})`,
    };
}
/**
 * Applies the limits across intervals (Argo Rollouts' semantics): the
 * analysis fails when failed intervals exceed `failure_limit` (default 0) or
 * consecutive errors exceed `consecutive_error_limit` (default 4); it passes
 * when `required` intervals passed or failed within the limit.
 */
function judgeAnalysis(intervals, policy, required) {
    const failureLimit = policy.failure_limit ?? 0;
    const errorLimit = policy.consecutive_error_limit ?? 4;
    let failures = 0;
    let consecutiveErrors = 0;
    for (const interval of intervals) {
        if (interval.verdict === 'fail')
            failures += 1;
        consecutiveErrors = interval.verdict === 'error' ? consecutiveErrors + 1 : 0;
        if (failures > failureLimit)
            return {
                status: 'failed',
                reason: `${failures} failed interval(s), more than failure_limit ${failureLimit}`,
                failures,
                consecutiveErrors,
            };
        if (consecutiveErrors > errorLimit)
            return {
                status: 'failed',
                reason: `${consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}`,
                failures,
                consecutiveErrors,
            };
    }
    // Inconclusive and error intervals do not count: an analysis never passes on missing evidence,
    // and never on none at all (zero intervals required is still one).
    const judged = intervals.filter((i) => i.verdict === 'pass' || i.verdict === 'fail').length;
    const needed = Math.max(1, required);
    if (judged >= needed)
        return {
            status: 'passed',
            reason: `${judged} interval(s) judged, ${failures} failed (failure_limit ${failureLimit})`,
            failures,
            consecutiveErrors,
        };
    return {
        status: 'running',
        reason: `${judged} of ${needed} interval(s) judged`,
        failures,
        consecutiveErrors,
    };
}

export { DEFAULT_JUDGE_OPTIONS as D, judgeAnalysis as a, readRecordedCanary as b, judgeInterval as j, recordedSeries as r };
