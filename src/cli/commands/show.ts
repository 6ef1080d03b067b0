import { FORMAT_OPTION, ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate show`: its help and options; the work is in run/. */
export const show: CliCommand = {
  name: 'show',
  summary: 'the registered models, their latest versions and what each stage runs',
  usage: 'modelgate show [model] [--root DIR] [--format text|json|gto] [--hide-deprecated]',
  help: `Reads the registry from the git tags of the local clone (GTO's format:
name@v1.2.3, name#stage#N, name@deprecated, and every other form GTO reads)
and shows each model's latest version and the version each stage holds. With
a model, every version. --format gto prints what \`gto show --json\` prints
(deprecated models left out, as GTO does); --hide-deprecated leaves them out
of the other formats too.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, 'hide-deprecated': { type: 'boolean' } },
  positionals: { min: 0, max: 1 },
  run: async (args, out) => (await import('../run/show.js')).runShow(args, out),
};
