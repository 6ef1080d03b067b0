import type { CanaryState } from '../core/canary/state.js';
import type { Octokit } from '../io/github/octokit.js';

/** Completes the check run that mirrors a canary on its release commit. */
export async function completeCheckRun(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  state: CanaryState,
  conclusion: 'success' | 'failure' | 'cancelled',
  title: string,
  summary: string,
): Promise<void> {
  if (!state.checkRunId) return;
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: state.checkRunId,
    status: 'completed',
    conclusion,
    output: { title: title.slice(0, 255), summary },
  });
}
