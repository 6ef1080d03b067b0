import type { Steer } from '../../core/canary/state.js';
import { inert } from '../../core/chatops/reply.js';
import { inertCode } from '../../core/report/escape.js';
import { parseRegistryTag } from '../../core/registry/tag-names.js';
import { rollbackTarget } from '../../core/rollback/plan.js';
import type { Octokit } from '../../io/github/octokit.js';
import type { Settings } from '../../io/settings.js';
import { findCanary } from '../canaries.js';
import { openRollback, rollbackFiles, type RollbackProblem } from '../revert.js';
import { abortCanary, saveCanary } from './canary.js';
import { findManifest, modelRegistry, type BranchView, type TagRef } from './registry.js';
import { exclusively, type AppTrust } from '../trust.js';

type Repo = { owner: string; repo: string };

/**
 * `/rollback [model] [to <version>] [--plan]`: works out the target (the
 * version asked for, or the last good release before the one on the default
 * branch), then either describes the change or aborts a running canary of the
 * model and opens (or finds) the revert pull request.
 */
export async function rollbackCommand(
  octokit: Octokit,
  repo: Repo,
  request: {
    model: string;
    to?: string;
    plan: boolean;
    settings: Settings;
    /** The default branch (shared with the choice of model, so nothing is read twice). */
    branch: () => Promise<BranchView>;
    refs: readonly TagRef[];
    steer: Steer;
  },
  trust: AppTrust,
): Promise<string> {
  const { model, settings, steer } = request;
  const view = await request.branch();
  const defaultBranch = view.branch;
  const head = view.head;
  const found = await findManifest(view, model);
  if (!found)
    return `there is no manifest of **${model}** on ${inert(defaultBranch)}: a removed model is restored with git, not a rollback.`;
  const registry = await modelRegistry(octokit, repo, request.refs, model);
  if (!registry) return `**${model}** has no released version.`;
  const target = rollbackTarget(registry, found.manifest.version, settings.stages, request.to);
  if (!target.ok) return nothingDone({ problem: target.reason, fix: target.fix, command: target.command });
  const to = target.version.version;
  const files = await rollbackFiles(octokit, repo, {
    model,
    manifest: found.path,
    tag: target.version.tag,
    // A release tag's manifest must be of its version too, numbered (`name@v1.2.3#N`) or not; a version
    // GTO knows only from a stage tag is a commit.
    ...(parseRegistryTag(target.version.tag)?.action === 'register' ? { version: to } : {}),
    head,
    globs: settings.manifests,
  });
  if ('problem' in files) return nothingDone(files);
  if (!files.changes.length)
    return `nothing to roll back: the files of **${model}** on ${inert(defaultBranch)} already match \`${target.version.tag}\`.`;
  const table = [
    '| file | change |',
    '|---|---|',
    ...files.changes.map(
      (c) =>
        `| \`${c.path.replaceAll('`', '')}\` | ${c.action === 'restore' ? `restored from \`${target.version.tag}\`` : 'removed'} |`,
    ),
    ...files.kept.map(
      (k) =>
        `| \`${k.path.replaceAll('`', '')}\` | kept: used by ${k.usedBy.map((m) => inert(m, 200)).join(', ')} |`,
    ),
  ].join('\n');
  const what = `**${model}** from ${found.manifest.version} to **${to}** (${inert(target.reason, 200)})`;
  if (request.plan)
    return `\`--plan\`: a rollback would take ${what} and change:\n\n${table}\n\nNothing was done.`;

  // A rollback supersedes a canary of the model that is still running (aborted while no judgment of it runs).
  const running = await exclusively(trust, repo, model, async () => {
    const canary = await findCanary(octokit, repo, model, trust, new Date(steer.at));
    const live = canary && 'state' in canary && canary.state.status === 'running' ? canary.state : undefined;
    if (live) {
      await abortCanary(octokit, repo, live, steer, trust);
      await saveCanary(octokit, repo, live, trust); // saved before the pull request: a failure there must not undo the abort
    }
    return live;
  });
  const pull = await openRollback(
    octokit,
    repo,
    {
      model,
      manifest: found.path,
      from: found.manifest.version,
      to,
      reason: target.reason,
      requestedBy: steer.by,
      link: steer.link,
      autoMerge: found.manifest.rollback?.mode === 'auto_merge',
      requestSeal: { key: trust.key, repository: `${repo.owner}/${repo.repo}` },
    },
    files,
  );
  if ('problem' in pull) return nothingDone(pull);
  if (running) {
    running.revertUrl = pull.url;
    await exclusively(trust, repo, model, () => saveCanary(octokit, repo, running, trust));
  }
  const aborted = running ? ` The canary of ${running.version} was aborted first.` : '';
  return pull.created
    ? `opened ${pull.url} to roll back ${what}.${aborted}\n\n${table}`
    : `a rollback of **${model}** to ${to} is already open: ${pull.url}.${aborted}`;
}

/** The reply to a rollback that was refused: the problem and its fix (a shared file's message names files and models, so it may be long). */
function nothingDone(refused: RollbackProblem): string {
  const { fix, command } = refused;
  // A command is shown whole, as code, to be copied as it is (inert text breaks every @ and #).
  const words = command && fix?.endsWith(command) ? fix.slice(0, -command.length) : fix;
  const how = words ? ` ${inert(words, 300)}${words === fix ? '' : inertCode(command!)}` : '';
  return `nothing was done: ${inert(refused.problem, 1000)}.${how}`;
}
