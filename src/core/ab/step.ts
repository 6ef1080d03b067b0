import type { CanaryDecision } from '../canary/decide.js';
import type { CanaryPolicy, IntervalResult, MetricData } from '../canary/judge.js';
import type { CanaryState, Steer } from '../canary/state.js';
import { outOfTraffic, type CanaryEffect, type CanaryStep, type JudgmentWindow } from '../canary/step.js';
import { judgeAbHealth } from './health.js';
import { resolveAbPolicy, type AbPolicy, type ResolvedAbPolicy } from './policy.js';
import { accumulate, mixingVariance, sequentialLook } from './sequential.js';
import {
  AB_RECENT_OBSERVATIONS,
  type AbObservation,
  type AbOutcome,
  type AbProposal,
  type AbRecord,
  type ArmIncrement,
} from './state.js';

/** One arm's counts for one interval as a metric provider returned them, or why there are none. */
export type AbArmReading = ArmIncrement | { error: string };

/** One interval's data: the increments of the version in production (A) and of the new one (B). */
export interface AbData {
  a: AbArmReading;
  b: AbArmReading;
  /**
   * The manifest's canary.metrics over the same interval, B as `canary` and
   * A as `baseline`. Read only when the manifest has canary.metrics; absent
   * then means nothing was read (every metric an error).
   */
  health?: MetricData[];
}

const POINTS_PER_INTERVAL = 20;
const MIN_QUERY_STEP_SECONDS = 15;

/**
 * The next interval of a running A/B test, or undefined when there is
 * nothing to judge now: it has ended, is paused, or waits for the deployer to
 * report the split live. Intervals are counted from `ab.startedAt`, so a late
 * judgment never shifts the ones after it; the last one ends at the horizon.
 *
 * While a proposal waits for a person (`/ab conclude`), B still serves its
 * share, so the test keeps looking at B's serving health every interval,
 * counted from the proposal and past the horizon, until the person decides.
 * That needs the manifest's canary.metrics, which the state shows: a test
 * that has judged B's health has `ab.health`. Without it nothing is due
 * while the proposal waits.
 */
export function nextAbJudgment(state: CanaryState, policy: AbPolicy): JudgmentWindow | undefined {
  const ab = state.ab;
  if (state.status !== 'running' || state.awaiting !== undefined || state.paused || !ab) return undefined;
  const resolved = resolveAbPolicy(policy);
  if (ab.proposal) {
    if (!ab.health) return undefined;
    const proposed = Date.parse(ab.proposal.at);
    if (!Number.isFinite(proposed)) return undefined;
    const start = proposed + resolved.intervalMs * (ab.waitingLooks ?? 0);
    return judgmentWindow(start, start + resolved.intervalMs, resolved);
  }
  const started = Date.parse(ab.startedAt);
  if (!Number.isFinite(started)) return undefined;
  const horizon = started + resolved.horizonMs;
  const start = Math.min(started + resolved.intervalMs * ab.looks, horizon);
  if (start >= horizon) return undefined;
  return judgmentWindow(start, Math.min(start + resolved.intervalMs, horizon), resolved);
}

/** A window [start, due] read at `due`, with the query step of the test's interval. */
function judgmentWindow(start: number, due: number, policy: ResolvedAbPolicy): JudgmentWindow {
  return {
    due: new Date(due),
    start: new Date(start),
    end: new Date(due),
    step: Math.max(MIN_QUERY_STEP_SECONDS, Math.round(policy.intervalMs / 1000 / POINTS_PER_INTERVAL)),
  };
}

/**
 * Plans one look at an A/B test: adds the interval's counts to the running
 * totals, runs the sequential test on them, and decides. No conclusion
 * before `min_duration` and `min_samples` trials per arm; then an
 * always-valid p below `alpha` concludes B better (promote B) or worse
 * (keep A) by `higher_is_better`; the horizon reached undecided is
 * inconclusive. An interval whose counts are missing, erroring or
 * impossible is recorded as an error and never concludes. With
 * `auto_conclude` the conclusion applies itself; otherwise it is recorded
 * and waits for `/ab conclude` (see planAbConclusion).
 *
 * When the manifest has canary.metrics, every look also judges B's serving
 * health (judgeAbHealth: the canary's judge and limits). A breach ends the
 * test at once as keep A, whatever the product metric says and whatever
 * `auto_conclude` is: B's deployment fails, the revert opens, the check
 * fails. Health only vetoes: it never proposes "promote B", and health that
 * could not be judged (no data, errors within the limit) blocks nothing.
 *
 * While a proposal waits for `/ab conclude`, a look judges B's serving
 * health only (the product metric is no longer counted: the proposal
 * stands): within the limits it changes nothing but the health record and
 * `waitingLooks`; a breach ends the test at once as keep A, recording the
 * proposal it overruled. Pure.
 */
