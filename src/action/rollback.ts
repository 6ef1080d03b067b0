import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import { CommandError } from '../core/repository.js';
import { prepareRollback } from '../core/rollback/prepare.js';
import { planRevertPullRequest } from '../core/rollback/revert-pr.js';
import { createOctokit } from '../io/github/octokit.js';
import { openRevertPullRequest, type ReleasedBlob } from '../io/github/revert.js';
import { GitRepository } from '../io/git-repository.js';
import { readSettings } from '../io/settings.js';
import { OUTPUTS, type ActionInputs } from './inputs.js';
import { stateKey } from './release.js';

/**
 * `command: rollback` (e.g. on workflow_dispatch): opens the pull request that
 * restores a model's files from an earlier release, or points to the one that
 * is already open. Its merge re-deploys that release through `command: release`.
 */
export async function runRollback(inputs: ActionInputs): Promise<void> {
  if (!inputs.model) throw new CommandError('input "model" is empty', 'Name the model to roll back.');
  if (!inputs.token)
    throw new CommandError(
      'input "github-token" is empty',
      'Pass a token with contents: write and pull-requests: write.',
    );
  const root = resolve(inputs.root);
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  const plan = await prepareRollback(repo, {
    manifests: settings.manifests,
    stages: settings.stages,
    model: inputs.model,
    to: inputs.to || undefined,
  });
  if (!plan.changes.length) {
    core.info(`${plan.model} already has the files of ${plan.tag}: nothing to roll back`);
    return;
  }
  // Paths in git are relative to the repository top; --root may be a folder inside it.
  const prefix = await repo.topPrefix();
  const source = repo.at(plan.tag);
  const blobs = new Map<string, ReleasedBlob>();
  for (const change of plan.changes) {
    if (change.action !== 'restore') continue;
    const blob = await source.blob(change.path);
    if (!blob) throw new CommandError(`${change.path} is not in ${plan.tag}`);
    blobs.set(`${prefix}${change.path}`, {
      path: `${prefix}${change.path}`,
      sha: blob.sha,
      mode: blob.mode === '100755' ? '100755' : '100644',
    });
  }
  const changes = plan.changes.map((c) => ({ ...c, path: `${prefix}${c.path}` }));
  const kept = plan.kept.map((k) => ({ ...k, path: `${prefix}${k.path}` }));
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const key = stateKey();
  const text = planRevertPullRequest({
    ...plan,
    changes,
    kept,
    requestedBy: context.actor,
    link: runUrl,
    // Sealed when the workflow has the key, so the release believes it even after a hand edit of the body.
    ...(key ? { requestSeal: { key, repository: `${context.repo.owner}/${context.repo.repo}` } } : {}),
  });
  const pull = await openRevertPullRequest(
    createOctokit(inputs.token, core.warning),
    context.repo,
    text,
    changes,
    blobs,
  );
  core.info(`${pull.created ? 'opened' : 'already open'}: ${pull.url}`);
  core.setOutput(OUTPUTS.pullRequest, pull.url);
  await core.summary
    .addHeading(`Roll back ${plan.model} to ${plan.to}`, 2)
    .addRaw(`${pull.created ? 'Opened' : 'Already open'}: ${pull.url}\n`)
    .write();
}
