import type { CanaryDecision } from '../canary/decide.js';
import { DEFAULT_STEPS } from '../canary/decide.js';
import { judgeInterval, type CanaryPolicy, type IntervalResult, type MetricData } from '../canary/judge.js';
import type { CanaryState } from '../canary/state.js';
import { outOfTraffic, type CanaryEffect, type CanaryStep, type JudgmentWindow } from '../canary/step.js';
import { judgeOutputs, type OutputsVerdict } from './checks.js';
import { addTallies, emptyTally, tallyPairs, type OutputPair } from './compare.js';
import {
  resolveShadowPolicy,
  shadowIntervalCount,
  type ResolvedShadowPolicy,
  type ShadowPolicy,
} from './policy.js';
import {
  HISTORY_LIMIT,
  newShadowRecord,
  RECENT_SERVING,
  type ServingTally,
  type ShadowIntervalSummary,
  type ShadowOutcome,
  type ShadowRecord,
} from './state.js';

/** What the app read for one shadow interval: serving metrics (shadow as `canary`, production as `baseline`) and the answers. */
export interface ShadowData {
  metrics: MetricData[];
  /** The interval's pairs from the configured source, or why the source failed; absent when none was read. */
  outputs?: { pairs: OutputPair[] } | { error: string };
}

/** Fewer points than this in a query's range make a rate() unreliable (as for the canary). */
const POINTS_PER_INTERVAL = 20;
const MIN_QUERY_STEP_SECONDS = 15;
/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;

/** The shadow's record in a state, or a fresh one when the state has none yet. */
export function shadowRecordOf(state: CanaryState): ShadowRecord {
  return state.shadow ?? newShadowRecord();
}

/**
 * Whether the rollout is in its shadow phase. After a passing shadow with
 * `then: canary` the record's phase is `canary`: the state keeps
 * `strategy: 'shadow'` and its record, and the canary's own planner
 * (nextJudgment / planCanaryStep) runs the steps.
 */
export function inShadowPhase(state: CanaryState): boolean {
  return state.strategy === 'shadow' && shadowRecordOf(state).phase === 'shadow';
}

/**
 * The next shadow interval, or undefined when there is nothing to judge now:
 * finished, paused, waiting for the deployer, or handed over to the canary.
 * Intervals are counted from the shadow's start (state.stepStartedAt), so a
 * late judgment never shifts the ones after it.
 */
export function nextShadowJudgment(state: CanaryState, policy: ShadowPolicy): JudgmentWindow | undefined {
  if (state.status !== 'running' || state.awaiting !== undefined || state.paused) return undefined;
  if (!inShadowPhase(state)) return undefined;
  const resolved = resolveShadowPolicy(policy);
  const record = shadowRecordOf(state);
  if (record.judged >= shadowIntervalCount(resolved)) return undefined;
  const start = Date.parse(state.stepStartedAt);
  if (!Number.isFinite(start)) return undefined;
  const length = resolved.intervalMs;
  const due = start + length * (record.judged + 1);
  return {
    due: new Date(due),
    start: new Date(due - length),
    end: new Date(due),
    step: Math.max(MIN_QUERY_STEP_SECONDS, Math.round(length / 1000 / POINTS_PER_INTERVAL)),
  };
}

function countServing(tally: ServingTally, result: IntervalResult | undefined): ServingTally {
  if (!result) return tally;
  const next = { ...tally };
  if (result.verdict === 'pass') next.passed += 1;
  else if (result.verdict === 'fail') next.failed += 1;
  else if (result.verdict === 'error') next.errors += 1;
  else next.inconclusive += 1;
  next.consecutiveErrors = result.verdict === 'error' ? tally.consecutiveErrors + 1 : 0;
  return next;
}

/**
 * Where the serving metrics stand, by the canary's rules (failure_limit,
 * default 0; consecutive_error_limit, default 4). At the end they pass only
 * when at least half the shadow's intervals were judged (pass or fail): a
 * shadow whose metrics were mostly silent proves nothing.
 */
function servingStatus(
  tally: ServingTally,
  canary: CanaryPolicy,
  intervals: number,
  finished: boolean,
): { verdict: 'pass' | 'fail' | 'inconclusive' | 'running'; reason: string } {
  const failureLimit = canary.failure_limit ?? 0;
  const errorLimit = canary.consecutive_error_limit ?? 4;
  if (tally.failed > failureLimit)
    return {
      verdict: 'fail',
      reason: `serving metrics: ${tally.failed} failed interval(s), more than failure_limit ${failureLimit}`,
    };
  if (tally.consecutiveErrors > errorLimit)
    return {
      verdict: 'fail',
      reason: `serving metrics: ${tally.consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}`,
    };
  if (!finished) return { verdict: 'running', reason: 'serving metrics within the limits so far' };
  const judged = tally.passed + tally.failed;
  const needed = Math.max(1, Math.ceil(intervals / 2));
  if (judged < needed)
    return {
      verdict: 'inconclusive',
      reason: `serving metrics: ${judged} of ${intervals} interval(s) judged, at least ${needed} needed`,
    };
  return {
    verdict: 'pass',
    reason: `serving metrics: ${judged} interval(s) judged, ${tally.failed} failed (failure_limit ${failureLimit})`,
  };
}

/**
 * Plans one judgment of a running shadow: judges the serving metrics of the
 * interval that is due with the canary's judge (shadow vs production), adds
 * the interval's pairs to the outputs so far and judges them, and decides.
 * A failure of either fails the shadow at once; at the end of `duration` a
 * pass hands over to the canary's first step (`then: canary`) or promotes
 * (`then: promote`), and anything short of a pass fails closed. Pure; not
 * due plans nothing, so a duplicate or early job is harmless.
 */
