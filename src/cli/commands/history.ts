import { inertJson } from '../../core/report/escape.js';
import { gtoHistoryJson, historyJson, historyText, registryHistory } from '../../core/report/registry.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, type CliCommand } from '../command.js';
import { modelsOf, openRegistry } from '../registry-context.js';

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
  async run(args, out) {
    const format = formatOf(args, ['text', 'json', 'gto'] as const);
    const context = await openRegistry(args, true, out);
    const [name] = args.positionals;
    const chosen = modelsOf(context, name);
    // GTO's order among models of the same second is the registry's own.
    const models = [...context.registry.values()].filter((m) => chosen.includes(m));
    const ascending = format !== 'gto' && !args.values['newest-first'];
    const events = registryHistory(models, { ascending });
    if (format === 'gto') out.stdout(`${inertJson(gtoHistoryJson(events))}\n`);
    else out.stdout(format === 'json' ? `${inertJson(historyJson(events))}\n` : historyText(events));
    return 0;
  },
};
