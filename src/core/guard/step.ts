import type { GuardPolicy } from '../manifest/guard.js';
import { parseGuardDuration } from './duration.js';
import { judgeGuardInterval, type GuardInterval, type GuardMetricData } from './judge.js';
import type { Refusal } from '../registry/registration-tags.js';
import { REFUSAL_TEXT, type GuardState } from './state.js';
import { ROLLBACK_APPLY_MS, rollbackCheckDue } from './rollback-check.js';

/** A judged window's length when the manifest sets none. */
const DEFAULT_GUARD_INTERVAL = '1h';
/** How many earlier days the previous version is read over when the manifest sets none. */
const DEFAULT_BASELINE_DAYS = 7;
/** Windows kept with all their evidence; older ones keep their verdict (the state must fit in a comment). */
const DETAILED_WINDOWS = 3;
const DAY_MS = 86_400_000;
const POINTS_PER_WINDOW = 60;
const MIN_QUERY_STEP_SECONDS = 15;

/** A window of time the guard reads metrics over. */
export interface GuardWindow {
  start: Date;
  end: Date;
  /** The range query's resolution, in seconds. */
  step: number;
}

/** The window the guard judges next: when it is due, and what it reads. */
export interface GuardJudgment {
  due: Date;
  window: GuardWindow;
  /** The same hours of earlier days while the previous version served production: its comparable behaviour. */
  comparable: GuardWindow[];
}

/** The length of the guard's windows in milliseconds (the schema bounds it). */
export function guardIntervalMs(policy: Pick<GuardPolicy, 'interval'>): number {
  return parseGuardDuration(policy.interval ?? DEFAULT_GUARD_INTERVAL) ?? 3_600_000;
}

/**
 * The next window of a watching guard, or undefined when it has ended.
 * Windows are counted from the promotion, so a late judgment never shifts
 * the ones after it; the last one ends with the bake. The previous version
 * is read over the same hours of up to `baseline_days` earlier days, and
 * only where those ended before the promotion (it was in production then):
 * the same hours, because LLM traffic (languages, tenants, load) follows
 * the clock, so an error rate at 3 a.m. is compared with 3 a.m.
 */
export function nextGuardJudgment(
  state: GuardState,
  policy: Pick<GuardPolicy, 'interval' | 'baseline_days'>,
): GuardJudgment | undefined {
  // A paused guard (restarted from GitHub after a state that could not be believed) waits for a person.
  if (state.status !== 'watching' || state.paused) return undefined;
  const started = Date.parse(state.startedAt);
  const bakeEnd = Date.parse(state.bakeEndsAt);
  if (!Number.isFinite(started) || !Number.isFinite(bakeEnd)) return undefined;
  const length = guardIntervalMs(policy);
  const judged = state.intervals.filter((i) => Date.parse(i.at) > started).length;
  const due = Math.min(started + length * (judged + 1), bakeEnd);
  if (judged > 0 && due <= Date.parse(state.intervals.at(-1)!.at)) return undefined;
  const step = Math.max(MIN_QUERY_STEP_SECONDS, Math.round(length / 1000 / POINTS_PER_WINDOW));
  const window = { start: new Date(due - length), end: new Date(due), step };
  const comparable: GuardWindow[] = [];
  for (let day = 1; day <= (policy.baseline_days ?? DEFAULT_BASELINE_DAYS); day++) {
    const end = due - day * DAY_MS;
    if (end <= started) comparable.push({ start: new Date(end - length), end: new Date(end), step });
  }
  return { due: new Date(due), window, comparable };
}

/**
 * When the app looks at a guard next: its next window, or, after a rollback,
 * the look at whether the deployer applied it; undefined once it has ended.
 * A time already past moves to `now`.
 */
export function nextGuardWake(
  state: GuardState,
  policy: Pick<GuardPolicy, 'interval' | 'baseline_days'>,
  now?: Date,
): Date | undefined {
  const due = rollbackCheckDue(state) ?? nextGuardJudgment(state, policy)?.due;
  if (!due) return undefined;
  return now && due < now ? now : due;
}

/** What one guard judgment comes to. */
export type GuardDecision =
  | { action: 'watch'; reason: string }
  | { action: 'alert'; reason: string }
  | { action: 'rollback'; reason: string }
  | { action: 'end'; reason: string };

/**
 * A side effect of a guard step, carried out by the app in the order given;
 * each finds its own earlier work at GitHub, so a step that died half-way is
 * finished by the next attempt, never repeated.
 */
