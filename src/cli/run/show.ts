import { inertJson } from '../../core/report/escape.js';
import { gtoShowJson, gtoStages, showJson, showText } from '../../core/report/registry.js';
import { formatOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { modelsOf, openRegistry } from '../registry-context.js';

/** `modelgate show`: the registered models and what each stage holds. */
export async function runShow(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json', 'gto'] as const);
  const context = await openRegistry(args, true, out);
  const [name] = args.positionals;
  const all = modelsOf(context, name);
  const models = args.values['hide-deprecated'] ? all.filter((m) => !m.deprecated) : all;
  const { stages } = context.settings;
  if (format === 'gto') {
    // GTO's model order is the registry's own (the order its tags were read); its stage
    // columns come from GTO's own .gto file, which modelgate does not read: the stages in use.
    const ordered = [...context.registry.values()].filter((m) => models.includes(m));
    out.stdout(`${inertJson(gtoShowJson(ordered, gtoStages(context.registry.values())))}\n`);
    return 0;
  }
  out.stdout(
    format === 'json'
      ? `${inertJson(showJson(models, stages))}\n`
      : showText(models, stages, name !== undefined),
  );
  return 0;
}
