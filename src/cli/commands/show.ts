import { inertJson } from '../../core/report/escape.js';
import { showJson, showText } from '../../core/report/registry.js';
import { FORMAT_OPTION, formatOf, ROOT_OPTION, type CliCommand } from '../command.js';
import { modelsOf, openRegistry } from '../registry-context.js';

export const show: CliCommand = {
  name: 'show',
  summary: 'the registered models, their latest versions and what each stage runs',
  usage: 'modelgate show [model] [--root DIR] [--format text|json]',
  help: `Reads the registry from the git tags of the local clone (GTO's format:
name@v1.2.3, name#stage#N, name@deprecated) and shows each model's latest
version and the version each stage holds. With a model, every version.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION },
  positionals: { min: 0, max: 1 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json'] as const);
    const context = await openRegistry(args, true, out);
    const [name] = args.positionals;
    const models = modelsOf(context, name);
    const { stages } = context.settings;
    out.stdout(
      format === 'json'
        ? `${inertJson(showJson(models, stages))}\n`
        : showText(models, stages, name !== undefined),
    );
    return 0;
  },
};
