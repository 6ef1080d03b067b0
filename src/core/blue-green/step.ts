import type { CanaryDecision } from '../canary/decide.js';
import {
  judgeAnalysis,
  judgeInterval,
  type CanaryPolicy,
  type IntervalResult,
  type MetricData,
} from '../canary/judge.js';
import type { CanaryState, Steer } from '../canary/state.js';
import type { CanaryEffect, CanaryStep, JudgmentWindow } from '../canary/step.js';
import {
  formatBlueGreenDuration,
  resolveBlueGreenPolicy,
  type BlueGreenPolicy,
  type ResolvedBlueGreenPolicy,
} from './policy.js';
import type { AnalysisOutcome, BlueGreenRecord } from './state.js';
import { judgePreviewSuites, type PreviewSuiteEvidence } from './suites.js';

/** A blue-green judgment's window: which analysis, whether the suites run, and blue's window to compare with. */
export interface BlueGreenWindow extends JudgmentWindow {
  analysis: 'pre-switch' | 'post-switch';
  /** The pre-switch analysis's first judgment: run the eval suites against the preview (no metrics are read). */
  suites: boolean;
  /** Post-switch: blue's series over the same length, ending when the switch was asked for. */
  baseline?: { start: Date; end: Date };
}

/**
 * What a blue-green judgment reads, gathered by the app for its window:
 * the suites' evidence for the first pre-switch judgment, else the canary
 * metrics (green alone on the preview; green and blue's baseline window after the switch).
 */
export interface BlueGreenData {
  suites?: PreviewSuiteEvidence;
  metrics: readonly MetricData[];
}

/** Fewer points than this in a window make a rate() unreliable (as for the canary). */
const POINTS_PER_WINDOW = 20;
const MIN_QUERY_STEP_SECONDS = 15;
/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;

const queryStep = (lengthMs: number) =>
  Math.max(MIN_QUERY_STEP_SECONDS, Math.round(lengthMs / 1000 / POINTS_PER_WINDOW));

/**
 * The next analysis window of a running blue-green rollout, or undefined when
 * there is nothing to judge now: finished, paused, waiting for the deployer
 * (the preview or the switch not reported live yet), or `ready` (waiting for
 * `/promote`). The pre-switch analysis judges the suites when the preview goes
 * live, then one health window of pre_switch.duration; the post-switch one
 * judges every post_switch.interval from the moment green went live until
 * post_switch.duration. Windows count from times in the state, never from now.
 */
export function nextBlueGreenJudgment(
  state: CanaryState,
  policy: BlueGreenPolicy,
): BlueGreenWindow | undefined {
  const record = state.blueGreen;
  if (state.strategy !== 'blue_green' || !record) return undefined;
  if (state.status !== 'running' || state.awaiting !== undefined || state.paused) return undefined;
  const resolved = resolvedOrUndefined(policy);
  if (!resolved) return undefined;
  const stepStart = Date.parse(state.stepStartedAt);
  if (!Number.isFinite(stepStart)) return undefined;
  if (record.phase === 'preview') {
    if (!record.suites) {
      const at = new Date(stepStart);
      return {
        analysis: 'pre-switch',
        suites: true,
        due: at,
        start: at,
        end: at,
        step: MIN_QUERY_STEP_SECONDS,
      };
    }
    const length = resolved.preSwitch.durationMs;
    if (length === 0 || state.intervals.some((i) => Date.parse(i.at) > stepStart)) return undefined;
    return {
      analysis: 'pre-switch',
      suites: false,
      due: new Date(stepStart + length),
      start: new Date(stepStart),
      end: new Date(stepStart + length),
      step: queryStep(length),
    };
  }
  if (record.phase !== 'switching' && record.phase !== 'switched') return undefined;
  const requested = Date.parse(record.switchRequestedAt ?? '');
  if (!Number.isFinite(requested)) return undefined;
  const post = postWindows(state, record, resolved);
  if (post.judged >= post.count) return undefined;
  const start = post.start + post.judged * resolved.postSwitch.intervalMs;
  const end = Math.min(start + resolved.postSwitch.intervalMs, post.start + resolved.postSwitch.durationMs);
  return {
    analysis: 'post-switch',
    suites: false,
    due: new Date(end),
    start: new Date(start),
    end: new Date(end),
    step: queryStep(end - start),
    baseline: { start: new Date(requested - (end - start)), end: new Date(requested) },
  };
}

