import { decideCanary, type CanaryDecision } from './decide.js';
import { parseInterval } from './interval.js';
import { judgeAnalysis, judgeInterval, type CanaryPolicy, type MetricData } from './judge.js';
import type { CanaryState } from './state.js';

/** An interval's length when a manifest sets none (DESIGN.md's example). */
const DEFAULT_INTERVAL = '10m';

/** Fewer points than this in a query's range make a rate() unreliable; more cost Prometheus for nothing. */
const POINTS_PER_INTERVAL = 20;
const MIN_QUERY_STEP_SECONDS = 15;

/** The interval a canary judges next: when it is due, and the window of metrics it reads. */
export interface JudgmentWindow {
  due: Date;
  start: Date;
  end: Date;
  /** The range query's resolution, in seconds. */
  step: number;
}

/**
 * The next interval of a running canary, or undefined when nothing is to be
 * judged: it has finished, is paused, or waits for the deployer to report the
 * next step live. Intervals are counted from the start of the current step,
 * so a late judgment never shifts the ones after it.
 */
export function nextJudgment(state: CanaryState, policy: CanaryPolicy): JudgmentWindow | undefined {
  if (state.status !== 'running' || state.awaiting !== undefined || state.paused) return undefined;
  // The schema bounds interval to [10s, 24h]; a manifest that does not parse never reaches the app.
  const length = parseInterval(policy.interval ?? DEFAULT_INTERVAL);
  if (length === undefined) return undefined;
  const stepStart = Date.parse(state.stepStartedAt);
  if (!Number.isFinite(stepStart)) return undefined;
  const judgedInStep = state.intervals.filter((i) => Date.parse(i.at) > stepStart).length;
  const due = stepStart + length * (judgedInStep + 1);
  return {
    due: new Date(due),
    start: new Date(due - length),
    end: new Date(due),
    step: Math.max(MIN_QUERY_STEP_SECONDS, Math.round(length / 1000 / POINTS_PER_INTERVAL)),
  };
}

/** How long the deployer may take to report a step live before the app says it waits too long. */
export const DEPLOYER_PATIENCE_MS = 30 * 60_000;
/** How often the app looks in on a paused canary (it only reads it: a person resumes it). */
const PAUSED_CHECK_MS = 24 * 3_600_000;

/** A live canary's state as the schedule and the app's gauges know it. */
export type LiveStatus = 'running' | 'awaiting_deployer' | 'paused';

/** When the app looks at a live canary next, why, and since when it has been in that state. */
export interface CanaryWake {
  at: Date;
  status: LiveStatus;
  since: Date;
}

/**
 * The next time the app looks at a rollout, or undefined once it has
 * finished (it is never read again). `judgment` is the next window its
 * planner judges (see nextRolloutJudgment). A running rollout is looked at
 * when that window is due; one waiting for the deployer after
 * DEPLOYER_PATIENCE_MS (to say it waits too long); a paused one, or one
 * whose decision waits for a person (an A/B proposal without `canary.metrics`
 * to watch, a blue-green preview ready to switch), daily. With `now`, a time already past moves one period
 * past `now`.
 */
export function nextWake(
  state: CanaryState,
  judgment: JudgmentWindow | undefined,
  now?: Date,
): CanaryWake | undefined {
  if (state.status !== 'running') return undefined;
  const stepStart = Date.parse(state.stepStartedAt);
  let status: LiveStatus;
  let since: number;
  let period: number;
  if (state.paused) {
    status = 'paused';
    since = Date.parse(state.paused.at);
    period = PAUSED_CHECK_MS;
  } else if (state.awaiting !== undefined) {
    status = 'awaiting_deployer';
    // The judgment that asked for the next step; the step's start when there is none.
    since = Date.parse(state.intervals.at(-1)?.at ?? state.stepStartedAt);
    period = DEPLOYER_PATIENCE_MS;
  } else if (judgment) {
    return { at: judgment.due, status: 'running', since: new Date(stepStart) };
  } else {
    // Running with nothing to judge: a decision waits for a person.
    status = 'paused';
    since = stepStart;
    period = PAUSED_CHECK_MS;
  }
  if (!Number.isFinite(since)) since = now?.getTime() ?? stepStart;
  if (!Number.isFinite(since)) return undefined;
  let at = since + period;
  if (now && at <= now.getTime()) at = now.getTime() + period;
  return { at: new Date(at), status, since: new Date(since) };
}

/**
 * A side effect of a canary step, carried out by the app in the order given.
 * Each is idempotent at GitHub's end (the adapter finds its own earlier
 * work), so a step that dies half-way is completed by the next attempt.
 */