export function planAbStep(
  state: CanaryState,
  policy: AbPolicy,
  canary: CanaryPolicy | undefined,
  data: AbData,
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  const window = nextAbJudgment(state, policy);
  const ab = state.ab;
  if (!window || !ab) return { kind: 'not-due' };
  if (now.getTime() < window.due.getTime()) return { kind: 'not-due', due: window.due };
  const resolved = resolveAbPolicy(policy);
  const at = window.due.toISOString();
  if (ab.proposal) return planWaitingLook(state, ab, ab.proposal, canary, data, at, now, options);
  const observation = observe(data, at);
  const record: AbRecord = {
    ...ab,
    looks: ab.looks + 1,
    recent: [...ab.recent, observation].slice(-AB_RECENT_OBSERVATIONS),
  };
  const health = judgeAbHealth(ab.health, canary, data.health, at);
  if (health) record.health = health.health;
  const started = Date.parse(ab.startedAt);
  const horizonReached = window.due.getTime() >= started + resolved.horizonMs;
  let proposal: AbProposal | undefined;
  if ('error' in observation) {
    record.errors = ab.errors + 1;
  } else {
    record.totals = { a: add(ab.totals.a, observation.a), b: add(ab.totals.b, observation.b) };
    const tau = mixingVariance(resolved.minSamples, resolved.alpha);
    const look = sequentialLook(record.totals.a, record.totals.b, tau, resolved.alpha);
    record.latest = look;
    const elapsed = window.due.getTime() - started;
    const eligible =
      elapsed >= resolved.minDurationMs &&
      record.totals.a.trials >= resolved.minSamples &&
      record.totals.b.trials >= resolved.minSamples;
    if (eligible) {
      record.evidence = accumulate(ab.evidence, look);
      if (record.evidence.p < resolved.alpha) {
        const bBetter = look.difference > 0 === resolved.metric.higher_is_better;
        proposal = {
          outcome: bBetter ? 'promote_b' : 'keep_a',
          at,
          reason: `${metricName(resolved)}: B ${look.difference > 0 ? 'higher' : 'lower'} than A by ${pct(Math.abs(look.difference))} percentage points (always-valid p = ${fmt(record.evidence.p)} < alpha ${resolved.alpha})`,
        };
      }
    }
  }
  // Health is judged first: a B that hurts users leaves at once, even while its metric looks good.
  if (health?.breach)
    proposal = {
      outcome: 'keep_a',
      at,
      reason: `B's serving health failed: ${health.breach}`.slice(0, 1024),
      basis: 'health',
    };
  if (!proposal && horizonReached) {
    proposal = {
      outcome: 'inconclusive',
      at,
      reason: `the horizon (${resolved.text.horizon}) was reached without a conclusion: ${undecidedReason(record, resolved)}`,
    };
  }
  const next: CanaryState = { ...state, ab: record };
  if (!proposal) {
    return {
      kind: 'judged',
      state: next,
      decision: {
        action: 'wait',
        reason: waitReason(observation, record, resolved, window.due) + healthNote(health?.interval, canary),
      },
      effects: [{ kind: 'save-state' }],
    };
  }
  record.proposal = proposal;
  if (resolved.autoConclude || proposal.basis === 'health')
    return conclude(next, record, proposal, now, options);
  return {
    kind: 'judged',
    state: next,
    decision: { action: 'wait', reason: proposedText(proposal) },
    effects: [{ kind: 'save-state' }],
  };
}

const proposedText = (proposal: AbProposal) =>
  `${OUTCOME_TEXT[proposal.outcome]} proposed (${proposal.reason}); a person confirms it with /ab conclude`;

