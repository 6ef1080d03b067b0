import type { IntervalResult } from '../canary/judge.js';
import type { CanaryState } from '../canary/state.js';
import { inertMarkdown, inertText } from '../report/escape.js';
import { formatBlueGreenDuration, resolveBlueGreenPolicy, type BlueGreenPolicy } from './policy.js';
import type { BlueGreenPhase, BlueGreenRecord, SuiteJudgment } from './state.js';

const PHASE: Record<BlueGreenPhase, string> = {
  preview: '🔍 pre-switch analysis on the preview',
  ready: '⏸️ ready: waiting for `/promote` to switch',
  switching: '🔀 switching: waiting for the deployer',
  switched: '👀 switched: post-switch analysis, previous version warm',
  done: '🚀 promoted',
  'switched-back': '↩️ switched back to the previous version',
};
const ICON = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⛔ error',
  'not-run': '⛔ not run',
  none: '— none selected',
} as const;
const num = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();
const md = (text: string) => inertMarkdown(text);

/** The headline of a blue-green rollout: where it stands, in one line of plain words. */
function blueGreenHeadline(state: CanaryState): string {
  const record = state.blueGreen;
  if (!record) return 'no blue-green record';
  if (state.status === 'failed' && record.phase === 'preview')
    return '❌ pre-switch analysis failed: no user traffic reached it';
  if (state.status === 'aborted') return `⏹️ aborted (${PHASE[record.phase]})`;
  return PHASE[record.phase];
}

/**
 * The blue-green part of the sticky comment: the phase, the pre-switch
 * suites (gates with their confidence intervals), the preview's health
 * window, the post-switch windows against blue, and the outcome. Every
 * string from a manifest, a results file or a metric goes through inertMarkdown.
 */