/**
 * Plans one blue-green judgment: the pre-switch suites, the preview's health
 * window, or a post-switch window; decides (wait, switch, promote, roll
 * back) and lists the effects, `save-state` last. Pure. Not due, or nothing
 * to judge, plans nothing, so a duplicate or early job is harmless.
 */
export function planBlueGreenStep(
  state: CanaryState,
  policy: BlueGreenPolicy,
  canary: CanaryPolicy | undefined,
  data: BlueGreenData,
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  const window = nextBlueGreenJudgment(state, policy);
  const record = state.blueGreen;
  if (!window || !record) return { kind: 'not-due' };
  if (now.getTime() < window.due.getTime()) return { kind: 'not-due', due: window.due };
  const resolved = resolveBlueGreenPolicy(policy);
  const at = window.due.toISOString();
  const plan = new Plan(state, record, resolved, options);
  const metrics = canary?.metrics ?? [];
  if (window.analysis === 'post-switch')
    return plan.postSwitch(window, metrics.length ? canary! : undefined, data, at);

  // Without metrics nothing could watch green after the switch: stop before any user reaches it.
  if (!metrics.length)
    return plan.preSwitchFailed(
      at,
      'blue_green needs canary.metrics: after the switch nothing could tell a bad green from a good one',
    );
  if (window.suites) {
    const suites = data.suites ? judgePreviewSuites(data.suites, at) : undefined;
    if (!suites) return plan.preSwitchFailed(at, 'the eval suites were not run against the preview');
    plan.record = { ...plan.record, suites };
    if (suites.verdict === 'fail' || suites.verdict === 'inconclusive')
      return plan.preSwitchFailed(at, `the eval suites did not pass: ${suites.reason}`);
    if (resolved.preSwitch.durationMs > 0)
      return plan.wait(
        at,
        `${suites.reason}; the preview's health window ends ${new Date(window.due.getTime() + resolved.preSwitch.durationMs).toISOString()}`,
      );
    return suites.verdict === 'pass'
      ? plan.preSwitchPassed(at, suites.reason)
      : plan.preSwitchFailed(at, 'nothing was judged: no eval suite ran and pre_switch.duration is 0s');
  }
  // The preview has no users: only the thresholds apply, there is no baseline to compare with.
  const health = judgeInterval(
    metrics,
    data.metrics.map((d) => ({ metric: d.metric, canary: d.canary })),
    canary!,
    at,
  );
  plan.next.intervals = [...state.intervals, health];
  if (health.verdict !== 'pass')
    return plan.preSwitchFailed(
      at,
      `the preview's health window ${health.verdict === 'fail' ? 'failed' : `is ${health.verdict}, not a pass`}: ${why(health)}`,
    );
  const suites = record.suites?.verdict === 'pass' ? `${record.suites.reason}; ` : '';
  return plan.preSwitchPassed(
    at,
    `${suites}the preview was healthy for ${formatBlueGreenDuration(resolved.preSwitch.durationMs)}`,
  );
}

/** What `/promote` does while a blue-green rollout is `ready`: the switch; refused in any other phase. */
export type BlueGreenSwitchPlan =
  | { kind: 'refused'; reason: string }
  | { kind: 'judged'; state: CanaryState; decision: CanaryDecision; effects: CanaryEffect[] };

