import { ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate deprecate`: its help and options; the work is in run/. */
export const deprecate: CliCommand = {
  name: 'deprecate',
  summary: 'deprecate a model, deregister a version, or withdraw a version from a stage',
  usage: 'modelgate deprecate <model> [version [stage]] [--dry-run] [--root DIR]',
  help: `Writes GTO's tags in the local clone (push them yourself):
  modelgate deprecate <model>                    <model>@deprecated
  modelgate deprecate <model> <version>          <model>@v<version>!      (deregister)
  modelgate deprecate <model> <version> <stage>  <model>#<stage>!#N       (withdraw from the stage)
Tags are never deleted: the registry keeps its audit trail.`,
  options: { ...ROOT_OPTION, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 3 },
  run: async (args, out) => (await import('../run/deprecate.js')).runDeprecate(args, out),
};