export function renderBlueGreenSection(state: CanaryState, policy: BlueGreenPolicy): string {
  const record: BlueGreenRecord = state.blueGreen ?? { phase: 'preview' };
  let resolved;
  try {
    resolved = resolveBlueGreenPolicy(policy);
  } catch (error) {
    return `## Blue-green: ${md(state.model)} ${md(state.version)}\n\n❌ ${md((error as Error).message)}\n`;
  }
  const out = [
    `## Blue-green: ${md(state.model)} ${md(state.version)}${state.baselineVersion ? ` replacing ${md(state.baselineVersion)}` : ''}`,
    '',
    `**${blueGreenHeadline(state)}**`,
    '',
    `Policy: pre-switch health ${formatBlueGreenDuration(resolved.preSwitch.durationMs)}` +
      `${resolved.preSwitch.suites ? ` · suites ${resolved.preSwitch.suites.map(md).join(', ') || 'none'}` : ' · every eval suite'}` +
      ` · ${resolved.autoSwitch ? 'switches automatically' : 'switch by `/promote`'}` +
      ` · post-switch ${formatBlueGreenDuration(resolved.postSwitch.durationMs)} every ${formatBlueGreenDuration(resolved.postSwitch.intervalMs)}` +
      ` · previous version warm ${formatBlueGreenDuration(resolved.scaleDownDelayMs)} after the switch`,
    '',
    '### Pre-switch analysis',
    '',
  ];
  out.push(...suitesSection(record.suites));
  const switchedFrom = Date.parse(record.switchRequestedAt ?? '');
  const preview = state.intervals.filter(
    (i) => !Number.isFinite(switchedFrom) || Date.parse(i.at) <= switchedFrom,
  );
  const post = Number.isFinite(switchedFrom)
    ? state.intervals.filter((i) => Date.parse(i.at) > switchedFrom)
    : [];
  if (preview.length)
    out.push(
      '**Preview health** (thresholds only: the preview has no users to compare)',
      '',
      ...windows(preview, false),
    );
  if (record.preSwitch)
    out.push(`Pre-switch: **${ICON[record.preSwitch.verdict]}** (${md(record.preSwitch.reason)})`, '');
  if (record.switchRequestedAt) {
    out.push(
      '### Switch',
      '',
      `Asked for at ${md(record.switchRequestedAt)}${record.switchedBy ? ` by @${md(record.switchedBy.by)}` : ' (auto_switch)'}` +
        `${record.switchedAt ? `; live at ${md(record.switchedAt)}` : ''}` +
        `${record.scaleDownDelaySeconds !== undefined ? `; previous version kept warm ${formatBlueGreenDuration(record.scaleDownDelaySeconds * 1000)}` : ''}.`,
      '',
    );
  }
  if (post.length || record.postSwitch) {
    out.push(
      '### Post-switch analysis',
      '',
      'Green over each window against blue over the same length just before the switch.',
      '',
    );
    if (post.length) out.push(...windows(post, true));
    if (record.postSwitch)
      out.push(`Post-switch: **${ICON[record.postSwitch.verdict]}** (${md(record.postSwitch.reason)})`, '');
  }
  if (state.revertUrl) out.push(`Revert pull request: ${md(state.revertUrl)}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}

function suitesSection(suites: SuiteJudgment | undefined): string[] {
  if (!suites) return ['Eval suites: not run yet.', ''];
  const out = [`**Eval suites against the preview: ${ICON[suites.verdict]}** (${md(suites.reason)})`, ''];
  if (suites.verdict !== 'none')
    out.push(
      `Gates from ${md(suites.gatesFrom)}${suites.baseline ? `, compared with ${md(suites.baseline)}` : ', no baseline results'}.`,
      '',
    );
  if (suites.suites.length) {
    out.push('| suite | accuracy | samples | errors | |', '|---|---|---|---|---|');
    for (const s of suites.suites)
      out.push(
        `| ${md(s.name)} | ${num(s.accuracy)} | ${s.n ?? '—'} | ${s.errors ?? '—'} | ${s.notRun ? md(s.notRun) : ''} |`,
      );
    out.push('');
  }
  if (suites.gates.length) {
    out.push('| gate | verdict | preview | production | change (CI) | why |', '|---|---|---|---|---|---|');
    for (const g of suites.gates) {
      const ci = g.ci ? `[${num(g.ci[0])}, ${num(g.ci[1])}] at ${num((g.confidence ?? 0.95) * 100)} %` : '—';
      out.push(
        `| ${md(g.metric)} | ${ICON[g.verdict]} | ${num(g.candidate)} | ${num(g.baseline)} | ${ci} | ${md(g.reason)} |`,
      );
    }
    out.push('');
  }
  return out;
}

function windows(intervals: readonly IntervalResult[], withBaseline: boolean): string[] {
  const out = [
    withBaseline
      ? '| window end | verdict | metric | green | blue | threshold | test |'
      : '| window end | verdict | metric | preview | threshold |',
    withBaseline ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|',
  ];
  for (const interval of intervals)
    for (const m of interval.measurements) {
      const threshold =
        [
          m.threshold?.min !== undefined ? `≥ ${m.threshold.min}` : '',
          m.threshold?.max !== undefined ? `≤ ${m.threshold.max}` : '',
        ]
          .filter(Boolean)
          .join(', ') || '—';
      const side = (s?: { median: number; n: number }) => (s ? `${num(s.median)} (n=${s.n})` : '—');
      const test = m.test ? `p = ${num(m.test.p)}, shift ${num(m.test.effect)}` : '—';
      out.push(
        withBaseline
          ? `| ${md(interval.at)} | ${ICON[m.verdict]} | ${md(m.metric)} | ${side(m.canary)} | ${side(m.baseline)} | ${threshold} | ${test} |`
          : `| ${md(interval.at)} | ${ICON[m.verdict]} | ${md(m.metric)} | ${side(m.canary)} | ${threshold} |`,
      );
    }
  if (intervals.some((i) => !i.measurements.length)) out.push(`| | ${ICON.inconclusive} | no metric | | |`);
  out.push('');
  return out;
}

/** The same report as plain text for a terminal: one line per fact, untrusted text made inert. */
export function renderBlueGreenText(state: CanaryState): string {
  const record = state.blueGreen;
  const lines = [
    `blue-green ${inertText(state.model)} ${inertText(state.version)}: ${blueGreenHeadline(state)}`,
  ];
  if (record?.suites) {
    lines.push(`  suites: ${record.suites.verdict} (${inertText(record.suites.reason)})`);
    for (const g of record.suites.gates)
      lines.push(
        `    ${g.verdict.padEnd(12)} ${inertText(g.metric)}  preview ${num(g.candidate)}  production ${num(g.baseline)}  ${inertText(g.reason)}`,
      );
  }
  const switchedFrom = Date.parse(record?.switchRequestedAt ?? '');
  for (const interval of state.intervals) {
    const phase =
      Number.isFinite(switchedFrom) && Date.parse(interval.at) > switchedFrom
        ? 'post-switch'
        : 'preview health';
    lines.push(
      `  ${phase} ${inertText(interval.at)}: ${interval.verdict}${interval.reason ? ` (${inertText(interval.reason)})` : ''}`,
    );
    for (const m of interval.measurements)
      lines.push(`    ${m.verdict.padEnd(12)} ${inertText(m.metric)}  ${inertText(m.reason)}`);
  }
  if (record?.preSwitch)
    lines.push(`  pre-switch: ${record.preSwitch.verdict} (${inertText(record.preSwitch.reason)})`);
  if (record?.postSwitch)
    lines.push(`  post-switch: ${record.postSwitch.verdict} (${inertText(record.postSwitch.reason)})`);
  return `${lines.join('\n')}\n`;
}