/**
 * A look while a proposal waits for a person: B's serving health only. A
 * breach overrules the proposal (keep A at once); otherwise the proposal
 * stands. Nothing to look at (the canary policy has no metrics) plans nothing.
 */
function planWaitingLook(
  state: CanaryState,
  ab: AbRecord,
  proposal: AbProposal,
  canary: CanaryPolicy | undefined,
  data: AbData,
  at: string,
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  const health = judgeAbHealth(ab.health, canary, data.health, at);
  if (!health) return { kind: 'not-due' };
  const record: AbRecord = { ...ab, health: health.health, waitingLooks: (ab.waitingLooks ?? 0) + 1 };
  const next: CanaryState = { ...state, ab: record };
  if (health.breach) {
    const why = `B's serving health failed while "${OUTCOME_TEXT[proposal.outcome]}" waited for /ab conclude: ${health.breach}`;
    const overruling: AbProposal = { outcome: 'keep_a', at, reason: why.slice(0, 1024), basis: 'health' };
    record.overruled = proposal;
    record.proposal = overruling;
    return conclude(next, record, overruling, now, options);
  }
  const { verdict } = health.interval;
  const within = verdict === 'pass' ? '' : ` (${limitsText(canary)})`;
  return {
    kind: 'judged',
    state: next,
    decision: {
      action: 'wait',
      reason: `${proposedText(proposal)}. B's serving health is watched until then: ${verdict} in the interval ending ${at}${within}`,
    },
    effects: [{ kind: 'save-state' }],
  };
}

/** What `/ab conclude` comes to: the proposal applied, or why there is nothing to apply (a reply to the person). */
export type AbConclusion =
  | { kind: 'judged'; state: CanaryState; decision: CanaryDecision; effects: CanaryEffect[] }
  | { kind: 'refused'; reason: string };

/**
 * What `/ab conclude` does: applies the test's proposal, recording who
 * confirmed it. Promote B: the promotion and a successful check. Keep A or
 * inconclusive: B's deployment is failed (the deployer takes it out of
 * traffic), the revert pull request opens and the check fails: an unproven B
 * is not shipped (a person who wants it anyway says `/promote`). Refused,
 * with the reason, when the rollout is not a running A/B test or the test
 * has not concluded yet. Pure.
 */
export function planAbConclusion(
  state: CanaryState,
  policy: AbPolicy,
  by: Steer,
  now: Date,
  options: { autoMerge: boolean },
): AbConclusion {
  const ab = state.ab;
  if (state.strategy !== 'ab' || !ab) return { kind: 'refused', reason: 'this rollout is not an A/B test' };
  if (state.status !== 'running')
    return { kind: 'refused', reason: `the A/B test has ended (${state.status})` };
  if (!ab.proposal) {
    const resolved = resolveAbPolicy(policy);
    return {
      kind: 'refused',
      reason: `the A/B test has not reached a conclusion yet: ${undecidedReason(ab, resolved)}. It proposes one on its own; /promote ships B without one`,
    };
  }
  const record: AbRecord = { ...ab, confirmedBy: by };
  return conclude({ ...state, ab: record }, record, ab.proposal, now, options);
}

const OUTCOME_TEXT: Record<AbOutcome, string> = {
  promote_b: 'promote B',
  keep_a: 'keep A',
  inconclusive: 'inconclusive (keep A)',
};

