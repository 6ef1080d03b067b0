import type { CanaryState } from '../canary/state.js';
import { inertMarkdown, inertText } from '../report/escape.js';
import { formatDuration } from '../guard/duration.js';
import { resolveAbPolicy, type AbPolicy, type ResolvedAbPolicy } from './policy.js';
import type { IntervalResult, Verdict } from '../canary/judge.js';
import type { AbHealth, AbOutcome, AbProposal, AbRecord, ArmIncrement } from './state.js';

const OUTCOME: Record<AbOutcome, string> = {
  promote_b: '🚀 promote B',
  keep_a: '↩️ keep A (B is worse)',
  inconclusive: '⚠️ inconclusive: keep A',
};
const HEALTH_OUTCOME = "↩️ keep A (B's serving health failed)";
const outcomeText = (proposal: AbProposal) =>
  proposal.basis === 'health' ? HEALTH_OUTCOME : OUTCOME[proposal.outcome];
const VERDICT: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⛔ error',
};
const STATUS: Record<CanaryState['status'], string> = {
  running: '🧪 running',
  promoted: '🚀 B promoted',
  failed: '↩️ A kept',
  aborted: '⏹️ aborted',
};

const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '—');
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const rate = (arm: ArmIncrement) => (arm.trials > 0 ? `${num((arm.successes / arm.trials) * 100)} %` : '—');
/** A rate difference in percentage points, signed. */
const points = (v: number) => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${num(v * 100)}` : '—');
const ms = (v: number) => (v <= 0 ? '0m' : v < 60_000 ? `${Math.round(v / 1000)}s` : formatDuration(v));

/** Where the test stands in facts a report shows, in the units it shows them. */
interface AbView {
  policy: ResolvedAbPolicy;
  ab: AbRecord | undefined;
  elapsedMs: number;
  /** The looks so far may conclude (min_duration and min_samples reached). */
  counted: boolean;
}

function viewOf(state: CanaryState, policy: AbPolicy): AbView {
  const resolved = resolveAbPolicy(policy);
  const ab = state.ab;
  const last = ab?.recent.at(-1)?.at;
  const elapsedMs = ab && last ? Math.max(0, Date.parse(last) - Date.parse(ab.startedAt)) : 0;
  return {
    policy: resolved,
    ab,
    elapsedMs: Number.isFinite(elapsedMs) ? elapsedMs : 0,
    counted: !!ab?.evidence,
  };
}

/**
 * The A/B test's part of the sticky comment: a headline, each arm's rate,
 * the difference with its always-valid confidence sequence, the always-valid
 * p-value against alpha, trials against min_samples and time against
 * min_duration and the horizon, then the proposal and how to confirm it.
 * Every value from the manifest, a version or a metric provider is inert.
 */
export function renderAbSection(state: CanaryState, policy: AbPolicy): string {
  const md = inertMarkdown;
  const { policy: p, ab, elapsedMs, counted } = viewOf(state, policy);
  const confidence = `${num((1 - p.alpha) * 100)} %`;
  const out = [
    `### A/B test: ${md(p.metric.name)} (${p.metric.higher_is_better ? 'higher' : 'lower'} is better)`,
    '',
    `**${STATUS[state.status]}** · ${state.weight}% of requests to B (${md(state.version)}), the rest to A (${state.baselineVersion ? md(state.baselineVersion) : 'production'}) · ${p.autoConclude ? 'the decision applies itself (auto_conclude)' : 'a person confirms the decision with `/ab conclude`'}`,
    '',
  ];
  if (!ab) {
    out.push('Waiting for the deployer to report the split live: nothing measured yet.', '');
    return out.join('\n');
  }
  const look = ab.evidence ?? ab.latest;
  out.push(
    '| arm | version | successes | trials | rate |',
    '|---|---|---|---|---|',
    `| A (production) | ${state.baselineVersion ? md(state.baselineVersion) : '—'} | ${int(ab.totals.a.successes)} | ${int(ab.totals.a.trials)} | ${rate(ab.totals.a)} |`,
    `| B (new) | ${md(state.version)} | ${int(ab.totals.b.successes)} | ${int(ab.totals.b.trials)} | ${rate(ab.totals.b)} |`,
    '',
    '| evidence | value | needed |',
    '|---|---|---|',
    `| B − A (percentage points) | ${look ? `${points(ab.latest?.difference ?? look.difference)}, ${confidence} confidence sequence [${points(look.lower)}, ${points(look.upper)}]${counted ? '' : ' (provisional: not counted before min_duration and min_samples)'}` : '—'} | excludes 0 |`,
    `| always-valid p | ${ab.evidence ? num(ab.evidence.p) : '— (not counted yet)'} | < ${num(p.alpha)} |`,
    `| trials in the smaller arm | ${int(Math.min(ab.totals.a.trials, ab.totals.b.trials))} | ≥ ${int(p.minSamples)} |`,
    `| time since the split went live | ${ms(elapsedMs)} | ≥ ${md(p.text.minDuration)}, horizon ${md(p.text.horizon)} |`,
    `| intervals | ${ab.looks} looked at, ${ab.errors} not usable | |`,
    '',
    `_Looked at every interval, the test keeps its false-positive rate at or below alpha (${num(p.alpha)}): the p-value and the confidence sequence are always valid (a mixture sequential probability ratio test). In 1,000 simulated A/A tests looked at every interval it rejects fewer than alpha; a fixed-horizon z-test looked at as often rejects several times alpha (docs/ab.md)._`,
    '',
  );
  const lastObservation = ab.recent.at(-1);
  if (lastObservation && 'error' in lastObservation)
    out.push(
      `⛔ The interval ending ${md(lastObservation.at)} could not be used: ${md(lastObservation.error)}. It is not counted; no conclusion is drawn from it.`,
      '',
    );
  if (ab.health) out.push(...healthSection(ab.health));
  if (ab.proposal) {
    out.push(`**Decision: ${outcomeText(ab.proposal)}** (${md(ab.proposal.reason)})`, '');
    if (ab.overruled)
      out.push(
        `It overruled the proposal "${outcomeText(ab.overruled)}" of ${md(ab.overruled.at)} (${md(ab.overruled.reason)}), which was waiting for \`/ab conclude\`.`,
        '',
      );
    if (ab.confirmedBy)
      out.push(`Confirmed by @\u200b${md(ab.confirmedBy.by)}: ${md(ab.confirmedBy.link)}`, '');
    else if (!ab.concludedAt && state.status === 'running')
      out.push(
        `${
          ab.proposal.outcome === 'promote_b'
            ? 'Comment `/ab conclude` to promote B.'
            : 'Comment `/ab conclude` to keep A (B is taken out of traffic and the revert pull request opens), or `/promote` to ship B anyway.'
        } ${
          ab.health
            ? `Until then the split keeps serving both versions, and B's serving health is still looked at every ${md(p.text.interval)} (${looksText(ab.waitingLooks)} since the proposal): a failure beyond the canary's limits keeps A at once.`
            : 'Until then the split keeps serving both versions, unwatched: the manifest has no `canary.metrics`, so nothing is looked at until a person decides.'
        }`,
        '',
      );
  } else if (state.status === 'running') {
    out.push(
      `No decision yet. The test is looked at every ${md(p.text.interval)}; the always-valid p-value stays valid however often it is looked at, so it concludes as soon as the evidence is there (after min_duration and min_samples), and as inconclusive at the horizon.`,
      '',
    );
  }
  if (state.endedBy) out.push(`Ended by @\u200b${md(state.endedBy.by)}: ${md(state.endedBy.link)}`, '');
  return out.join('\n');
}

