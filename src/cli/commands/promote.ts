import { ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate promote`: its help and options; the work is in run/. */
export const promote: CliCommand = {
  name: 'promote',
  summary: 'assign a released version to a stage (writes a local tag)',
  usage: 'modelgate promote <model> <version> <stage> [--force] [--dry-run] [--root DIR]',
  help: `Creates the annotated tag <model>#<stage>#N on the commit of <model>@v<version>,
N being one more than the model's highest counter (GTO's format). Stages are
ordered (.github/modelgate.yml, default: canary, production): a version enters
a stage only after the one before it, unless --force. Push the tag yourself:
git push origin <tag>.`,
  options: { ...ROOT_OPTION, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 3, max: 3 },
  run: async (args, out) => (await import('../run/promote.js')).runPromote(args, out),
};
