import type { CanaryState, Steer } from '../core/canary/state.js';
import { highestCounter, planStageAssignment } from '../core/registry/stage-assignment.js';
import { assignmentTag, nameInTag, parseRegistryTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { deployStep } from './deploy.js';

type Repo = { owner: string; repo: string };

/**
 * Promotes a canary: the GTO stage tag `<model>#<stage>#N` on the release
 * commit (planned by planStageAssignment, like every stage tag), then the
 * production deployment. Safe to repeat: a promotion tag already on the
 * commit and its deployment are found, not made again. With `steer` (a
 * person's `/promote`), the tag records who asked with the same
 * `Requested-by:` line a release writes, and the deployment says so too.
 */
export async function promoteCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  steer?: Steer,
): Promise<{ tag: string; deploymentId: number }> {
  const api = githubReleaseApi(octokit, repo);
  const stage = state.productionStage ?? 'production';
  // Every tag in the model's name: the counter goes past numbered registrations and deprecations too.
  const { data: refs } = await octokit.rest.git.listMatchingRefs({
    ...repo,
    ref: `tags/${nameInTag(state.model)}`,
  });
  const names = refs.map((r) => r.ref.replace(/^refs\/tags\//, ''));
  // Already promoted by a run that did not get to save: one of the latest production tags is on this commit.
  const recent = names
    .flatMap((name) => {
      const t = parseRegistryTag(name);
      return t?.name === state.model && t.action === 'assign' && t.stage === stage && t.number !== undefined
        ? [t.number]
        : [];
    })
    .sort((x, y) => y - x)
    .slice(0, 3);
  let tag: string | undefined;
  for (const number of recent) {
    const name = assignmentTag(state.model, stage, number);
    if ((await api.tagCommit(name)) === state.sha) tag = name;
  }
  if (!tag) {
    const planned = planStageAssignment({
      action: 'assign',
      model: state.model,
      version: state.version,
      stage,
      commit: state.sha,
      lastNumber: highestCounter(state.model, names),
      reason: steer
        ? 'Promoted with /promote before every canary step had passed.'
        : `Canary passed every step (pull request #${state.pr}).`,
      requestedBy: steer ? { by: steer.by, link: steer.link } : undefined,
      trigger: state.trigger,
    });
    tag = planned.tag;
    await api.createTag(planned.tag, planned.commit, planned.message);
  }
  const deploymentId = await deployStep(octokit, repo, state, {
    environment: state.productionEnvironment,
    weight: 100,
    description: `Promote ${state.model} ${state.version}${steer ? ` (asked by @${steer.by})` : ''}`,
    production: true,
    steer,
  });
  return { tag, deploymentId };
}