/** Applies a conclusion: the state ends, and the effects carry it out (save-state last). */
function conclude(
  state: CanaryState,
  record: AbRecord,
  proposal: AbProposal,
  now: Date,
  options: { autoMerge: boolean },
): AbConclusion & { kind: 'judged' } {
  record.concludedAt = now.toISOString();
  const release = `${state.model} ${state.version}`;
  const who = record.confirmedBy ? ` (confirmed by @${record.confirmedBy.by})` : '';
  if (proposal.outcome === 'promote_b') {
    return {
      kind: 'judged',
      state: { ...state, ab: record, status: 'promoted' },
      decision: { action: 'promote', reason: `A/B test: B is better${who}: ${proposal.reason}` },
      effects: [
        { kind: 'promote' },
        {
          kind: 'complete-check',
          conclusion: 'success',
          title: `${release} promoted: B won the A/B test`,
          summary: `${proposal.reason}${who}`,
        },
        { kind: 'save-state' },
      ],
    };
  }
  const verdict =
    proposal.basis === 'health'
      ? "B's serving health failed"
      : proposal.outcome === 'keep_a'
        ? 'B is worse'
        : 'B was not shown better';
  const reason =
    proposal.basis === 'health'
      ? `A/B test: ${proposal.reason}${who}`
      : `A/B test: ${verdict}${who}: ${proposal.reason}`;
  return {
    kind: 'judged',
    state: { ...state, ab: record, status: 'failed' },
    decision: { action: 'rollback', reason },
    effects: [
      ...outOfTraffic(state, `A/B test: ${verdict}, A kept`),
      { kind: 'open-revert', autoMerge: options.autoMerge },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: `${release}: ${proposal.basis === 'health' ? "A/B test kept A: B's serving health failed" : proposal.outcome === 'keep_a' ? 'A/B test kept A' : 'A/B test inconclusive'}`,
        summary: `${proposal.reason}${who}`,
      },
      { kind: 'save-state' },
    ],
  };
}

/**
 * Checks one interval's readings. A query error, a missing arm, a count that
 * is not a finite number or is negative (counts that went backwards) and
 * more successes than trials all make the interval an error, naming why.
 */
function observe(data: AbData, at: string): AbObservation {
  const problems: string[] = [];
  const check = (reading: AbArmReading | undefined, name: 'A' | 'B'): ArmIncrement | undefined => {
    if (!reading) return void problems.push(`${name}: no counts`);
    if ('error' in reading) return void problems.push(`${name}: ${reading.error}`.slice(0, 240));
    const { successes, trials } = reading;
    if (!Number.isFinite(successes) || !Number.isFinite(trials))
      return void problems.push(`${name}: counts are not numbers (successes ${successes}, trials ${trials})`);
    if (successes < 0 || trials < 0)
      return void problems.push(
        `${name}: counts went backwards (successes ${fmt(successes)}, trials ${fmt(trials)})`,
      );
    if (successes > trials)
      return void problems.push(`${name}: more successes (${fmt(successes)}) than trials (${fmt(trials)})`);
    return { successes, trials };
  };
  const a = check(data.a, 'A');
  const b = check(data.b, 'B');
  if (!a || !b) return { at, error: problems.join('; ').slice(0, 512) };
  return { at, a, b };
}

const add = (x: ArmIncrement, y: ArmIncrement): ArmIncrement => ({
  successes: x.successes + y.successes,
  trials: x.trials + y.trials,
});

/** Why the test has not concluded: the first condition still missing. */
function undecidedReason(ab: AbRecord, policy: ResolvedAbPolicy): string {
  const fewest = Math.min(ab.totals.a.trials, ab.totals.b.trials);
  if (fewest < policy.minSamples)
    return `${fmt(fewest)} of min_samples ${policy.minSamples} trials in the smaller arm`;
  if (!ab.evidence) return `min_duration (${policy.text.minDuration}) has not passed`;
  return `always-valid p = ${fmt(ab.evidence.p)}, not below alpha ${policy.alpha}`;
}

function waitReason(observation: AbObservation, ab: AbRecord, policy: ResolvedAbPolicy, due: Date): string {
  if ('error' in observation)
    return `the interval ending ${observation.at} could not be used (${observation.error}); it is not counted`;
  const elapsed = due.getTime() - Date.parse(ab.startedAt);
  if (elapsed < policy.minDurationMs) return `min_duration (${policy.text.minDuration}) has not passed`;
  return undecidedReason(ab, policy);
}

/** A health interval that did not pass, in a clause after the wait reason (within the limits, or it would have ended the test). */
function healthNote(interval: IntervalResult | undefined, canary: CanaryPolicy | undefined): string {
  if (!interval || interval.verdict === 'pass') return '';
  return `; B's serving health this interval: ${interval.verdict} (${limitsText(canary)})`;
}

const limitsText = (canary: CanaryPolicy | undefined) =>
  `within failure_limit ${canary?.failure_limit ?? 0}, consecutive_error_limit ${canary?.consecutive_error_limit ?? 4}`;

const metricName = (policy: ResolvedAbPolicy) => policy.metric.name;
const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
const pct = (v: number) => Number((v * 100).toPrecision(3)).toString();
