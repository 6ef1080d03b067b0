import type { CanaryDecision } from '../canary/decide.js';
import type { AnalysisState, IntervalResult, Measurement } from '../canary/judge.js';
import { inertMarkdown, inertMermaid, inertText } from './escape.js';

export interface CanaryReport {
  model: string;
  canaryVersion?: string;
  baselineVersion?: string;
  step?: number;
  weight?: number;
  intervals: IntervalResult[];
  state: AnalysisState;
  /** The next move, when the step's weight is known. */
  decision?: CanaryDecision;
}

const DECISION = {
  wait: () => '⏳ keep watching',
  advance: (d: Extract<CanaryDecision, { action: 'advance' }>) => `➡️ advance to ${d.weight}% of traffic`,
  promote: () => '🚀 promote to production',
  rollback: () => '↩️ roll back (revert pull request)',
  switch: () => '🔀 switch all traffic to the preview',
};

function decisionText(decision: CanaryDecision): string {
  return decision.action === 'advance' ? DECISION.advance(decision) : DECISION[decision.action]();
}

const ICON = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⛔ error',
} as const;
const num = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();
const STATUS = { running: '⏳ running', passed: '✅ passed', failed: '❌ failed' } as const;

/** The canary report: state, the latest interval per metric with its evidence, the history, and a chart of the key metric. */
export function canaryMarkdown(report: CanaryReport): string {
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
    out.push(
      `### Interval ending ${inertMarkdown(latest.at)}: ${ICON[latest.verdict]} (score ${num(latest.score)})`,
      '',
      ...(latest.reason ? [inertMarkdown(latest.reason), ''] : []),
      '| metric | canary | baseline | threshold | p | effect | verdict |',
      '|---|---|---|---|---|---|---|',
    );
    for (const m of latest.measurements) out.push(measurementRow(m));
    out.push('');
  }
  if (report.intervals.length > 1) {
    out.push('### History', '', '| interval | verdict | score |', '|---|---|---|');
    for (const i of report.intervals)
      out.push(`| ${inertMarkdown(i.at)} | ${ICON[i.verdict]} | ${num(i.score)} |`);
    out.push('');
  }
  const chart = keyMetricChart(report.intervals);
  if (chart) out.push(chart, '');
  return out.join('\n');
}

function measurementRow(m: Measurement): string {
  const threshold =
    [
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
function keyMetricChart(intervals: readonly IntervalResult[]): string | undefined {
  const key = intervals[0]?.measurements[0]?.metric;
  if (!key || intervals.length < 2) return undefined;
  const points = intervals.map((i) => i.measurements.find((m) => m.metric === key));
  const canary = points.map((m) => m?.canary?.median ?? NaN);
  const baseline = points.map((m) => m?.baseline?.median ?? NaN);
  const all = [...canary, ...baseline].filter(Number.isFinite);
  if (!all.length) return undefined;
  const max = Math.max(...all);
  const label = (at: string) => `"${inertMermaid(at.slice(11, 16) || at)}"`;
  const line = (values: number[]) => `[${values.map((v) => (Number.isFinite(v) ? num(v) : '0')).join(', ')}]`;
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
export function canaryText(report: CanaryReport): string {
  const lines = [
    `canary ${inertText(report.model)} ${inertText(report.canaryVersion ?? '')}: ${report.state.status} (${inertText(report.state.reason)})`,
  ];
  for (const interval of report.intervals) {
    lines.push(
      `  ${inertText(interval.at)}  ${interval.verdict.padEnd(12)} score ${num(interval.score)}${interval.reason ? `: ${inertText(interval.reason)}` : ''}`,
    );
    for (const m of interval.measurements)
      lines.push(`    ${m.verdict.padEnd(12)} ${inertText(m.metric)}: ${inertText(m.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