export type CanaryEffect =
  /**
   * Deploy the next traffic step; the new deployment's id becomes the state's `awaiting`.
   * `mirror` (a shadow) copies that percentage of requests to the version; `role` marks a
   * blue-green preview (weight 0, its own environment).
   */
  | {
      kind: 'deploy-step';
      environment: string;
      weight: number;
      description: string;
      mirror?: number;
      role?: 'preview';
    }
  /**
   * Blue-green's switch: a production deployment of the version at 100 % (role `active`),
   * the previous version kept warm `scaleDownDelaySeconds`; its id becomes `awaiting`.
   */
  | { kind: 'switch'; description: string; scaleDownDelaySeconds: number }
  /**
   * All traffic back to the baseline: a production deployment of the baseline version at 100 %
   * (blue-green's switch back; a failed canary, shadow or B taken out of traffic).
   */
  | { kind: 'switch-back'; description: string }
  /** The stage tag and the production deployment (`live`: the production deployment exists already, as after a switch). */
  | { kind: 'promote'; live?: boolean }
  /** Mark the current step's deployment failed (a status: it moves no traffic, `switch-back` does). */
  | { kind: 'fail-deployment'; deploymentId: number; description: string }
  /** Open the pull request that restores the baseline release; its address becomes the state's `revertUrl`. */
  | { kind: 'open-revert'; autoMerge: boolean }
  /** Complete the check run that mirrors the canary on its release commit. */
  | { kind: 'complete-check'; conclusion: 'success' | 'failure'; title: string; summary: string }
  /** Save the state (sealed) and its report: always the last effect. */
  | { kind: 'save-state' };

/** What one judgment of a canary comes to: the new state, the decision, and the effects to carry out. */
export type CanaryStep =
  | { kind: 'not-due'; due?: Date }
  | { kind: 'judged'; state: CanaryState; decision: CanaryDecision; effects: CanaryEffect[] };

/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;

/**
 * Plans one judgment of a running canary: judges the interval that is due
 * from the metric data read for its window, weighs it with the analysis so
 * far, decides (wait, next step, promote, roll back) and lists the effects.
 * Pure: the state passed in is not changed. Not due (or nothing to judge)
 * plans nothing, so a duplicate or early job is harmless.
 */
export function planCanaryStep(
  state: CanaryState,
  policy: CanaryPolicy,
  data: readonly MetricData[],
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  const window = nextJudgment(state, policy);
  if (!window || !policy.metrics?.length) return { kind: 'not-due' };
  if (now.getTime() < window.due.getTime()) return { kind: 'not-due', due: window.due };

  const interval = judgeInterval(policy.metrics, data, policy, window.due.toISOString());
  const next: CanaryState = { ...state, intervals: [...state.intervals, interval] };
  const analysis = judgeAnalysis(next.intervals, policy, Number.POSITIVE_INFINITY);
  // A passing interval ends the step; the analysis as a whole decides failure.
  const outcome =
    analysis.status !== 'failed' && interval.verdict === 'pass'
      ? { ...analysis, status: 'passed' as const, reason: `the interval ending ${interval.at} passed` }
      : analysis;
  const decision = decideCanary(policy, state.weight, outcome);
  const effects: CanaryEffect[] = [];
  const release = `${state.model} ${state.version}`;
  switch (decision.action) {
    case 'advance':
      effects.push({
        kind: 'deploy-step',
        environment: state.environment,
        weight: decision.weight,
        description: `Shift ${release} to ${decision.weight}%`,
      });
      break;
    case 'promote':
      next.status = 'promoted';
      effects.push(
        { kind: 'promote' },
        {
          kind: 'complete-check',
          conclusion: 'success',
          title: `${release} promoted`,
          summary: decision.reason,
        },
      );
      break;
    case 'rollback':
      next.status = 'failed';
      effects.push(
        ...outOfTraffic(state, `canary failed: ${decision.reason}`),
        { kind: 'open-revert', autoMerge: options.autoMerge },
        {
          kind: 'complete-check',
          conclusion: 'failure',
          title: `${release}: canary failed`,
          summary: decision.reason,
        },
      );
      break;
    case 'wait':
      break;
  }
  effects.push({ kind: 'save-state' });
  return { kind: 'judged', state: next, decision, effects };
}

/**
 * Takes a failed candidate out of traffic: when a version served before it,
 * a production deployment of that version at 100 % (`switch-back`), then its
 * own deployment marked failed. The deployer acts on deployments, not on
 * statuses: without the first, a failed canary would keep its share until
 * the next deployment of the model. The switch back comes first: a retry
 * after it failed finds the rollout's deployment still live and plans it
 * again, where a deployment already marked failed reads as gone. A first
 * release has nothing to go back to: it keeps answering, and the report says
 * it failed.
 */
export function outOfTraffic(state: CanaryState, why: string): CanaryEffect[] {
  const failed: CanaryEffect = {
    kind: 'fail-deployment',
    deploymentId: state.deploymentId,
    description: why.slice(0, DESCRIPTION_LIMIT),
  };
  if (!state.baselineVersion) return [failed];
  return [switchBackOf(state, why), failed];
}

/** The switch back of a canary, shadow or A/B rollout to the version it replaced (outOfTraffic). */
export function switchBackOf(state: CanaryState, why: string): CanaryEffect {
  const back = `Take ${state.model} ${state.version} out of traffic: ${state.baselineVersion} answers every request again (${why})`;
  return { kind: 'switch-back', description: back.slice(0, DESCRIPTION_LIMIT) };
}
