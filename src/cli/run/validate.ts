import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { toJson } from '../../core/report/json.js';
import { toMarkdown } from '../../core/report/markdown.js';
import { toText } from '../../core/report/text.js';
import { CommandError } from '../../core/repository.js';
import { validate } from '../../core/validate.js';
import { GitRepository } from '../../io/git-repository.js';
import { readJudgingSettings } from '../../io/judging-settings.js';
import { TokenizerBehaviourCache } from '../../io/tokenizer-cache.js';
import { sharedTokenizerSandbox } from '../../io/tokenizer-sandbox.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';

/** `modelgate validate`: every manifest, or those changed since --base, in one report. */
export async function runValidate(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const root = resolve(stringOf(args, 'root') ?? '.');
  if (!(await stat(root).catch(() => undefined))?.isDirectory())
    throw new CommandError(`--root ${stringOf(args, 'root')} is not a directory`);
  const base = stringOf(args, 'base');
  if (base !== undefined && !base.trim()) throw new CommandError('--base needs a git ref');
  const repo = new GitRepository(root);
  // With --base, the base's settings judge the change: its own never decide how.
  const judging = await readJudgingSettings(repo, root, base);
  const report = await validate(repo, {
    ...judging,
    base,
    allowEmpty: args.values['allow-empty'] === true,
    root: stringOf(args, 'root') ?? root,
    // Tokenizers encoded once per file digest, across runs (outside the repository).
    behaviourCache: new TokenizerBehaviourCache(),
    // Tokenizers run in a worker thread with a time budget and a heap limit.
    tokenizerRunner: sharedTokenizerSandbox(),
    progress: out.progress,
  });
  const render = { text: toText, json: toJson, markdown: toMarkdown }[format];
  out.stdout(render(report));
  return report.summary.errors > 0 ? 1 : 0;
}