export type GuardEffect =
  /** A production Deployment of the previous version (the deployer puts it back in traffic). */
  | { kind: 'deploy-previous'; version: string; environment: string; description: string }
  /** The stage assignment tag `<model>#<stage>#N` on the previous version's release commit. */
  | { kind: 'assign-previous'; version: string; stage: string; reason: string }
  /** The pull request that restores the previous release's files. */
  | { kind: 'open-revert'; version: string; reason: string; autoMerge: boolean }
  /** Complete the guard's check run on the release commit. */
  | {
      kind: 'complete-check';
      conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
      title: string;
      summary: string;
    }
  /** Send the guard's alerts as the saved state implies them (firing, refreshed or resolved). */
  | { kind: 'send-alerts' }
  /** Save the state (sealed) and its report: always the last effect. */
  | { kind: 'save-state' };

/** What a guard judgment plans: the new state, the decision, and the effects. */
export type GuardStep =
  | { kind: 'not-due'; due?: Date }
  | {
      kind: 'judged';
      state: GuardState;
      interval: GuardInterval;
      decision: GuardDecision;
      effects: GuardEffect[];
    };

/**
 * Plans one judgment of a watching guard: judges the window that is due,
 * counts it, and decides. A breach (failed windows past `failure_limit`)
 * with `on_breach: rollback` and a previous version plans the rollback
 * once: the previous version's production deployment, its stage tag and the
 * revert pull request, and the guard ends `rolled_back`, to look once more
 * whether the deployer applied it (planRollbackCheck). With `alert`, with
 * nothing to roll back to, or with a previous version that cannot be put back
 * (`previousRefusal`: withdrawn since, say) it fires the breach alert and keeps watching.
 * When the bake ends the guard ends: `passed` when a window passed and none
 * breached, `breached` after an alert-only breach, `unverified` when no
 * window could be judged (no evidence is not a pass). Pure; not due plans nothing.
 */
