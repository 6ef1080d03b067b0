import { inertJson } from '../../core/report/escape.js';
import { gtoHistoryJson, historyJson, historyText, registryHistory } from '../../core/report/registry.js';
import { formatOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { modelsOf, openTagRegistry } from '../registry-context.js';

/** `modelgate history`: the registry's events from the tags of the local clone. */
export async function runHistory(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json', 'gto'] as const);
  const context = await openTagRegistry(args, out);
  const [name] = args.positionals;
  const chosen = modelsOf(context, name);
  // GTO's order among models of the same second is the registry's own.
  const models = [...context.registry.values()].filter((m) => chosen.includes(m));
  const ascending = format !== 'gto' && !args.values['newest-first'];
  const events = registryHistory(models, { ascending });
  // The document and its newline are written apart: the same bytes, without copying megabytes to join them.
  if (format === 'text') out.stdout(historyText(events));
  else {
    out.stdout(inertJson(format === 'gto' ? gtoHistoryJson(events) : historyJson(events)));
    out.stdout('\n');
  }
  return 0;
}