/** The same facts as plain text (the CLI's `--format text`). */
export function renderAbText(state: CanaryState, policy: AbPolicy): string {
  const t = inertText;
  const { policy: p, ab, elapsedMs } = viewOf(state, policy);
  const lines = [
    `A/B test of ${t(state.model)}: ${t(p.metric.name)} (${p.metric.higher_is_better ? 'higher' : 'lower'} is better), B ${t(state.version)} vs A ${t(state.baselineVersion ?? 'production')}`,
  ];
  if (ab) {
    for (const o of ab.recent)
      lines.push(
        'error' in o
          ? `interval ending ${t(o.at)}: not usable: ${t(o.error)}`
          : `interval ending ${t(o.at)}: A ${num(o.a.successes)}/${num(o.a.trials)}, B ${num(o.b.successes)}/${num(o.b.trials)}`,
      );
    if (ab.looks > ab.recent.length)
      lines.push(`(${ab.looks - ab.recent.length} earlier interval(s) in the totals)`);
    lines.push(
      `A: ${int(ab.totals.a.successes)}/${int(ab.totals.a.trials)} = ${rate(ab.totals.a)}; B: ${int(ab.totals.b.successes)}/${int(ab.totals.b.trials)} = ${rate(ab.totals.b)}`,
    );
    const look = ab.evidence ?? ab.latest;
    if (look)
      lines.push(
        `B - A: ${points(ab.latest?.difference ?? look.difference)} points, ${num((1 - p.alpha) * 100)} % confidence sequence [${points(look.lower)}, ${points(look.upper)}]${ab.evidence ? '' : ' (provisional)'}`,
      );
    lines.push(
      `always-valid p: ${ab.evidence ? num(ab.evidence.p) : 'not counted yet'} (alpha ${num(p.alpha)}); smaller arm ${int(Math.min(ab.totals.a.trials, ab.totals.b.trials))} trials (min_samples ${p.minSamples}); ${ms(elapsedMs)} (min_duration ${t(p.text.minDuration)}, horizon ${t(p.text.horizon)}); ${ab.errors} of ${ab.looks} interval(s) not usable`,
    );
    if (ab.health) {
      const latest = ab.health.recent.at(-1);
      lines.push(
        `serving health (canary.metrics, B vs A): ${tallyText(ab.health)}${latest ? `; latest interval ending ${t(latest.at)}: ${latest.verdict}` : ''}`,
      );
      for (const m of latest?.measurements ?? [])
        lines.push(
          `  ${t(m.metric)}: ${m.verdict}: ${t(m.reason)}${m.canary ? `; B ${num(m.canary.median)} (n=${m.canary.n})` : ''}${m.baseline ? `, A ${num(m.baseline.median)} (n=${m.baseline.n})` : ''}`,
        );
    }
    if (ab.proposal) lines.push(`decision: ${outcomeText(ab.proposal)}: ${t(ab.proposal.reason)}`);
    if (ab.overruled)
      lines.push(
        `overruled: ${outcomeText(ab.overruled)} of ${t(ab.overruled.at)}: ${t(ab.overruled.reason)}`,
      );
    if (ab.proposal && !ab.concludedAt && state.status === 'running')
      lines.push(
        ab.health
          ? `waiting for /ab conclude: B's serving health is still looked at every ${t(p.text.interval)} (${looksText(ab.waitingLooks)} since the proposal)`
          : 'waiting for /ab conclude: nothing is looked at meanwhile (no canary.metrics)',
      );
  }
  return `${lines.join('\n')}\n`;
}

