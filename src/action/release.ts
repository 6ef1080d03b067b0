import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import { findReleaseCandidates } from '../core/release/candidates.js';
import { planFirstDeployment, planRelease, type RemoteState } from '../core/release/plan.js';
import { planText } from '../core/report/registry.js';
import { CommandError } from '../core/repository.js';
import { releaseTag } from '../core/registry/tag-names.js';
import { explicitSealKey, type SealKey } from '../core/integrity/seal.js';
import { applyRelease } from '../io/github/apply-release.js';
import { tokenIdentity } from '../io/github/identity.js';
import { createOctokit, type Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { assertPlanFits } from '../io/github/release-limits.js';
import { payloadDefaultBranch, releaseTrigger, type WorkflowEvent } from '../io/github/release-trigger.js';
import { GitRepository } from '../io/git-repository.js';
import { readSettings } from '../io/settings.js';
import { inertText } from '../core/report/escape.js';
import { releaseMirrors, mirrorTarget } from '../core/tracking/mirror.js';
import { mirrorMarkdown, mirrorText, mirrorWarnings } from '../core/tracking/mirror-report.js';
import { productionTraining } from '../core/tracking/production.js';
import { checkTraining, type TrainingSection } from '../core/tracking/training-check.js';
import { readTrackingSettings } from '../io/tracking-settings.js';
import { mirrorStageAssignments } from '../io/tracking/apply-mirror.js';
import { runReaderFromEnvironment } from '../io/tracking/run-reader.js';
import { annotate } from './annotate.js';
import { OUTPUTS, type ActionInputs } from './inputs.js';

/**
 * `command: release`, on a push to the default branch (or a manual run
 * there; any other run is refused before it reads or writes anything,
 * {@link releaseTrigger}): tags every new version on the pushed commit,
 * publishes its GitHub Release, assigns it to the first stage and creates
 * the Deployment the deployer acts on; with
 * `tracking.registry.mirror`, the MLflow Model Registry then shows the
 * assignment too. Re-running the same workflow run creates nothing twice and
 * finishes what a failed run left.
 */
export async function runRelease(inputs: ActionInputs, event: WorkflowEvent = context): Promise<void> {
  const root = resolve(inputs.root);
  // Before anything is read or written: which commit this run may release at all.
  let octokit: Octokit | undefined;
  const github = () => (octokit ??= createOctokit(requireToken(inputs), core.warning));
  const defaultBranch =
    payloadDefaultBranch(event) ?? (await githubReleaseApi(github(), event.repo).defaultBranch());
  const trigger = releaseTrigger(event, defaultBranch);
  const settings = await readSettings(root);
  // Read before anything is pushed: a broken tracking section fails the step before any tag, not the mirror after them.
  const tracking = await readTrackingSettings(root);
  const repo = new GitRepository(root);
  const after = trigger.commit;

  const found = await findReleaseCandidates(repo, {
    manifests: settings.manifests,
    ...(trigger.before ? { before: trigger.before } : {}),
    after,
    progress: core.debug,
  });
  for (const [model, registry] of found.registry)
    for (const ignored of registry.ignored)
      core.warning(`ignored the tag ${inertText(ignored.tag)} of ${model}: ${ignored.reason}`);
  if (found.problems.length || found.refused.length) {
    annotate(found.problems, root);
    for (const refused of found.refused)
      core.error(`${refused.model} ${refused.version} was not released: ${refused.reason}. ${refused.fix}`, {
        title: 'modelgate release',
        file: refused.file,
      });
    core.setFailed(
      `nothing was released: ${found.problems.length + found.refused.length} problem(s) in the pushed manifests; see the annotations`,
    );
    return;
  }
  if (!found.candidates.length) {
    core.info('Nothing to release: no manifest changed its version.');
    core.setOutput(OUTPUTS.releasedJson, '[]');
    core.setOutput(OUTPUTS.released, '[]');
    return;
  }
  const key = stateKey();
  const api = githubReleaseApi(github(), event.repo, {
    self: await tokenIdentity(github(), core.warning),
    ...(key ? { key } : {}),
    repository: `${event.repo.owner}/${event.repo.repo}`,
  });
  // The ref said the default branch; GitHub says whether the commit is really on it (a run started
  // for the branch may name any commit), before the first write.
  if (!(await api.onBranch(found.after, trigger.branch)))
    throw new CommandError(
      `release refused: ${found.after.slice(0, 12)} is not on the default branch ${trigger.branch}; only reviewed commits on it are tagged and deployed`,
      `Merge the change into ${trigger.branch} through a pull request; its push releases it.`,
    );
  const merged = await api.pullRequestFor(found.after);
  if (merged?.ignoredRequest)
    core.warning(
      `pull request #${merged.number}: ${merged.ignoredRequest}. The release does not record who asked for it.`,
    );
  const releaseContext = {
    trigger: found.after,
    actor: event.payload.pusher?.name ?? event.actor,
    pullRequest: merged,
    stages: settings.stages,
    environments: settings.environments,
    sharedRepository: (await repo.findManifestsAt(found.after, settings.manifests)).length > 1,
  };
  const remote: RemoteState = { registry: found.registry, releases: new Set(), deployments: [] };
  for (const candidate of found.candidates) {
    const tag = releaseTag(candidate.facts.name, candidate.facts.manifest.version);
    if (candidate.kind === 'new' && (await api.releaseExists(tag))) (remote.releases as Set<string>).add(tag);
    // Where the release's first deployment goes (a blue-green preview has its own environment).
    const { environment } = planFirstDeployment(candidate.facts, candidate.kind, releaseContext);
    (remote.deployments as { environment: string; payload: unknown }[]).push(
      ...(await api.listDeployments(environment, tag)),
    );
  }
  // Each version's training run, read and compared with production's, for its release notes.
  const readRun = runReaderFromEnvironment(process.env);
  const candidates = [];
  for (const candidate of found.candidates) {
    let training: TrainingSection | undefined;
    if (candidate.kind === 'new' && candidate.facts.manifest.training?.run !== undefined) {
      try {
        const stage = settings.stages.at(-1)!;
        const production = await productionTraining(found.byName, candidate.facts, found.registry, stage);
        training = (await checkTraining(candidate.facts, readRun, production)).section;
      } catch (error) {
        // The notes' training section never blocks the release: its tags and deployment go ahead without it.
        core.warning(
          `the training run of ${inertText(candidate.facts.name)} was not read for the release notes: ${inertText((error as Error).message)}`,
        );
      }
    }
    candidates.push({ ...candidate, ...(training ? { training } : {}) });
  }
  const plan = planRelease(candidates, releaseContext, remote);
  const mirrors = releaseMirrors(plan, found.candidates);
  // A step GitHub would refuse fails the dry run too, the way the real run would fail before its first write.
  assertPlanFits(plan);

  if (inputs.dryRun) {
    const wouldMirror = mirrors.flatMap((m) => {
      const target = mirrorTarget(m, tracking.registry);
      if (!target) return [];
      return target.ok
        ? [
            `would mirror ${m.model} ${m.version} -> ${m.stage} to MLflow model "${target.registeredModel}" (@${target.alias}, the version from run ${target.runId})`,
          ]
        : [`would not mirror ${m.model} ${m.version} -> ${m.stage}: ${target.problem}`];
    });
    const text = [planText(plan, 'dry-run'), ...wouldMirror.map(inertText)].join('\n');
    core.info(text);
    await core.summary.addHeading('modelgate release (dry run)', 2).addCodeBlock(text).write();
    return;
  }
  const applied = await applyRelease(plan, api, core.info);
  await core.summary.addHeading('modelgate release', 2).addCodeBlock(planText(plan, 'github')).write();
  // The tags are pushed: from here on nothing fails the release; what the registry lacks is a warning with its fix.
  const mirrored = await mirrorStageAssignments(mirrors, tracking.registry, process.env);
  for (const line of mirrorText(mirrored)) core.info(line);
  for (const warning of mirrorWarnings(mirrored))
    core.warning(warning, { title: 'modelgate registry mirror' });
  if (mirrored.length) await core.summary.addRaw(mirrorMarkdown(mirrored), true).write();
  const released = applied
    .filter((a) => a.step.kind === 'deployment')
    .map((a) => {
      const step = a.step as Extract<typeof a.step, { kind: 'deployment' }>;
      return {
        model: step.model,
        version: step.payload.version,
        tag: step.ref,
        environment: step.environment,
        deployment: a.deploymentId ?? null,
      };
    });
  core.setOutput(OUTPUTS.releasedJson, JSON.stringify(released));
  core.setOutput(OUTPUTS.released, JSON.stringify(released));
}

/** The github-token input, needed from the first call to GitHub on. */
function requireToken(inputs: ActionInputs): string {
  if (!inputs.token)
    throw new CommandError(
      'input "github-token" is empty',
      'Pass a token with contents: write and deployments: write.',
    );
  return inputs.token;
}

/**
 * MODELGATE_STATE_KEY from the step's environment: the key the app seals its
 * rollback request lines with. Set, it is masked in the log; too short, the
 * step stops.
 */
export function stateKey(): SealKey | undefined {
  const value = process.env.MODELGATE_STATE_KEY;
  if (value) core.setSecret(value);
  const key = explicitSealKey(value);
  if (key && 'problem' in key)
    throw new CommandError(
      key.problem,
      'Set MODELGATE_STATE_KEY to the same secret as the app, or unset it.',
    );
  return key;
}
