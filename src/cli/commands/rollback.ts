import { FORMAT_OPTION, ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate rollback`: its help and options; the work is in run/. */
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
  run: async (args, out) => (await import('../run/rollback.js')).runRollback(args, out),
};