const looksText = (n = 0) => `${n} look${n === 1 ? '' : 's'}`;

const tallyText = ({ tally }: AbHealth) =>
  `${tally.passed} passed, ${tally.failed} failed, ${tally.inconclusive} inconclusive, ${tally.errors} with errors${tally.consecutiveErrors ? ` (${tally.consecutiveErrors} in a row)` : ''}`;

/** A threshold in the canary report's words. */
function thresholdText(m: IntervalResult['measurements'][number]): string {
  const { min, max } = m.threshold ?? {};
  if (min !== undefined && max !== undefined) return `${num(min)} … ${num(max)}`;
  if (min !== undefined) return `≥ ${num(min)}`;
  if (max !== undefined) return `≤ ${num(max)}`;
  return '—';
}

/**
 * B's serving health: the intervals so far, counted the canary's way, and
 * the latest one metric by metric (B's and A's medians, the threshold, the
 * one-sided Mann–Whitney p in the metric's bad direction, the verdict).
 */
function healthSection(health: AbHealth): string[] {
  const md = inertMarkdown;
  const latest = health.recent.at(-1);
  const out = [
    `#### Serving health (canary.metrics, B against A)${latest ? `: ${VERDICT[latest.verdict]} in the interval ending ${md(latest.at)}` : ''}`,
    '',
    `Intervals so far: ${tallyText(health)}. A failed interval beyond \`failure_limit\`, or errors in a row beyond \`consecutive_error_limit\`, keeps A at once, whatever the product metric says.`,
    '',
  ];
  if (!latest) return out;
  if (latest.reason) out.push(md(latest.reason), '');
  out.push(
    '| metric | B | A | threshold | p (B worse) | verdict |',
    '|---|---|---|---|---|---|',
    ...latest.measurements.map(
      (m) =>
        `| ${md(m.metric)} | ${m.canary ? `${num(m.canary.median)} (n=${m.canary.n})` : '—'} | ${m.baseline ? `${num(m.baseline.median)} (n=${m.baseline.n})` : '—'} | ${thresholdText(m)} | ${m.test ? num(m.test.p) : '—'} | ${VERDICT[m.verdict]}: ${md(m.reason)} |`,
    ),
    '',
  );
  return out;
}
