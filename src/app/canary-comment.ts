import { judgeAnalysis, type AnalysisState } from '../core/canary/judge.js';
import { decideCanary } from '../core/canary/decide.js';
import { encodeState, decodeState, type CanaryState, type Steer } from '../core/canary/state.js';
import { canaryMarkdown } from '../core/report/canary.js';
import { stickyMarker } from '../core/report/sticky.js';
import type { CanaryPolicy } from '../core/canary/judge.js';
import { findStickyComment, upsertStickyComment } from '../io/github/comments.js';
import type { Octokit } from '../io/github/octokit.js';

/** The canary comment of a model on a pull request: its state, if any. */
export async function readCanaryState(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  pr: number,
  model: string,
): Promise<CanaryState | undefined> {
  return (await readCanaryComment(octokit, repo, pr, model))?.state;
}

/** The canary comment of a model on a pull request: its state and its address. */
export async function readCanaryComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  pr: number,
  model: string,
): Promise<{ state: CanaryState; url: string } | undefined> {
  const sticky = await findStickyComment(octokit, repo, pr, stickyMarker('canary', model));
  const state = sticky?.body ? decodeState(sticky.body) : undefined;
  return state && sticky ? { state, url: sticky.html_url } : undefined;
}

/** The headline of the report: the judged analysis, or what a person or the last step made of it. */
function reportState(state: CanaryState, analysis: AnalysisState): AnalysisState {
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

/** Writes the state and the report it implies into the one canary comment of the model. */
export async function writeCanaryState(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  state: CanaryState,
  policy: CanaryPolicy,
): Promise<string> {
  const analysis = judgeAnalysis(state.intervals, policy, state.intervals.length || 1);
  const report = canaryMarkdown({
    model: state.model,
    canaryVersion: state.version,
    baselineVersion: state.baselineVersion,
    weight: state.weight,
    intervals: state.intervals,
    state: reportState(state, analysis),
    ...(state.status === 'running' && !state.awaiting && !state.paused && state.intervals.length
      ? { decision: decideCanary(policy, state.weight, analysis) }
      : {}),
  });
  const extra = state.revertUrl ? `\n\nRevert pull request: ${state.revertUrl}` : '';
  const comment = await upsertStickyComment(
    octokit,
    repo,
    state.pr,
    stickyMarker('canary', state.model),
    `${encodeState(state)}\n${report}${extra}`,
  );
  return comment.url;
}
