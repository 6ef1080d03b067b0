import { inertMarkdown, inertText } from '../report/escape.js';
import { segmentName, type GuardInterval, type GuardVerdict, type SegmentResult } from './judge.js';
import type { GuardAnalysis } from './recorded.js';
import type { GuardState } from './state.js';

const ICON: Record<GuardVerdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⛔ error',
};
const STATUS: Record<GuardState['status'], string> = {
  watching: '👀 watching production',
  passed: '✅ bake passed',
  unverified: '⚠️ bake ended unverified',
  breached: '❌ bake ended in breach',
  rolled_back: '↩️ rolled back',
  stopped: '⏹️ stopped',
};
const num = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();

/**
 * The guard's report in its sticky comment: where the bake stands, the
 * latest window's worst segments per metric with their evidence (medians,
 * p and adjusted p, shift), and the history of windows. Every value that
 * came from Prometheus or the manifest is rendered inert.
 */
export function guardMarkdown(state: GuardState, links: { revertUrl?: string } = {}): string {
  const md = inertMarkdown;
  const out = [
    `## Production guard: ${md(state.model)} ${md(state.version)}${state.previousVersion ? ` (previous: ${md(state.previousVersion)})` : ''}`,
    '',
    `**${STATUS[state.status]}** · bake from ${md(state.startedAt)} to ${md(state.bakeEndsAt)} · ${state.intervals.length} window(s), ${state.failures} failed`,
    '',
  ];
  if (state.breachedAt) out.push(`Breached at ${md(state.breachedAt)}.`, '');
  if (state.status === 'rolled_back' && state.rollbackDue)
    out.push(
      `Waiting for the deployer to report the rollback deployment live, until ${md(state.rollbackDue)}: if it has not by then, the critical \`ModelgateRollbackNotApplied\` alert fires.`,
      '',
    );
  if (state.rollbackOutcome) out.push(`Rollback: ${md(state.rollbackOutcome)}.`, '');
  if (state.notRolledBack)
    out.push(`Not rolled back: ${md(state.notRolledBack.reason)}. ${md(state.notRolledBack.fix)}`, '');
  if (state.paused && state.status === 'watching')
    out.push(
      `⏸️ Paused: the saved state could not be believed, so the guard restarted from GitHub's deployments and judges nothing until a person comments \`/guard resume\` (every window since the promotion is then judged again). ${md(state.paused.link)}`,
      '',
    );
  if (state.steeredBy)
    out.push(`Steered by @\u200b${md(state.steeredBy.by)}: ${md(state.steeredBy.link)}`, '');
  const latest = state.intervals.at(-1);
  if (latest) out.push(...windowTable(latest));
  if (state.intervals.length > 1) out.push(...history(state.intervals));
  const revert = links.revertUrl ?? state.revertUrl;
  if (revert) out.push(`Revert pull request: ${md(revert)}`, '');
  return out.join('\n');
}

function history(windows: readonly GuardInterval[]): string[] {
  const md = inertMarkdown;
  const out = ['### History', '', '| window ending | verdict | worst |', '|---|---|---|'];
  for (const w of windows) {
    const worst = w.measurements.find((m) => m.verdict === 'fail') ?? w.measurements[0];
    out.push(
      `| ${md(w.at)} | ${ICON[w.verdict]} | ${worst ? `${md(worst.metric)}: ${md(worst.reason)}` : '—'} |`,
    );
  }
  out.push('');
  return out;
}

const OUTCOME: Record<GuardAnalysis['outcome'], string> = {
  passed: '✅ passed',
  breached: '❌ breached',
  unverified: '⚠️ unverified',
};

/**
 * `modelgate guard analyze --format markdown`: the outcome, the worst window
 * (the first failed one, else the last) with its segments, and every window.
 */
export function guardAnalysisMarkdown(analysis: GuardAnalysis): string {
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
export function guardAnalysisText(analysis: GuardAnalysis): string {
  const lines = [
    `production guard of ${inertText(analysis.model)}${analysis.version ? ` ${inertText(analysis.version)}` : ''}${analysis.previousVersion ? ` (previous ${inertText(analysis.previousVersion)})` : ''}`,
  ];
  for (const w of analysis.windows) {
    lines.push(`window ending ${inertText(w.at)}: ${w.verdict}`);
    for (const m of w.measurements) {
      lines.push(
        `  ${inertText(m.metric)}: ${m.verdict} (${m.judged} segment(s) judged, ${m.breached} breached) ${inertText(m.reason)}`,
      );
      for (const s of m.worst.filter((x) => x.verdict === 'fail'))
        lines.push(`    ${inertText(segmentName(s.segment))}: ${inertText(s.reason)}`);
    }
  }
  lines.push(`${analysis.outcome}: ${inertText(analysis.reason)}`);
  return `${lines.join('\n')}\n`;
}

function windowTable(w: GuardInterval): string[] {
  const md = inertMarkdown;
  const out = [`### Window ending ${md(w.at)}: ${ICON[w.verdict]}`, ''];
  if (w.reason) out.push(md(w.reason), '');
  out.push(
    '| metric | segment | now | previous version | p (adjusted) | shift | verdict |',
    '|---|---|---|---|---|---|---|',
  );
  for (const m of w.measurements) {
    if (!m.worst.length) {
      out.push(`| ${md(m.metric)} | — | — | — | — | — | ${ICON[m.verdict]} ${md(m.reason)} |`);
      continue;
    }
    for (const s of m.worst) out.push(segmentRow(m.metric, s));
    out.push(`| ${md(m.metric)} | **all segments** | | | | | ${ICON[m.verdict]} ${md(m.reason)} |`);
  }
  out.push('');
  return out;
}

function segmentRow(metric: string, s: SegmentResult): string {
  const md = inertMarkdown;
  const p = s.test ? `${num(s.test.p)} (${num(s.test.adjusted)})` : '—';
  return `| ${md(metric)} | ${md(segmentName(s.segment))} | ${num(s.current.median)} (n=${s.current.n}) | ${s.baseline ? `${num(s.baseline.median)} (n=${s.baseline.n})` : '—'} | ${p} | ${s.test ? num(s.test.effect) : '—'} | ${ICON[s.verdict]} ${md(s.reason)} |`;
}
