import { inertJson } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { prepareRollback, type PreparedRollback } from '../../core/rollback/prepare.js';
import type { ArtifactSource } from '../../core/source.js';
import { ContainedRoot, ContainmentError } from '../../io/contained-path.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { openRegistry } from '../registry-context.js';

const MAX_RESTORED_BYTES = 2 * 1024 * 1024 * 1024;

/** `modelgate rollback`: restores an earlier release's manifest and artifacts in the working tree. */
export async function runRollback(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json'] as const);
  const [name = ''] = args.positionals;
  const context = await openRegistry(args, false);
  const plan = await prepareRollback(context.repo, {
    manifests: context.settings.manifests,
    stages: context.settings.stages,
    model: name,
    to: stringOf(args, 'to'),
  });
  const { manifestFile: _manifestFile, ...shown } = plan;
  if (!args.values.plan)
    await applyRollback(new ContainedRoot(context.root), context.repo.at(plan.tag), plan);
  if (format === 'json') {
    out.stdout(`${inertJson({ ...shown, applied: !args.values.plan })}\n`);
    return 0;
  }
  const lines = [
    `${name}: ${plan.from} -> ${plan.to} (${plan.reason}, tag ${plan.tag})`,
    ...plan.changes.map((c) => `  ${c.action === 'restore' ? 'restore' : 'remove '} ${c.path}`),
    ...plan.kept.map((k) => `  keep    ${k.path} (kept: used by ${k.usedBy.join(', ')})`),
  ];
  if (!plan.changes.length && !plan.kept.length) lines.push('  nothing differs');
  lines.push(
    args.values.plan
      ? `would change ${plan.changes.length} file(s); run without --plan to restore them`
      : `restored ${plan.changes.length} file(s): commit them and open a pull request (git switch -c rollback/${name.replaceAll('/', '-')}-${plan.to})`,
  );
  out.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * Restores the planned files in the working tree. Every path is checked
 * (containment: no write through a committed symlink, file or folder) and
 * every restored file read before the first one changes, so a refusal leaves
 * the tree as it was; each file is then replaced atomically.
 */
async function applyRollback(
  tree: ContainedRoot,
  then: ArtifactSource,
  plan: PreparedRollback,
): Promise<void> {
  const contents = new Map<string, Uint8Array>();
  try {
    for (const change of plan.changes) {
      await tree.checkWritable(change.path);
      if (change.action === 'remove') continue;
      const read = await then.read(change.path, MAX_RESTORED_BYTES);
      if (!read.ok)
        throw new CommandError(`${change.path} cannot be read at ${plan.tag}: ${read.problem.detail}`);
      contents.set(change.path, read.value);
    }
    for (const change of plan.changes) {
      const bytes = contents.get(change.path);
      if (bytes) await tree.write(change.path, bytes);
      else await tree.remove(change.path);
    }
  } catch (error) {
    if (error instanceof ContainmentError)
      throw new CommandError(
        `cannot restore ${error.path}: it ${error.reason}`,
        'Replace the symlink with a regular file or folder (git rm it), then run rollback again.',
      );
    throw error;
  }
}
