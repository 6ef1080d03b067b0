import type { AnalysisState, CanaryPolicy } from './judge.js';

/** What the canary should do next, as the app will carry it out. */
export type CanaryDecision =
  | { action: 'wait'; reason: string }
  | { action: 'advance'; weight: number; reason: string }
  | { action: 'promote'; reason: string }
  | { action: 'rollback'; reason: string }
  /** Blue-green: the preview passed; all traffic moves to it at once. */
  | { action: 'switch'; reason: string };

/** Traffic steps when a manifest sets none (DESIGN.md's example). */
export const DEFAULT_STEPS = [5, 25, 50, 100] as const;

/**
 * The next move after a step's analysis: keep watching while it runs, roll
 * back when it failed, move to the next traffic weight when it passed, and
 * promote after the last step.
 */
export function decideCanary(
  policy: Pick<CanaryPolicy, 'steps'>,
  weight: number,
  state: AnalysisState,
): CanaryDecision {
  if (state.status === 'failed') return { action: 'rollback', reason: state.reason };
  if (state.status === 'running') return { action: 'wait', reason: state.reason };
  const steps = policy.steps?.length ? policy.steps : DEFAULT_STEPS;
  const next = steps.find((step) => step > weight);
  if (next === undefined) return { action: 'promote', reason: `the last step (${weight}%) passed` };
  return { action: 'advance', weight: next, reason: `the ${weight}% step passed` };
}
