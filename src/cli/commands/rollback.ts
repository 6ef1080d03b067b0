import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CommandError } from '../../core/repository.js';
import { prepareRollback } from '../../core/rollback/prepare.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, stringOf, type CliCommand } from '../command.js';
import { openRegistry } from '../registry-context.js';

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
version (no new version tag). --plan only lists the files. The Action's
command: rollback opens that pull request itself.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, to: { type: 'string' }, plan: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args, out) {
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
    if (!args.values.plan) {
      const then = context.repo.at(plan.tag);
      for (const change of plan.changes) {
        const file = join(context.root, change.path);
        await rm(file, { force: true }); // a symlink is replaced, never followed
        if (change.action === 'remove') continue;
        const read = await then.read(change.path, MAX_RESTORED_BYTES);
        if (!read.ok)
          throw new CommandError(`${change.path} cannot be read at ${plan.tag}: ${read.problem.detail}`);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, read.value);
      }
    }
    if (format === 'json') {
      out.stdout(`${JSON.stringify({ ...shown, applied: !args.values.plan }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `${name}: ${plan.from} -> ${plan.to} (${plan.reason}, tag ${plan.tag})`,
      ...plan.changes.map((c) => `  ${c.action === 'restore' ? 'restore' : 'remove '} ${c.path}`),
    ];
    if (!plan.changes.length) lines.push('  nothing differs');
    lines.push(
      args.values.plan
        ? `would change ${plan.changes.length} file(s); run without --plan to restore them`
        : `restored ${plan.changes.length} file(s): commit them and open a pull request (git switch -c rollback/${name.replaceAll('/', '-')}-${plan.to})`,
    );
    out.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
