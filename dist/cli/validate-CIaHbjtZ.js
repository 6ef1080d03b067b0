import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { r as readJudgingSettings, s as sharedTokenizerSandbox, T as TokenizerBehaviourCache, a as toMarkdown, t as toJson } from './tokenizer-sandbox-CoxncSsk.js';
import { j as validate, b as toText } from './text-pwQJ1yCB.js';
import { f as formatOf, s as stringOf, C as CommandError } from './command-BFTcRIcy.js';
import { GitRepository } from './git-repository-B5nDBN5A.js';
import './escape-C_Mv5luI.js';
import './report-CbYLneVd.js';
import './parse-B69nEYJT.js';
import './yaml-document-D8lQUcRd.js';
import 'process';
import 'buffer';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs';
import './settings-C0UoLdVc.js';
import './stages-Cl5dJrTL.js';
import './registration-tags-C5oXtNLZ.js';
import './names-BCxkbDpg.js';
import './storage-uri-CZ8FpHhv.js';
import 'node:os';
import 'node:worker_threads';
import './model-manifests-CC9BAMMY.js';
import './hashed-string-BvNvQAaH.js';
import 'node:buffer';
import './references-BLpOHoYI.js';
import './index-UVRYzaJe.js';
import './json-equal-DyaeKnIb.js';

/** `modelgate validate`: every manifest, or those changed since --base, in one report. */
async function runValidate(args, out) {
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const root = resolve(stringOf(args, 'root') ?? '.');
    if (!(await stat(root).catch(() => undefined))?.isDirectory())
        throw new CommandError(`--root ${stringOf(args, 'root')} is not a directory`);
    const base = stringOf(args, 'base');
    if (base !== undefined && !base.trim())
        throw new CommandError('--base needs a git ref');
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

export { runValidate };
