import { b as inertMarkdown, i as inertText, c as inertMermaid, d as inertJson } from './escape-xbMHTFg5.js';
import { m as mannWhitneySorted, h as hodgesLehmannSorted, r as requireAnalyze, a as readRecordedAnalysis } from './recorded-analysis-C9F7Zyjo.js';
import { f as formatOf, C as CommandError } from './command-Bxc8Kj9b.js';
import './statistics-Ci7pfg5W.js';
import 'node:fs/promises';
import 'node:path';
import './settings-Baq8tPpu.js';
import 'node:child_process';
import 'node:crypto';
import 'process';
import 'buffer';
import 'node:fs';
import './parse-C5ahWQyE.js';
import './run-ref-CuXzv_k1.js';

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

const DEFAULT_JUDGE_OPTIONS = {
    confidence: 0.95,
    minSamples: 3,
    passScore: 95,
    marginalScore: 75,
};
const fmt = (v) => Number(v.toPrecision(4)).toString();
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
    const canary = finiteSorted(data.canary.values);
    if (!canary.length)
        return { ...base, verdict: onNoData, reason: `no canary data (on_no_data: ${onNoData})` };
    const canaryMedian = median(canary);
    // The baseline is part of the evidence even when a threshold already decides.
    const baselineValues = data.baseline && !('error' in data.baseline) ? finiteSorted(data.baseline.values) : undefined;
    const evidence = {
        ...base,
        canary: { median: canaryMedian, n: canary.length },
        ...(baselineValues?.length
            ? { baseline: { median: median(baselineValues), n: baselineValues.length } }
            : {}),
    };
    if (metric.min !== undefined && canaryMedian < metric.min)
        return {
            ...evidence,
            verdict: 'fail',
            reason: `canary median ${fmt(canaryMedian)} is below ${metric.min}`,
        };
    if (metric.max !== undefined && canaryMedian > metric.max)
        return {
            ...evidence,
            verdict: 'fail',
            reason: `canary median ${fmt(canaryMedian)} is above ${metric.max}`,
        };
    const hasThreshold = metric.min !== undefined || metric.max !== undefined;
    const within = hasThreshold ? `canary median ${fmt(canaryMedian)} within the threshold` : '';
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
    const effect = hodgesLehmannSorted(canary, baseline);
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
            reason: `canary is ${worse} than the baseline (shift ${fmt(effect)}, p = ${p.toPrecision(2)})`,
        };
    return {
        ...evidence,
        test,
        verdict: 'pass',
        reason: `${within ? `${within}; ` : ''}not ${worse} than the baseline (p = ${p.toPrecision(2)})`,
    };
}
/** The finite values, sorted (NaN and ±Inf are what Prometheus returns for 0/0 and x/0: no data, not data). */
function finiteSorted(values) {
    const out = new Float64Array(values.length);
    let n = 0;
    for (const v of values)
        if (Number.isFinite(v))
            out[n++] = v;
    return out.subarray(0, n).sort();
}
function median(sorted) {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Reads recorded series:
 * `{ model?, canary?, baseline?, step?, weight?, intervals: [{ at, metrics: { name: { canary: [..] | {error}, baseline?: [..] | {error} } } }] }`.
 * Values may be numbers or Prometheus' strings ("NaN", "+Inf").
 */
function readRecordedCanary(json, file) {
    if (!isObject(json) || !Array.isArray(json.intervals))
        throw new Error(`${file} needs an "intervals" list`);
    const intervals = json.intervals.map((interval, index) => {
        if (!isObject(interval) || typeof interval.at !== 'string' || !isObject(interval.metrics)) {
            throw new Error(`${file}: intervals[${index}] needs "at" (a time) and "metrics" (an object)`);
        }
        const data = Object.entries(interval.metrics).map(([metric, sides]) => {
            if (!isObject(sides))
                throw new Error(`${file}: intervals[${index}].metrics.${metric} must be an object`);
            return {
                metric,
                canary: series(sides.canary, `${file}: intervals[${index}].metrics.${metric}.canary`),
                ...(sides.baseline !== undefined
                    ? { baseline: series(sides.baseline, `${file}: intervals[${index}].metrics.${metric}.baseline`) }
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
        step: bounded(json.step, `${file}: "step"`, 'a step number from 0', (v) => Number.isSafeInteger(v) && v >= 0),
        // The traffic weight decides the next move (advance to the next step): only a percentage can.
        weight: bounded(json.weight, `${file}: "weight"`, 'a traffic percentage in (0, 100]', (v) => v > 0 && v <= 100),
        intervals,
    };
}
function bounded(value, where, what, fits) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || !fits(value))
        throw new Error(`${where} must be ${what}, not ${JSON.stringify(value)}`);
    return value;
}
function series(value, where) {
    if (isObject(value) && typeof value.error === 'string')
        return { error: value.error };
    if (!Array.isArray(value))
        throw new Error(`${where} must be a list of values or {"error": "..."}`);
    return {
        values: value.map((v) => typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/^\+/, '')) : NaN),
    };
}

const DECISION = {
    wait: () => '⏳ keep watching',
    advance: (d) => `➡️ advance to ${d.weight}% of traffic`,
    promote: () => '🚀 promote to production',
    rollback: () => '↩️ roll back (revert pull request)',
};
function decisionText(decision) {
    return decision.action === 'advance' ? DECISION.advance(decision) : DECISION[decision.action]();
}
const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    error: '⛔ error',
};
const num = (v) => v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();
const STATUS = { running: '⏳ running', passed: '✅ passed', failed: '❌ failed' };
/** The canary report: state, the latest interval per metric with its evidence, the history, and a chart of the key metric. */
function canaryMarkdown(report) {
    const latest = report.intervals.at(-1);
    const head = `## Canary: ${inertMarkdown(report.model)} ${inertMarkdown(report.canaryVersion ?? '')}${report.baselineVersion ? ` vs ${inertMarkdown(report.baselineVersion)}` : ''}`;
    const out = [
        head,
        '',
        `**${STATUS[report.state.status]}**: ${inertMarkdown(report.state.reason)}${report.step !== undefined ? ` · step ${report.step}` : ''}${report.weight !== undefined ? ` · ${report.weight}% of traffic` : ''}`,
        '',
    ];
    if (report.decision)
        out.push(`Next: **${decisionText(report.decision)}** (${inertMarkdown(report.decision.reason)})`, '');
    if (latest) {
        out.push(`### Interval ending ${inertMarkdown(latest.at)}: ${ICON[latest.verdict]} (score ${num(latest.score)})`, '', ...(latest.reason ? [inertMarkdown(latest.reason), ''] : []), '| metric | canary | baseline | threshold | p | effect | verdict |', '|---|---|---|---|---|---|---|');
        for (const m of latest.measurements)
            out.push(measurementRow(m));
        out.push('');
    }
    if (report.intervals.length > 1) {
        out.push('### History', '', '| interval | verdict | score |', '|---|---|---|');
        for (const i of report.intervals)
            out.push(`| ${inertMarkdown(i.at)} | ${ICON[i.verdict]} | ${num(i.score)} |`);
        out.push('');
    }
    const chart = keyMetricChart(report.intervals);
    if (chart)
        out.push(chart, '');
    return out.join('\n');
}
function measurementRow(m) {
    const threshold = [
        m.threshold?.min !== undefined ? `≥ ${m.threshold.min}` : '',
        m.threshold?.max !== undefined ? `≤ ${m.threshold.max}` : '',
    ]
        .filter(Boolean)
        .join(', ') || '—';
    const canary = m.canary ? `${num(m.canary.median)} (n=${m.canary.n})` : '—';
    const baseline = m.baseline ? `${num(m.baseline.median)} (n=${m.baseline.n})` : '—';
    return `| ${m.critical ? '**' : ''}${inertMarkdown(m.metric)}${m.critical ? '** (critical)' : ''} | ${canary} | ${baseline} | ${threshold} | ${m.test ? m.test.p.toPrecision(2) : '—'} | ${m.test ? num(m.test.effect) : '—'} | ${ICON[m.verdict]}: ${inertMarkdown(m.reason)} |`;
}
/** A Mermaid xychart of the first metric's medians over time (GitHub renders it; no image hosting). */
function keyMetricChart(intervals) {
    const key = intervals[0]?.measurements[0]?.metric;
    if (!key || intervals.length < 2)
        return undefined;
    const points = intervals.map((i) => i.measurements.find((m) => m.metric === key));
    const canary = points.map((m) => m?.canary?.median ?? NaN);
    const baseline = points.map((m) => m?.baseline?.median ?? NaN);
    const all = [...canary, ...baseline].filter(Number.isFinite);
    if (!all.length)
        return undefined;
    const max = Math.max(...all);
    const label = (at) => `"${inertMermaid(at.slice(11, 16) || at)}"`;
    const line = (values) => `[${values.map((v) => (Number.isFinite(v) ? num(v) : '0')).join(', ')}]`;
    return [
        `### ${inertMarkdown(key)} over time (first line canary, second baseline)`,
        '',
        '```mermaid',
        'xychart-beta',
        `    title "${inertMermaid(key)}"`,
        `    x-axis [${intervals.map((i) => label(i.at)).join(', ')}]`,
        `    y-axis "${inertMermaid(key)}" 0 --> ${num(max * 1.2 || 1)}`,
        `    line ${line(canary)}`,
        ...(baseline.some(Number.isFinite) ? [`    line ${line(baseline)}`] : []),
        '```',
    ].join('\n');
}
/** A terminal summary. */
function canaryText(report) {
    const lines = [
        `canary ${inertText(report.model)} ${inertText(report.canaryVersion ?? '')}: ${report.state.status} (${inertText(report.state.reason)})`,
    ];
    for (const interval of report.intervals) {
        lines.push(`  ${inertText(interval.at)}  ${interval.verdict.padEnd(12)} score ${num(interval.score)}${interval.reason ? `: ${inertText(interval.reason)}` : ''}`);
        for (const m of interval.measurements)
            lines.push(`    ${m.verdict.padEnd(12)} ${inertText(m.metric)}: ${inertText(m.reason)}`);
    }
    return `${lines.join('\n')}\n`;
}

/** `modelgate canary analyze`: the app's canary judge on recorded metric series. */
async function runCanary(args, out) {
    requireAnalyze(args, 'canary');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const { file: metricsFile, recorded, name, root, manifest, } = await readRecordedAnalysis(args, { name: 'canary', records: 'series' }, readRecordedCanary);
    const policy = manifest?.canary;
    if (!policy?.metrics?.length)
        throw new CommandError(`no manifest of ${name} with canary.metrics under ${root}`, 'Add a canary block with metrics to the manifest.');
    const steps = policy.steps?.length ? policy.steps : DEFAULT_STEPS;
    if (recorded.weight !== undefined && !steps.includes(recorded.weight))
        throw new CommandError(`${metricsFile}: "weight" ${recorded.weight} is not one of ${name}'s canary.steps (${steps.join(', ')})`, 'Record the traffic weight the step ran at.');
    const intervals = recorded.intervals.map((interval) => judgeInterval(policy.metrics, interval.data, policy, interval.at, DEFAULT_JUDGE_OPTIONS));
    const report = {
        model: name,
        canaryVersion: recorded.canaryVersion,
        baselineVersion: recorded.baselineVersion,
        step: recorded.step,
        weight: recorded.weight,
        intervals,
        state: judgeAnalysis(intervals, policy, recorded.intervals.length),
    };
    if (recorded.weight !== undefined)
        report.decision = decideCanary(policy, recorded.weight, report.state);
    out.stdout(format === 'json'
        ? `${inertJson(report)}\n`
        : format === 'markdown'
            ? canaryMarkdown(report)
            : canaryText(report));
    if (report.state.status === 'running')
        out.stderr(`modelgate: the canary did not pass: ${report.state.reason} (not enough evidence)\n`);
    return report.state.status === 'passed' ? 0 : 1;
}

export { runCanary };
