import { inertJson } from '../../core/report/escape.js';
import { gtoShowJson, gtoStages, showJson, showText } from '../../core/report/registry.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, type CliCommand } from '../command.js';
import { modelsOf, openRegistry } from '../registry-context.js';

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
  async run(args, out) {
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
  },
};
