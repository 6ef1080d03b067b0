import type { CanaryReport } from '../report/canary.js';
import { decideCanary } from './decide.js';
import { judgeAnalysis, type AnalysisState, type CanaryPolicy } from './judge.js';
import type { CanaryState, Steer } from './state.js';

/** The headline of the report: the judged analysis, or what a person or the last step made of it. */
function reportHeadline(state: CanaryState, analysis: AnalysisState): AnalysisState {
  const by = (steer: Steer | undefined) => (steer ? ` by @${steer.by}` : '');
  switch (state.status) {
    case 'promoted':
      return {
        ...analysis,
        status: 'passed',
        reason: state.endedBy
          ? `promoted to production${by(state.endedBy)} with /promote, before every step had passed`
          : 'every step passed: promoted to production',
      };
    case 'failed':
      return { ...analysis, status: 'failed' };
    case 'aborted':
      return { ...analysis, status: 'failed', reason: `aborted${by(state.endedBy)}` };
    case 'running':
      return {
        ...analysis,
        status: 'running',
        reason: state.paused
          ? `paused${by(state.paused)}: no interval is judged until /canary resume`
          : state.awaiting
            ? 'waiting for the deployer to shift to the next step'
            : analysis.reason,
      };
  }
}

/**
 * What the canary comment shows for a state: the intervals, the headline,
 * and (while it runs, is not paused and is not waiting for the deployer) the
 * decision the last judgment leads to.
 */
export function canaryReportOf(state: CanaryState, policy: CanaryPolicy): CanaryReport {
  const analysis = judgeAnalysis(state.intervals, policy, state.intervals.length || 1);
  return {
    model: state.model,
    canaryVersion: state.version,
    ...(state.baselineVersion ? { baselineVersion: state.baselineVersion } : {}),
    weight: state.weight,
    intervals: state.intervals,
    state: reportHeadline(state, analysis),
    ...(state.status === 'running' && !state.awaiting && !state.paused && state.intervals.length
      ? { decision: decideCanary(policy, state.weight, analysis) }
      : {}),
  };
}
