import { FORMAT_OPTION, ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate history`: its help and options; the work is in run/. */
export const history: CliCommand = {
  name: 'history',
  summary: 'every registration, stage assignment and deprecation, oldest first',
  usage: 'modelgate history [model] [--root DIR] [--format text|json|gto] [--newest-first]',
  help: `Lists the registry events recorded in the git tags of the local clone:
who registered, promoted, withdrew or deprecated what, and when. Events of
the same second are in GTO's order (deprecation, registration,
deregistration, assignment, withdrawal). --newest-first reverses the list
(GTO's default); --format gto prints what \`gto history --json\` prints,
newest first.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, 'newest-first': { type: 'boolean' } },
  positionals: { min: 0, max: 1 },
  run: async (args, out) => (await import('../run/history.js')).runHistory(args, out),
};