export function planShadowStep(
  state: CanaryState,
  policy: ShadowPolicy,
  canary: CanaryPolicy | undefined,
  data: ShadowData,
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  const window = nextShadowJudgment(state, policy);
  if (!window) return { kind: 'not-due' };
  if (now.getTime() < window.due.getTime()) return { kind: 'not-due', due: window.due };
  const resolved = resolveShadowPolicy(policy);
  const at = window.due.toISOString();
  const before = shadowRecordOf(state);
  const metrics = canary?.metrics?.length ? canary.metrics : undefined;

  const serving = metrics ? judgeInterval(metrics, data.metrics, canary!, at) : undefined;
  const record: ShadowRecord = {
    ...before,
    judged: before.judged + 1,
    serving: countServing(before.serving, serving),
    recent: serving ? [...before.recent, serving].slice(-RECENT_SERVING) : before.recent,
  };
  let outputs: OutputsVerdict | undefined;
  let pairs = 0;
  let sourceFailed = false;
  if (resolved.outputs) {
    let tally = before.outputs ?? emptyTally();
    if (!data.outputs || 'error' in data.outputs) {
      sourceFailed = true;
      record.sourceErrors = before.sourceErrors + 1;
      record.lastSourceError = (
        data.outputs && 'error' in data.outputs ? data.outputs.error : 'no outputs were read'
      ).slice(0, 512);
    } else {
      const interval = tallyPairs(data.outputs.pairs, resolved.outputs.sample);
      pairs = interval.pairs;
      tally = addTallies(tally, interval);
    }
    record.outputs = tally;
    outputs = judgeOutputs(tally, resolved.outputs);
  }
  record.history = [
    ...before.history,
    {
      at,
      serving: serving?.verdict ?? 'inconclusive',
      pairs,
      outputs: sourceFailed ? 'error' : (outputs?.verdict ?? 'none'),
    } satisfies ShadowIntervalSummary,
  ].slice(-HISTORY_LIMIT);

  const total = shadowIntervalCount(resolved);
  const finished = record.judged >= total;
  const outcome = decideShadow(record, resolved, canary, outputs, finished, total, at);
  const next: CanaryState = { ...state, shadow: record };
  const release = `${state.model} ${state.version}`;
  const effects: CanaryEffect[] = [];
  let decision: CanaryDecision;
  if (!outcome) {
    decision = { action: 'wait', reason: `${record.judged} of ${total} shadow interval(s) judged` };
  } else if (outcome.verdict === 'pass') {
    record.outcome = outcome;
    if (resolved.then === 'promote') {
      decision = { action: 'promote', reason: outcome.reason };
      next.status = 'promoted';
      effects.push(
        { kind: 'promote' },
        {
          kind: 'complete-check',
          conclusion: 'success',
          title: `${release} promoted after its shadow`,
          summary: outcome.reason,
        },
      );
    } else {
      const steps = canary?.steps?.length ? canary.steps : DEFAULT_STEPS;
      const weight = steps[0]!;
      record.phase = 'canary';
      decision = { action: 'advance', weight, reason: `the shadow passed: ${outcome.reason}` };
      effects.push({
        kind: 'deploy-step',
        environment: state.environment,
        weight,
        description: `Shadow passed; shift ${release} to ${weight}%`.slice(0, DESCRIPTION_LIMIT),
      });
    }
  } else {
    record.outcome = outcome;
    next.status = 'failed';
    const reason =
      outcome.verdict === 'inconclusive' ? `inconclusive, so not a pass: ${outcome.reason}` : outcome.reason;
    decision = { action: 'rollback', reason };
    effects.push(
      ...outOfTraffic(state, `shadow failed: ${reason}`),
      { kind: 'open-revert', autoMerge: options.autoMerge },
      { kind: 'complete-check', conclusion: 'failure', title: `${release}: shadow failed`, summary: reason },
    );
  }
  effects.push({ kind: 'save-state' });
  return { kind: 'judged', state: next, decision, effects };
}

/** The shadow's outcome after this interval, or undefined while it keeps running. */
function decideShadow(
  record: ShadowRecord,
  policy: ResolvedShadowPolicy,
  canary: CanaryPolicy | undefined,
  outputs: OutputsVerdict | undefined,
  finished: boolean,
  total: number,
  at: string,
): ShadowOutcome | undefined {
  const hasMetrics = Boolean(canary?.metrics?.length);
  if (!hasMetrics && !policy.outputs)
    return {
      verdict: 'inconclusive',
      reason: 'the shadow compares nothing: the manifest has no canary.metrics and no rollout.shadow.outputs',
      at,
    };
  const serving = hasMetrics ? servingStatus(record.serving, canary!, total, finished) : undefined;
  if (serving?.verdict === 'fail') return { verdict: 'fail', reason: serving.reason, at };
  if (outputs?.verdict === 'fail') return { verdict: 'fail', reason: outputs.reason, at };
  if (!finished) return undefined;
  const reasons = [serving?.reason, outputs ? `outputs: ${outputs.reason}` : undefined].filter(
    (r): r is string => r !== undefined,
  );
  const reason = reasons.join('; ');
  if (serving && serving.verdict !== 'pass') return { verdict: 'inconclusive', reason, at };
  if (outputs && outputs.verdict !== 'pass') return { verdict: 'inconclusive', reason, at };
  return { verdict: 'pass', reason, at };
}
