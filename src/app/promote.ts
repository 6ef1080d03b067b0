import type { CanaryState, Steer } from '../core/canary/state.js';
import { assignmentTag, parseRegistryTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { deployStep } from './deploy.js';

type Repo = { owner: string; repo: string };

/**
 * Promotes a canary: the GTO stage tag `<model>#<stage>#N` on the release
 * commit, then the production deployment. Safe to repeat: a promotion tag
 * already on the commit and its deployment are found, not made again. With
 * `steer`, the tag message and the deployment record who asked and where.
 */
export async function promoteCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  steer?: Steer,
): Promise<{ tag: string; deploymentId: number }> {
  const api = githubReleaseApi(octokit, repo);
  const stage = state.productionStage ?? 'production';
  const { data: refs } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: `tags/${state.model}#` });
  const numbered = refs.flatMap((r) => {
    const t = parseRegistryTag(r.ref.replace(/^refs\/tags\//, ''));
    return t &&
      t.name === state.model &&
      (t.action === 'assign' || t.action === 'unassign') &&
      t.number !== undefined
      ? [{ action: t.action, stage: t.stage, number: t.number }]
      : [];
  });
  // Already promoted by a run that did not get to save: one of the latest production tags is on this commit.
  const recent = numbered
    .filter((t) => t.action === 'assign' && t.stage === stage)
    .sort((x, y) => y.number - x.number)
    .slice(0, 3);
  let tag: string | undefined;
  for (const t of recent) {
    const name = assignmentTag(state.model, stage, t.number);
    if ((await api.tagCommit(name)) === state.sha) tag = name;
  }
  if (!tag) {
    tag = assignmentTag(state.model, stage, Math.max(0, ...numbered.map((t) => t.number)) + 1);
    const why = steer
      ? `Promoted by @${steer.by} with /promote before every canary step had passed: ${steer.link}`
      : `Canary passed every step (pull request #${state.pr}).`;
    await api.createTag(
      tag,
      state.sha,
      `Promote ${state.model} ${state.version} to ${stage}\n\n${why}\nTrigger: ${state.trigger}`,
    );
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
