import { resolve } from 'node:path';
import { toJson } from '../../core/report/json.js';
import { toMarkdown } from '../../core/report/markdown.js';
import { toText } from '../../core/report/text.js';
import { validate } from '../../core/validate.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import type { Output } from '../output.js';

export const VALIDATE_HELP = `Usage: modelgate validate [options]

Checks every model manifest: schema, artifact integrity, tokenizer/config
compatibility. With --base, checks only the models changed since that git ref
and whether each version bump covers what changed.

Options:
  --root DIR        the registry (default: the current directory)
  --base REF        compare with the manifests at this git ref (its merge base with HEAD)
  --format FORMAT   text (default), json or markdown
  -h, --help        show this help

Exit codes: 0 nothing blocking, 1 at least one error finding, 2 the command could not run.
Manifests are found with the globs in .github/modelgate.yml (default: models/**/model.yaml).
`;

export interface ValidateArgs {
  root?: string;
  base?: string;
  format: 'text' | 'json' | 'markdown';
}

/** Runs `modelgate validate` and returns the exit code. */
export async function runValidate(args: ValidateArgs, out: Output): Promise<number> {
  const root = resolve(args.root ?? '.');
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  const report = await validate(repo, {
    manifests: settings.manifests,
    base: args.base,
    progress: out.progress,
  });
  const render = { text: toText, json: toJson, markdown: toMarkdown }[args.format];
  out.stdout(render(report));
  return report.summary.errors > 0 ? 1 : 0;
}
