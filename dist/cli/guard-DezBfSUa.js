import { s as sortedMedian, d as formatReading, m as mannWhitneySorted, h as hodgesLehmannSorted, e as finitePart, c as countedSorted, b as readingOf, r as requireAnalyze, a as readRecordedAnalysis } from './recorded-analysis-C9s4W0RU.js';
import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { i as inertText, b as inertMarkdown, c as inertJson } from './escape-C_Mv5luI.js';
import { f as formatOf, C as CommandError } from './command-BFTcRIcy.js';
import './user-file-0rc-qr69.js';
import 'node:fs';
import 'node:fs/promises';
import 'node:path';
import './yaml-document-D8lQUcRd.js';
import 'process';
import 'buffer';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import './parse-B69nEYJT.js';
import './git-repository-B5nDBN5A.js';
import './settings-C0UoLdVc.js';
import './stages-Cl5dJrTL.js';
import './registration-tags-C5oXtNLZ.js';
import './names-BCxkbDpg.js';
import './storage-uri-CZ8FpHhv.js';

/** Adjusted p-values, in the order given. NaN stays NaN and takes no part (it is not a test). */
function adjustPValues(pValues, method) {
    const tested = pValues.flatMap((p, index) => (Number.isFinite(p) ? [{ p, index }] : []));
    const adjusted = pValues.map(() => Number.NaN);
    const m = tested.length;
    if (!m)
        return adjusted;
    if (method === 'holm') {
        tested.sort((a, b) => a.p - b.p);
        let running = 0;
        tested.forEach(({ p, index }, rank) => {
            // Step-down: the k-th smallest is multiplied by m - k + 1, and never below the ones before it.
            running = Math.max(running, Math.min(1, (m - rank) * p));
            adjusted[index] = running;
        });
    }
    else {
        tested.sort((a, b) => b.p - a.p);
        let running = 1;
        tested.forEach(({ p, index }, fromTop) => {
            // Step-up: the k-th smallest is multiplied by m / k, and never above the ones after it.
            const rank = m - fromTop;
            running = Math.min(running, Math.min(1, (m / rank) * p));
            adjusted[index] = running;
        });
    }
    return adjusted;
}

/** How many segments of a metric the report and the state keep (the worst). */
const WORST_SEGMENTS = 5;
/** The most segments one metric may have: more is a label with unbounded values (a user id), not a segment. */
const MAX_SEGMENTS = 200;
const GUARD_DEFAULTS = {
    confidence: 0.95,
    minSamples: 6,
    correction: 'holm',
};
const keyOf = (segment) => JSON.stringify(Object.entries(segment).sort(([a], [b]) => (a < b ? -1 : 1)));
/** `language=de, tenant=acme`, or `all traffic` for a metric that is not split. */
function segmentName(segment) {
    const entries = Object.entries(segment);
    return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'all traffic';
}
/**
 * Judges one window of production: each metric, in each segment, against its
 * absolute thresholds and (with a direction) against the previous version
 * over the same hours of earlier days. A segment is judged only with at
 * least `min_samples` values (on both sides for the comparison); the
 * comparisons of one metric's segments are adjusted together (Holm or
 * Benjamini–Hochberg), so many segments do not make a false breach likely.
 * The window fails when any metric fails; it passes only when every metric
 * passed; a failed query makes it an error, never a pass.
 */
