import { nextAbJudgment, planAbStep, type AbData } from '../ab/step.js';
import type { AbPolicy } from '../ab/policy.js';
import { renderAbSection } from '../ab/report.js';
import { nextBlueGreenJudgment, planBlueGreenStep, type BlueGreenData } from '../blue-green/step.js';
import type { BlueGreenPolicy } from '../blue-green/policy.js';
import { renderBlueGreenSection } from '../blue-green/report.js';
import type { CanaryPolicy, MetricData } from '../canary/judge.js';
import type { CanaryState } from '../canary/state.js';
import { nextJudgment, planCanaryStep, type CanaryStep, type JudgmentWindow } from '../canary/step.js';
import type { Manifest } from '../manifest/schema.js';
import { inShadowPhase, nextShadowJudgment, planShadowStep, type ShadowData } from '../shadow/step.js';
import type { ShadowPolicy } from '../shadow/policy.js';
import { renderShadowSection } from '../shadow/report.js';

/** What of the release's manifest a rollout is judged by. */
export type RolloutManifest = Pick<Manifest, 'canary' | 'rollout' | 'eval'>;

/**
 * Which planner judges a rollout now, with its policy: the strategy's, or
 * the canary's (a canary, and a shadow that handed over to its steps).
 */
export type RolloutPlanner =
  | { kind: 'canary'; policy: CanaryPolicy }
  | { kind: 'shadow'; policy: ShadowPolicy; canary: CanaryPolicy }
  | { kind: 'ab'; policy: AbPolicy; canary: CanaryPolicy | undefined }
  /** `suites`: the eval suites the pre-switch analysis runs against the preview. */
  | { kind: 'blue_green'; policy: BlueGreenPolicy; canary: CanaryPolicy; suites: string[] };

/** Why a rollout cannot be judged with the manifest of its release. */
export interface PlannerProblem {
  problem: string;
}

/**
 * The planner of a rollout's state under its release's manifest. The state
 * says which strategy it was started with; the manifest must say the same
 * (it is the same release: anything else is a state modelgate did not write)
 * and hold what that strategy judges with. Never a guess: a mismatch is a
 * problem, and the rollout is not judged.
 */
export function plannerOf(
  state: CanaryState,
  manifest: RolloutManifest | undefined,
): RolloutPlanner | PlannerProblem {
  const strategy = state.strategy ?? 'canary';
  const declared = manifest?.rollout?.strategy ?? 'canary';
  if (declared !== strategy)
    return {
      problem: `the state is a ${strategy} rollout, but the manifest at ${state.ref} says rollout.strategy: ${declared}`,
    };
  const canary = manifest?.canary;
  const withMetrics = canary?.metrics?.length ? canary : undefined;
  switch (state.strategy) {
    case undefined:
      return withMetrics
        ? { kind: 'canary', policy: withMetrics }
        : { problem: 'the manifest has no canary.metrics' };
    case 'shadow':
      if (!withMetrics) return { problem: 'the manifest has no canary.metrics' };
      return inShadowPhase(state)
        ? { kind: 'shadow', policy: manifest?.rollout?.shadow ?? {}, canary: withMetrics }
        : { kind: 'canary', policy: withMetrics };
    case 'ab':
      return { kind: 'ab', policy: manifest?.rollout?.ab ?? ({} as AbPolicy), canary: withMetrics };
    case 'blue_green': {
      if (!withMetrics) return { problem: 'the manifest has no canary.metrics' };
      const policy = manifest?.rollout?.blue_green ?? {};
      const suites = policy.pre_switch?.suites ?? (manifest?.eval?.suites ?? []).map((s) => s.name);
      return { kind: 'blue_green', policy, canary: withMetrics, suites };
    }
  }
}

/** The data one judgment reads, by planner. */
export type RolloutData =
  | { kind: 'canary'; metrics: MetricData[] }
  | { kind: 'shadow'; data: ShadowData }
  | { kind: 'ab'; data: AbData }
  | { kind: 'blue_green'; data: BlueGreenData };

/** The next window the rollout's planner judges, or undefined when nothing is to be judged now. */
export function nextRolloutJudgment(state: CanaryState, planner: RolloutPlanner): JudgmentWindow | undefined {
  switch (planner.kind) {
    case 'canary':
      return nextJudgment(state, planner.policy);
    case 'shadow':
      return nextShadowJudgment(state, planner.policy);
    case 'ab':
      return nextAbJudgment(state, planner.policy);
    case 'blue_green':
      return nextBlueGreenJudgment(state, planner.policy);
  }
}

/**
 * One judgment of a rollout by its planner: the new state, the decision and
 * the effects. Pure. Data read for another planner (the state moved on
 * between reading and planning) plans nothing.
 */
export function planRolloutStep(
  state: CanaryState,
  planner: RolloutPlanner,
  data: RolloutData,
  now: Date,
  options: { autoMerge: boolean },
): CanaryStep {
  if (planner.kind !== data.kind) return { kind: 'not-due' };
  switch (planner.kind) {
    case 'canary':
      return planCanaryStep(state, planner.policy, (data as { metrics: MetricData[] }).metrics, now, options);
    case 'shadow':
      return planShadowStep(
        state,
        planner.policy,
        planner.canary,
        (data as { data: ShadowData }).data,
        now,
        options,
      );
    case 'ab':
      return planAbStep(state, planner.policy, planner.canary, (data as { data: AbData }).data, now, options);
    case 'blue_green':
      return planBlueGreenStep(
        state,
        planner.policy,
        planner.canary,
        (data as { data: BlueGreenData }).data,
        now,
        options,
      );
  }
}

/** The strategy's part of the rollout report (markdown), or '' for a canary. */
export function strategySection(state: CanaryState, manifest: RolloutManifest | undefined): string {
  const rollout = manifest?.rollout;
  switch (state.strategy) {
    case 'shadow':
      return renderShadowSection(state, rollout?.shadow ?? {});
    case 'ab':
      return rollout?.ab ? renderAbSection(state, rollout.ab) : '';
    case 'blue_green':
      return renderBlueGreenSection(state, rollout?.blue_green ?? {});
    case undefined:
      return '';
  }
}
