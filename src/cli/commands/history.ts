import { inertJson } from '../../core/report/escape.js';
import { historyJson, historyText } from '../../core/report/registry.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, type CliCommand } from '../command.js';
import { modelsOf, openRegistry } from '../registry-context.js';

export const history: CliCommand = {
  name: 'history',
  summary: 'every registration, stage assignment and deprecation, oldest first',
  usage: 'modelgate history [model] [--root DIR] [--format text|json]',
  help: `Lists the registry events recorded in the git tags of the local clone:
who registered, promoted, withdrew or deprecated what, and when.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION },
  positionals: { min: 0, max: 1 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json'] as const);
    const context = await openRegistry(args, true, out);
    const [name] = args.positionals;
    const models = modelsOf(context, name);
    // Each model's events are already in registry order; a stable sort by date interleaves the models.
    const events = models.flatMap((m) => m.events).sort((a, b) => a.date - b.date);
    out.stdout(format === 'json' ? `${inertJson(historyJson(events))}\n` : historyText(events));
    return 0;
  },
};