/**
 * `/promote` on a blue-green rollout: switches all traffic to green when the
 * pre-switch analysis has passed and the rollout waits for a person
 * (auto_switch: false). Before that it is refused: unlike Argo Rollouts'
 * `promote --full`, a person cannot skip the pre-switch analysis.
 */
export function planBlueGreenSwitch(
  state: CanaryState,
  policy: BlueGreenPolicy,
  by: Steer,
  now: Date,
): BlueGreenSwitchPlan {
  const record = state.blueGreen;
  if (state.strategy !== 'blue_green' || !record)
    return { kind: 'refused', reason: 'this rollout is not blue-green' };
  if (state.status !== 'running')
    return { kind: 'refused', reason: `the rollout has ended (${state.status})` };
  if (record.phase !== 'ready')
    return {
      kind: 'refused',
      reason:
        record.phase === 'preview'
          ? 'the pre-switch analysis has not passed yet: the switch waits for it'
          : `the switch was already asked for (phase ${record.phase})`,
    };
  const resolved = resolveBlueGreenPolicy(policy);
  const plan = new Plan(state, record, resolved, { autoMerge: false });
  plan.record = { ...plan.record, switchedBy: by };
  return plan.switch(now.toISOString(), `switched by @${by.by}`);
}

/** The post-switch windows: where they start, how many there are, how many are judged. */
function postWindows(state: CanaryState, record: BlueGreenRecord, policy: ResolvedBlueGreenPolicy) {
  // Green went live when the deployer said so (the step start); never before the switch was asked for.
  const start = Math.max(Date.parse(state.stepStartedAt), Date.parse(record.switchRequestedAt ?? ''));
  return {
    start,
    count: Math.ceil(policy.postSwitch.durationMs / policy.postSwitch.intervalMs),
    judged: state.intervals.filter((i) => Date.parse(i.at) > start).length,
    intervals: state.intervals.filter((i) => Date.parse(i.at) > start),
  };
}

function resolvedOrUndefined(policy: BlueGreenPolicy): ResolvedBlueGreenPolicy | undefined {
  try {
    return resolveBlueGreenPolicy(policy);
  } catch {
    // A policy the schema refuses never reaches a running rollout; if it did, nothing is judged.
    return undefined;
  }
}

/** The failing (else the undecided) measurements of an interval, in a sentence. */
function why(interval: IntervalResult): string {
  if (interval.reason) return interval.reason;
  const worst =
    interval.measurements.filter((m) => m.verdict === 'fail').length > 0
      ? interval.measurements.filter((m) => m.verdict === 'fail')
      : interval.measurements.filter((m) => m.verdict !== 'pass');
  return worst.map((m) => `${m.metric}: ${m.reason}`).join('; ') || 'no metric was judged';
}

/** The state, record and effects of one planned move, built up by the branches above. */
class Plan {
  next: CanaryState;
  record: BlueGreenRecord;
  private readonly effects: CanaryEffect[] = [];
  private readonly release: string;

  constructor(
    state: CanaryState,
    record: BlueGreenRecord,
    private readonly policy: ResolvedBlueGreenPolicy,
    private readonly options: { autoMerge: boolean },
  ) {
    this.next = { ...state };
    this.record = { ...record };
    this.release = `${state.model} ${state.version}`;
  }

  wait(_at: string, reason: string): CanaryStep {
    return this.done({ action: 'wait', reason });
  }

  preSwitchPassed(at: string, reason: string): CanaryStep {
    this.record.preSwitch = outcome('pass', reason, at);
    if (this.policy.autoSwitch) return this.switch(at, reason);
    this.record.phase = 'ready';
    this.record.readyAt = at;
    return this.done({
      action: 'wait',
      reason: `the pre-switch analysis passed (${reason}); /promote switches all traffic`,
    });
  }

