import { judgeAnalysis } from '../core/canary/judge.js';
import { decideCanary } from '../core/canary/decide.js';
import { encodeState, decodeState, type CanaryState } from '../core/canary/state.js';
import { canaryMarkdown } from '../core/report/canary.js';
import { findSticky, stickyMarker } from '../core/report/sticky.js';
import type { CanaryPolicy } from '../core/canary/judge.js';
import { upsertStickyComment } from '../io/github/comments.js';
import type { Octokit } from '../io/github/octokit.js';

/** The canary comment of a model on a pull request: its state, if any. */
export async function readCanaryState(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  pr: number,
  model: string,
): Promise<CanaryState | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: pr,
    per_page: 100,
  });
  const sticky = findSticky(comments, stickyMarker('canary', model));
  return sticky?.body ? decodeState(sticky.body) : undefined;
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
    state:
      state.status === 'promoted'
        ? { ...analysis, status: 'passed', reason: 'every step passed: promoted to production' }
        : state.status === 'failed'
          ? { ...analysis, status: 'failed' }
          : {
              ...analysis,
              status: 'running',
              reason: state.awaiting ? `waiting for the deployer to shift to the next step` : analysis.reason,
            },
    ...(state.status === 'running' && !state.awaiting && state.intervals.length
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
