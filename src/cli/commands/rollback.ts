import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeUtf8 } from '../../core/bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import { loadModel } from '../../core/model/load-model.js';
import { CommandError } from '../../core/repository.js';
import { fileDigests, rollbackChanges, rollbackTarget } from '../../core/rollback/plan.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, stringOf, type CliCommand } from '../command.js';
import { modelOf, openRegistry } from '../registry-context.js';

const MAX_RESTORED_BYTES = 2 * 1024 * 1024 * 1024;

export const rollback: CliCommand = {
  name: 'rollback',
  summary: 'restore the manifest and artifacts of an earlier release (--plan shows what would change)',
  usage: 'modelgate rollback <model> [--to VERSION] [--plan] [--root DIR] [--format text|json]',
  help: `Restores, in the working tree, the manifest and every artifact of a released
version exactly as its tag <model>@v<version> has them: by default the last
good release before the current version (the newest earlier one that
reached the last stage, production). Commit the result and open a pull
request: validate reports it as a restore, and its merge re-deploys that
version (no new version tag). --plan only lists the files.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, to: { type: 'string' }, plan: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json'] as const);
    const [name = ''] = args.positionals;
    const context = await openRegistry(args);
    const model = modelOf(context, name);
    const manifestFile = await findManifest(context, name);
    const now = await loadModel(context.repo.worktree, manifestFile);
    if (!now.facts)
      throw new CommandError(`${manifestFile} is not a valid manifest; fix it first (modelgate validate)`);
    const target = rollbackTarget(
      model,
      now.facts.manifest.version,
      context.settings.stages,
      stringOf(args, 'to'),
    );
    if (!target.ok) throw new CommandError(target.reason, target.fix);

    const then = context.repo.at(target.version.tag);
    const thenLoaded = await loadModel(then, manifestFile);
    if (!thenLoaded.facts)
      throw new CommandError(
        `${target.version.tag} has no valid manifest at ${manifestFile}`,
        'Roll back by hand: the manifest moved since that release.',
      );
    const changes = rollbackChanges(
      await fileDigests(context.repo.worktree, now.facts),
      await fileDigests(then, thenLoaded.facts),
    );
    const plan = {
      model: name,
      from: now.facts.manifest.version,
      to: target.version.version,
      tag: target.version.tag,
      commit: target.version.commit,
      reason: target.reason,
      changes,
    };

    if (!args.values.plan) {
      for (const change of changes) {
        const file = join(context.root, change.path);
        await rm(file, { force: true }); // a symlink is replaced, never followed
        if (change.action === 'remove') continue;
        const read = await then.read(change.path, MAX_RESTORED_BYTES);
        if (!read.ok)
          throw new CommandError(
            `${change.path} cannot be read at ${target.version.tag}: ${read.problem.detail}`,
          );
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, read.value);
      }
    }
    if (format === 'json')
      out.stdout(`${JSON.stringify({ ...plan, applied: !args.values.plan }, null, 2)}\n`);
    else {
      const verb = args.values.plan ? 'would' : 'did';
      out.stdout(
        [
          `${name}: ${plan.from} -> ${plan.to} (${plan.reason}, tag ${plan.tag})`,
          ...changes.map((c) => `  ${c.action === 'restore' ? 'restore' : 'remove '} ${c.path}`),
          changes.length ? '' : '  nothing differs',
          args.values.plan
            ? `${verb} change ${changes.length} file(s); run without --plan to restore them`
            : `restored ${changes.length} file(s): commit them and open a pull request (git switch -c rollback/${name.replaceAll('/', '-')}-${plan.to})`,
        ].join('\n') + '\n',
      );
    }
    return 0;
  },
};

async function findManifest(
  context: Awaited<ReturnType<typeof openRegistry>>,
  name: string,
): Promise<string> {
  for (const file of await context.repo.findManifests(context.settings.manifests)) {
    const read = await context.repo.worktree.read(file, MANIFEST_MAX_BYTES);
    if (read.ok && parseManifest(decodeUtf8(read.value), file).manifest?.name === name) return file;
  }
  throw new CommandError(
    `no manifest of ${name} in the working tree`,
    'A model that was removed is restored with git, not rollback.',
  );
}