  switch(at: string, reason: string): CanaryStep & { kind: 'judged' } {
    const seconds = Math.round(this.policy.scaleDownDelayMs / 1000);
    this.record.phase = 'switching';
    this.record.switchRequestedAt = at;
    this.record.scaleDownDelaySeconds = seconds;
    this.effects.push({
      kind: 'switch',
      description:
        `Switch all traffic to ${this.release}; keep the previous version warm ${formatBlueGreenDuration(this.policy.scaleDownDelayMs)}`.slice(
          0,
          DESCRIPTION_LIMIT,
        ),
      scaleDownDelaySeconds: seconds,
    });
    return this.done({ action: 'switch', reason });
  }

  preSwitchFailed(at: string, reason: string): CanaryStep {
    this.record.preSwitch = outcome('fail', reason, at);
    this.next.status = 'failed';
    this.effects.push(
      {
        kind: 'fail-deployment',
        deploymentId: this.next.deploymentId,
        description: `pre-switch analysis failed: ${reason}`.slice(0, DESCRIPTION_LIMIT),
      },
      { kind: 'open-revert', autoMerge: this.options.autoMerge },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: `${this.release}: pre-switch analysis failed`,
        summary: `No user traffic reached ${this.release}. ${reason}`,
      },
    );
    return this.done({ action: 'rollback', reason });
  }

  postSwitch(
    window: BlueGreenWindow,
    canary: CanaryPolicy | undefined,
    data: BlueGreenData,
    at: string,
  ): CanaryStep {
    const state = this.next;
    const post = postWindows(state, this.record, this.policy);
    const interval = judgeInterval(canary?.metrics ?? [], data.metrics, canary ?? {}, at);
    state.intervals = [...state.intervals, interval];
    this.record.phase = 'switched';
    this.record.switchedAt = new Date(post.start).toISOString();
    const analysis = judgeAnalysis([...post.intervals, interval], canary ?? {}, post.count);
    if (analysis.status === 'failed') return this.switchBack(at, analysis.reason);
    if (window.end.getTime() < post.start + this.policy.postSwitch.durationMs)
      return this.done({ action: 'wait', reason: analysis.reason });
    if (analysis.status !== 'passed')
      return this.switchBack(
        at,
        `the post-switch window ended with ${analysis.reason}: not a pass, and blue is still warm to switch back to`,
      );
    this.record.phase = 'done';
    this.record.postSwitch = outcome('pass', analysis.reason, at);
    state.status = 'promoted';
    this.effects.push(
      { kind: 'promote', live: true },
      {
        kind: 'complete-check',
        conclusion: 'success',
        title: `${this.release} promoted`,
        summary: `Green held against blue for ${formatBlueGreenDuration(this.policy.postSwitch.durationMs)} after the switch: ${analysis.reason}`,
      },
    );
    return this.done({ action: 'promote', reason: `the post-switch analysis passed (${analysis.reason})` });
  }

  private switchBack(at: string, reason: string): CanaryStep {
    this.record.phase = 'switched-back';
    this.record.postSwitch = outcome('fail', reason, at);
    this.next.status = 'failed';
    this.effects.push(
      {
        kind: 'switch-back',
        description: `Switch all traffic back from ${this.release}: ${reason}`.slice(0, DESCRIPTION_LIMIT),
      },
      { kind: 'open-revert', autoMerge: this.options.autoMerge },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: `${this.release}: switched back`,
        summary: `The post-switch analysis failed, so all traffic went back to the previous version. ${reason}`,
      },
    );
    return this.done({ action: 'rollback', reason });
  }

  private done(decision: CanaryDecision): CanaryStep & { kind: 'judged' } {
    this.next.blueGreen = this.record;
    this.effects.push({ kind: 'save-state' });
    return { kind: 'judged', state: this.next, decision, effects: this.effects };
  }
}

function outcome(verdict: AnalysisOutcome['verdict'], reason: string, at: string): AnalysisOutcome {
  return { verdict, reason: reason.slice(0, 4096), at };
}
