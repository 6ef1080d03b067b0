import { resolve } from 'node:path';
import { toJson } from '../../core/report/json.js';
import { toMarkdown } from '../../core/report/markdown.js';
import { toText } from '../../core/report/text.js';
import { CommandError } from '../../core/repository.js';
import { validate as validateRegistry } from '../../core/validate.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import {
  ALLOW_EMPTY_HELP,
  ALLOW_EMPTY_OPTION,
  FORMAT_OPTION,
  formatOf,
  ROOT_OPTION,
  stringOf,
  type CliCommand,
} from '../command.js';
import { stat } from 'node:fs/promises';
import { TokenizerBehaviourCache } from '../../io/tokenizer-cache.js';

export const validate: CliCommand = {
  name: 'validate',
  summary: 'check manifests, artifacts and tokenizer/config compatibility',
  usage: 'modelgate validate [--root DIR] [--base REF] [--allow-empty] [--format text|json|markdown]',
  help: `Checks every model manifest: schema, artifact integrity, tokenizer/config
compatibility. With --base, checks only the models changed since that git ref
(its merge base with HEAD) and whether each version bump covers what changed.
Manifests are found with the globs in .github/modelgate.yml
(default: models/**/model.yaml).

${ALLOW_EMPTY_HELP}`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, ...ALLOW_EMPTY_OPTION, base: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json', 'markdown'] as const);
    const root = resolve(stringOf(args, 'root') ?? '.');
    if (!(await stat(root).catch(() => undefined))?.isDirectory())
      throw new CommandError(`--root ${stringOf(args, 'root')} is not a directory`);
    const base = stringOf(args, 'base');
    if (base !== undefined && !base.trim()) throw new CommandError('--base needs a git ref');
    const settings = await readSettings(root);
    const report = await validateRegistry(new GitRepository(root), {
      manifests: settings.manifests,
      base,
      allowEmpty: args.values['allow-empty'] === true,
      root: stringOf(args, 'root') ?? root,
      // Tokenizers encoded once per file digest, across runs (outside the repository).
      behaviourCache: new TokenizerBehaviourCache(),
      progress: out.progress,
    });
    const render = { text: toText, json: toJson, markdown: toMarkdown }[format];
    out.stdout(render(report));
    return report.summary.errors > 0 ? 1 : 0;
  },
};
