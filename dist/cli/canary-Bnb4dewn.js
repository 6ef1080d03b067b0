import { b as inertMarkdown, i as inertText, d as inertMermaid, c as inertJson } from './escape-C_Mv5luI.js';
import { D as DEFAULT_STEPS, d as decideCanary } from './decide-vyG8TmoH.js';
import { j as judgeInterval, a as judgeAnalysis, D as DEFAULT_JUDGE_OPTIONS, b as readRecordedCanary } from './judge-DNslFlAX.js';
import { f as formatOf, C as CommandError } from './command-BFTcRIcy.js';
import { r as requireAnalyze, a as readRecordedAnalysis } from './recorded-analysis-C9s4W0RU.js';
import './user-file-error-DMsF1t5K.js';
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

const DECISION = {
    wait: () => '⏳ keep watching',
    advance: (d) => `➡️ advance to ${d.weight}% of traffic`,
    promote: () => '🚀 promote to production',
    rollback: () => '↩️ roll back (revert pull request)',
    switch: () => '🔀 switch all traffic to the preview',
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
    requireAnalyze(args, 'canary', 'modelgate canary analyze --metrics FILE');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const { file: metricsFile, recorded, name, root, manifest, } = await readRecordedAnalysis(args, { name: 'canary', option: 'metrics', records: 'series' }, readRecordedCanary);
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