export function planGuardStep(
  state: GuardState,
  policy: GuardPolicy,
  data: readonly GuardMetricData[],
  now: Date,
  options: {
    autoMerge: boolean;
    /** Why the previous version cannot be put back (restoreRefusal), when the app found it cannot. */
    previousRefusal?: Refusal;
  },
): GuardStep {
  const next = nextGuardJudgment(state, policy);
  if (!next) return { kind: 'not-due' };
  if (now.getTime() < next.due.getTime()) return { kind: 'not-due', due: next.due };
  const at = next.due.toISOString();
  const interval = judgeGuardInterval(policy, data, at);
  const saved: GuardState = {
    ...state,
    intervals: [
      ...state.intervals.map((w, i, all) => (i >= all.length - DETAILED_WINDOWS + 1 ? w : compact(w))),
      interval,
    ],
    failures: state.failures + (interval.verdict === 'fail' ? 1 : 0),
    consecutiveErrors: interval.verdict === 'error' ? state.consecutiveErrors + 1 : 0,
  };
  const limit = policy.failure_limit ?? 0;
  const release = `${state.model} ${state.version}`;
  const effects: GuardEffect[] = [];
  let decision: GuardDecision;
  const newBreach = saved.failures > limit && !state.breachedAt;
  const bakeOver = next.due.getTime() >= Date.parse(state.bakeEndsAt);
  const rollingBack = (policy.on_breach ?? 'rollback') === 'rollback';
  const refusal = rollingBack ? options.previousRefusal : undefined;
  const rollback = rollingBack && state.previousVersion !== undefined && !refusal;
  if (newBreach) saved.breachedAt = now.toISOString();
  // Said in the report: a breach that rolls nothing back must say why, and what a person does instead.
  if (newBreach && refusal) saved.notRolledBack = shortened(refusal);
  if (newBreach && (rollback || !bakeOver)) {
    const reason = `${saved.failures} failed window(s), more than failure_limit ${limit}: ${failedReason(interval)}`;
    if (rollback && state.previousVersion) {
      decision = { action: 'rollback', reason };
      Object.assign(saved, {
        status: 'rolled_back',
        endedAt: now.toISOString(),
        rollbackDue: new Date(now.getTime() + ROLLBACK_APPLY_MS).toISOString(),
      });
      const back = `guard of ${release} breached`;
      effects.push(
        {
          kind: 'deploy-previous',
          version: state.previousVersion,
          environment: state.productionEnvironment,
          description: `Roll back ${state.model} to ${state.previousVersion}: ${back}`,
        },
        {
          kind: 'assign-previous',
          version: state.previousVersion,
          stage: state.productionStage,
          reason: `Rolled back by modelgate's production guard: ${back} (pull request #${state.pr}).`,
        },
        { kind: 'open-revert', version: state.previousVersion, reason: back, autoMerge: options.autoMerge },
        {
          kind: 'complete-check',
          conclusion: 'failure',
          title: `${release}: rolled back by the guard`,
          summary: reason,
        },
      );
    } else {
      const why = !rollingBack
        ? reason
        : refusal
          ? `${reason}. The previous version ${state.previousVersion} cannot be put back: ${refusal.reason}: alerting only`
          : `${reason}. No earlier version was in production, so there is nothing to roll back to: alerting only`;
      decision = { action: 'alert', reason: why };
    }
  } else if (bakeOver) {
    // Passed means watched throughout: no window left unjudged by an error, and the last one passed.
    // One good window followed by hours of a failing query is not a verified bake.
    const errors = saved.intervals.filter((i) => i.verdict === 'error').length;
    const lastPassed = saved.intervals.at(-1)?.verdict === 'pass';
    const passed = errors === 0 && lastPassed;
    saved.status = saved.breachedAt ? 'breached' : passed ? 'passed' : 'unverified';
    saved.endedAt = now.toISOString();
    const unverified = !saved.intervals.length
      ? 'no window could be judged'
      : errors
        ? `${errors} of ${saved.intervals.length} window(s) could not be judged`
        : 'its last window did not pass';
    // Why a breach rolled nothing back: the policy said so, there was nothing to go back to, or it could not be put back.
    const unrolled = saved.notRolledBack
      ? `nothing was rolled back: ${saved.notRolledBack.reason}`
      : rollingBack
        ? 'nothing was rolled back: no earlier version was in production'
        : 'on_breach: alert';
    const reason =
      saved.status === 'passed'
        ? `the bake ended: ${saved.intervals.length} window(s), none breached`
        : saved.status === 'breached'
          ? `the bake ended after a breach (${unrolled}): ${saved.failures} failed window(s)`
          : `the bake ended and ${unverified}: production was not verified`;
    decision = { action: 'end', reason };
    effects.push({
      kind: 'complete-check',
      conclusion: saved.status === 'passed' ? 'success' : saved.status === 'breached' ? 'failure' : 'neutral',
      title: `${release}: ${saved.status === 'passed' ? 'bake passed' : saved.status === 'breached' ? 'bake ended in breach' : 'bake unverified'}`,
      summary: reason,
    });
  } else {
    decision = { action: 'watch', reason: `window ending ${at}: ${interval.verdict}` };
  }
  effects.push({ kind: 'send-alerts' }, { kind: 'save-state' });
  return { kind: 'judged', state: saved, interval, decision, effects };
}

function failedReason(interval: GuardInterval): string {
  const failed = interval.measurements.filter((m) => m.verdict === 'fail');
  return failed.map((m) => `${m.metric}: ${m.reason}`).join('; ') || interval.verdict;
}

/** A window without its per-segment evidence (older windows keep the verdict and the metric reasons). */
function compact(interval: GuardInterval): GuardInterval {
  return {
    ...interval,
    measurements: interval.measurements.map((m) => ({ ...m, worst: m.worst.slice(0, 1) })),
  };
}

/**
 * A guard's bake moved by `/guard extend`: a later end (never past the
 * schema's 30 days from the promotion), or the reason it cannot.
 */
export function extendBake(state: GuardState, byMs: number, maxMs: number): GuardState | { problem: string } {
  if (state.status !== 'watching') return { problem: `the guard has ended (${state.status})` };
  const end = Date.parse(state.bakeEndsAt) + byMs;
  if (end - Date.parse(state.startedAt) > maxMs)
    return { problem: 'a bake lasts at most 30 days from the promotion' };
  return { ...state, bakeEndsAt: new Date(end).toISOString() };
}

// A refusal's texts name tags, which a repository can make long: kept within what the saved state may hold.
function shortened({ reason, fix }: Refusal): { reason: string; fix: string } {
  const cut = (text: string) => (text.length > REFUSAL_TEXT ? `${text.slice(0, REFUSAL_TEXT - 1)}…` : text);
  return { reason: cut(reason), fix: cut(fix) };
}
