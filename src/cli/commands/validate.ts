import {
  ALLOW_EMPTY_HELP,
  ALLOW_EMPTY_OPTION,
  FORMAT_OPTION,
  ROOT_OPTION,
  type CliCommand,
} from '../command.js';

/** `modelgate validate`: its help and options; the work is in run/. */
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
  run: async (args, out) => (await import('../run/validate.js')).runValidate(args, out),
};