function judgeGuardInterval(policy, data, at) {
    const measurements = policy.metrics.map((metric) => judgeGuardMetric(metric, data.find((d) => d.metric === metric.name), policy));
    let verdict;
    if (measurements.some((m) => m.verdict === 'fail'))
        verdict = 'fail';
    else if (measurements.some((m) => m.verdict === 'error'))
        verdict = 'error';
    else if (measurements.length && measurements.every((m) => m.verdict === 'pass'))
        verdict = 'pass';
    else
        verdict = 'inconclusive';
    return { at, verdict, measurements };
}
function judgeGuardMetric(metric, data, policy) {
    const none = { metric: metric.name, judged: 0, breached: 0, worst: [] };
    if (!data)
        return { ...none, verdict: 'error', reason: 'no data returned for the metric' };
    if ('error' in data.current)
        return { ...none, verdict: 'error', reason: `query failed: ${data.current.error}` };
    const current = segmentsOf(metric, data.current.series);
    if ('problem' in current)
        return { ...none, verdict: 'error', reason: current.problem };
    let baseline;
    if (metric.direction && data.baseline) {
        if ('error' in data.baseline)
            return {
                ...none,
                verdict: 'error',
                reason: `query of the previous version failed: ${data.baseline.error}`,
            };
        const found = segmentsOf(metric, data.baseline.series);
        if ('problem' in found)
            return { ...none, verdict: 'error', reason: `previous version: ${found.problem}` };
        baseline = new Map([...found.values()].map((s) => [keyOf(s.segment), s.values]));
    }
    const minSamples = policy.min_samples ?? GUARD_DEFAULTS.minSamples;
    const alpha = 1 - (policy.confidence ?? GUARD_DEFAULTS.confidence);
    const results = [];
    for (const { segment, values } of current.values()) {
        const evidence = { segment, current: { median: sortedMedian(values), n: values.length } };
        const previous = baseline?.get(keyOf(segment));
        const withBaseline = previous?.length
            ? { ...evidence, baseline: { median: sortedMedian(previous), n: previous.length } }
            : evidence;
        if (values.length < minSamples) {
            results.push({
                ...withBaseline,
                verdict: 'inconclusive',
                reason: `not enough data (${values.length} values, at least ${minSamples})`,
                thin: true,
            });
            continue;
        }
        const m = evidence.current.median;
        // As many -Inf as +Inf readings around the middle: no median, so no threshold can hold.
        if ((metric.min !== undefined || metric.max !== undefined) && Number.isNaN(m)) {
            results.push({
                ...withBaseline,
                verdict: 'fail',
                reason: 'no median (its two middle readings are -Inf and +Inf)',
            });
            continue;
        }
        if (metric.max !== undefined && m > metric.max) {
            results.push({
                ...withBaseline,
                verdict: 'fail',
                reason: `median ${formatReading(m)} is above ${metric.max}`,
            });
            continue;
        }
        if (metric.min !== undefined && m < metric.min) {
            results.push({
                ...withBaseline,
                verdict: 'fail',
                reason: `median ${formatReading(m)} is below ${metric.min}`,
            });
            continue;
        }
        const hasThreshold = metric.min !== undefined || metric.max !== undefined;
        if (!metric.direction || !previous || previous.length < minSamples) {
            const why = !metric.direction
                ? ''
                : `the previous version has ${previous?.length ?? 0} values in this segment (at least ${minSamples})`;
            results.push(hasThreshold
                ? {
                    ...withBaseline,
                    verdict: 'pass',
                    reason: `median ${formatReading(m)} within the threshold${why ? `; ${why}` : ''}`,
                }
                : { ...withBaseline, verdict: 'inconclusive', reason: why, thin: true });
            continue;
        }
        const u = mannWhitneySorted(values, previous);
        const p = metric.direction === 'increase'
            ? u.pGreater
            : metric.direction === 'decrease'
                ? u.pLess
                : Math.min(1, 2 * Math.min(u.pGreater, u.pLess));
        results.push({
            ...withBaseline,
            verdict: 'pass',
            reason: '',
            p,
            test: {
                p,
                adjusted: Number.NaN,
                effect: hodgesLehmannSorted(finitePart(values), finitePart(previous)),
            },
        });
    }
    // The comparisons of this metric's segments are one family: adjust them together.
    const compared = results.filter((r) => r.p !== undefined);
    const adjusted = adjustPValues(compared.map((r) => r.p), policy.correction ?? GUARD_DEFAULTS.correction);
    const worse = metric.direction === 'increase' ? 'higher' : metric.direction === 'decrease' ? 'lower' : 'different';
    compared.forEach((r, i) => {
        const q = adjusted[i];
        r.test = { ...r.test, adjusted: q };
        const shift = `shift ${formatReading(r.test.effect)}, p = ${r.test.p.toPrecision(2)}, adjusted ${q.toPrecision(2)}`;
        if (q < alpha) {
            r.verdict = 'fail';
            r.reason = `${worse} than the previous version (${shift})`;
        }
        else
            r.reason = `not ${worse} than the previous version (${shift})`;
    });
    const judged = results.filter((r) => !r.thin);
    const breached = results.filter((r) => r.verdict === 'fail');
    const worst = [...results]
        .sort((a, b) => rank(a) - rank(b) || (a.test?.adjusted ?? 1) - (b.test?.adjusted ?? 1))
        .slice(0, WORST_SEGMENTS)
        .map(({ p: _p, thin: _thin, ...rest }) => rest);
    const counted = `${judged.length} of ${results.length} segment(s) judged`;
    const family = compared.length > 1
        ? `, p adjusted for ${compared.length} segments (${policy.correction ?? GUARD_DEFAULTS.correction})`
        : '';
    if (breached.length)
        return {
            metric: metric.name,
            verdict: 'fail',
            reason: `${breached.length} segment(s) breached, worst ${segmentName(worst[0].segment)}: ${worst[0].reason} (${counted}${family})`,
            judged: judged.length,
            breached: breached.length,
            worst,
        };
    if (!judged.length)
        return {
            metric: metric.name,
            verdict: 'inconclusive',
            reason: results.length ? `nothing judged: ${counted}` : 'the query returned no series',
            judged: 0,
            breached: 0,
            worst,
        };
    return {
        metric: metric.name,
        verdict: 'pass',
        reason: `no segment breached (${counted}${family})`,
        judged: judged.length,
        breached: 0,
        worst,
    };
}
const rank = (r) => (r.verdict === 'fail' ? 0 : r.thin ? 2 : 1);
/** The series grouped into segments by the metric's `by` labels (several series of one segment are one sample). */
function segmentsOf(metric, series) {
    const by = metric.by ?? [];
    if (!by.length && series.length > 1)
        return {
            problem: `the query returned ${series.length} series; aggregate it to one, or split it with \`by\` (and {{by}} in the query)`,
        };
    const grouped = new Map();
    for (const s of series) {
        const segment = {};
        for (const label of by) {
            const value = s.labels[label];
            if (value === undefined)
                return {
                    problem: `a series has no ${label} label (${JSON.stringify(s.labels).slice(0, 200)}): aggregate with \`sum by ({{by}})\``,
                };
            segment[label] = value;
        }
        const key = keyOf(segment);
        const entry = grouped.get(key) ?? { segment, values: [] };
        entry.values.push(...s.values);
        grouped.set(key, entry);
    }
    if (grouped.size > MAX_SEGMENTS)
        return {
            problem: `${grouped.size} segments by ${by.join(', ')}, more than ${MAX_SEGMENTS}: split by a label with fewer values`,
        };
    return new Map([...grouped].map(([key, { segment, values }]) => [key, { segment, values: countedSorted(values) }]));
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
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
function readRecordedGuard(json, file) {
    if (!isObject(json) || !Array.isArray(json.windows))
        throw new MalformedFileError(file, 'needs a "windows" list', FIX);
    if (json.windows.length > MAX_WINDOWS)
        throw new MalformedFileError(file, `more than ${MAX_WINDOWS} windows`, FIX);
    const windows = json.windows.map((window, index) => {
        const where = `windows[${index}]`;
        if (!isObject(window) || typeof window.at !== 'string' || !isObject(window.metrics))
            throw new MalformedFileError(file, `${where} needs "at" (a time) and "metrics" (an object)`, FIX);
        const data = Object.entries(window.metrics).map(([metric, sides]) => {
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
    const text = (v) => (typeof v === 'string' ? v : undefined);
    return {
        model: text(json.model),
        version: text(json.version),
        previousVersion: text(json.previous),
        windows,
    };
}
function side(value, file, where) {
    if (isObject(value) && typeof value.error === 'string')
        return { error: value.error };
    if (!Array.isArray(value))
        throw new MalformedFileError(file, `${where} must be a list of values, a list of {"labels", "values"}, or {"error": "..."}`, FIX);
    if (value.every((v) => !isObject(v)))
        return { series: [{ labels: {}, values: numbers(value, file, where) }] };
    return {
        series: value.map((entry, i) => {
            if (!isObject(entry) || !isObject(entry.labels) || !Array.isArray(entry.values))
                throw new MalformedFileError(file, `${where}[${i}] must be {"labels": {...}, "values": [...]}`, FIX);
            const labels = {};
            for (const [k, v] of Object.entries(entry.labels)) {
                if (typeof v !== 'string')
                    throw new MalformedFileError(file, `${where}[${i}].labels.${k} must be a string`, FIX);
                labels[k] = v;
            }
            return { labels, values: numbers(entry.values, file, `${where}[${i}].values`) };
        }),
    };
}
function numbers(values, file, where) {
    return values.map((v, i) => {
        if (typeof v === 'number')
            return v;
        const read = typeof v === 'string' ? readingOf(v) : undefined;
        if (read !== undefined)
            return read;
        throw new MalformedFileError(file, `${where}[${i}] must be a number or a string such as "+Inf" or "NaN", not ${JSON.stringify(v)?.slice(0, 60)}`, FIX);
    });
}
/**
 * Judges recorded windows as the app's guard would: each window with the
 * same judge (thresholds, the previous version compared segment by segment
 * with the multiple-comparison correction), failed windows counted against
 * `failure_limit`. No evidence is not a pass: with no window passed the
 * outcome is `unverified`.
 */
function analyzeRecordedGuard(policy, recorded, model) {
    const windows = recorded.windows.map((w) => judgeGuardInterval(policy, w.data, w.at));
    const failures = windows.filter((w) => w.verdict === 'fail').length;
    const failureLimit = policy.failure_limit ?? 0;
    const outcome = failures > failureLimit
        ? 'breached'
        : windows.some((w) => w.verdict === 'pass')
            ? 'passed'
            : 'unverified';
    const reason = outcome === 'breached'
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

const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    error: '⛔ error',
};
const num = (v) => v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();
function history(windows) {
    const md = inertMarkdown;
    const out = ['### History', '', '| window ending | verdict | worst |', '|---|---|---|'];
    for (const w of windows) {
        const worst = w.measurements.find((m) => m.verdict === 'fail') ?? w.measurements[0];
        out.push(`| ${md(w.at)} | ${ICON[w.verdict]} | ${worst ? `${md(worst.metric)}: ${md(worst.reason)}` : '—'} |`);
    }
    out.push('');
    return out;
}
const OUTCOME = {
    passed: '✅ passed',
    breached: '❌ breached',
    unverified: '⚠️ unverified',
};
/**
 * `modelgate guard analyze --format markdown`: the outcome, the worst window
 * (the first failed one, else the last) with its segments, and every window.
 */
function guardAnalysisMarkdown(analysis) {
    const md = inertMarkdown;
    const shown = analysis.windows.find((w) => w.verdict === 'fail') ?? analysis.windows.at(-1);
    return [
        `## Production guard analysis: ${md(analysis.model)}${analysis.version ? ` ${md(analysis.version)}` : ''}${analysis.previousVersion ? ` (previous: ${md(analysis.previousVersion)})` : ''}`,
        '',
        `**${OUTCOME[analysis.outcome]}**: ${md(analysis.reason)}`,
        '',
        ...(shown ? windowTable(shown) : []),
        ...(analysis.windows.length > 1 ? history(analysis.windows) : []),
    ].join('\n');
}
/** `modelgate guard analyze` as text: one line per window and metric, then the outcome. */
function guardAnalysisText(analysis) {
    const lines = [
        `production guard of ${inertText(analysis.model)}${analysis.version ? ` ${inertText(analysis.version)}` : ''}${analysis.previousVersion ? ` (previous ${inertText(analysis.previousVersion)})` : ''}`,
    ];
    for (const w of analysis.windows) {
        lines.push(`window ending ${inertText(w.at)}: ${w.verdict}`);
        for (const m of w.measurements) {
            lines.push(`  ${inertText(m.metric)}: ${m.verdict} (${m.judged} segment(s) judged, ${m.breached} breached) ${inertText(m.reason)}`);
            for (const s of m.worst.filter((x) => x.verdict === 'fail'))
                lines.push(`    ${inertText(segmentName(s.segment))}: ${inertText(s.reason)}`);
        }
    }
    lines.push(`${analysis.outcome}: ${inertText(analysis.reason)}`);
    return `${lines.join('\n')}\n`;
}
function windowTable(w) {
    const md = inertMarkdown;
    const out = [`### Window ending ${md(w.at)}: ${ICON[w.verdict]}`, ''];
    if (w.reason)
        out.push(md(w.reason), '');
    out.push('| metric | segment | now | previous version | p (adjusted) | shift | verdict |', '|---|---|---|---|---|---|---|');
    for (const m of w.measurements) {
        if (!m.worst.length) {
            out.push(`| ${md(m.metric)} | — | — | — | — | — | ${ICON[m.verdict]} ${md(m.reason)} |`);
            continue;
        }
        for (const s of m.worst)
            out.push(segmentRow(m.metric, s));
        out.push(`| ${md(m.metric)} | **all segments** | | | | | ${ICON[m.verdict]} ${md(m.reason)} |`);
    }
    out.push('');
    return out;
}
function segmentRow(metric, s) {
    const md = inertMarkdown;
    const p = s.test ? `${num(s.test.p)} (${num(s.test.adjusted)})` : '—';
    return `| ${md(metric)} | ${md(segmentName(s.segment))} | ${num(s.current.median)} (n=${s.current.n}) | ${s.baseline ? `${num(s.baseline.median)} (n=${s.baseline.n})` : '—'} | ${p} | ${s.test ? num(s.test.effect) : '—'} | ${ICON[s.verdict]} ${md(s.reason)} |`;
}

/** `modelgate guard analyze`: the app's production-guard judge on recorded windows. */
async function runGuard(args, out) {
    requireAnalyze(args, 'guard', 'modelgate guard analyze --metrics FILE');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const { recorded, name, root, manifest } = await readRecordedAnalysis(args, { name: 'guard', option: 'metrics', records: 'windows' }, readRecordedGuard);
    const policy = manifest?.guard;
    if (!policy)
        throw new CommandError(`no manifest of ${name} with a guard block under ${root}`, 'Add a guard block (bake, metrics) to the manifest.');
    const analysis = analyzeRecordedGuard(policy, recorded, name);
    out.stdout(format === 'json'
        ? `${inertJson(analysis)}\n`
        : format === 'markdown'
            ? `${guardAnalysisMarkdown(analysis)}\n`
            : guardAnalysisText(analysis));
    if (analysis.outcome !== 'passed')
        out.stderr(`modelgate: the guard did not pass: ${analysis.reason}\n`);
    return analysis.outcome === 'passed' ? 0 : 1;
}

export { runGuard };
