import { i as info, a as summary, b as setOutput, O as OUTPUTS, s as setFailed, d as debug } from './inputs-DSZox23F.js';
import { resolve } from 'node:path';
import { r as readJudgingSettings, s as sharedTokenizerSandbox, t as toMarkdown } from './tokenizer-sandbox-D6D_deoz.js';
import { x as validate, e as annotate, G as GitRepository } from './annotate-C8PgitaW.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:fs';
import './settings-B25yr-FP.js';
import 'process';
import 'buffer';
import 'node:crypto';
import 'node:fs/promises';
import 'node:worker_threads';
import 'node:buffer';
import 'node:child_process';

/** `command: validate`: job summary, annotations, outputs; fails the step on error findings only. */
async function runValidate(inputs) {
    const root = resolve(inputs.root);
    const repo = new GitRepository(root);
    // With a base (a pull request), the base's settings judge it: the change's own never decide how.
    const judging = await readJudgingSettings(repo, root, inputs.base);
    if (inputs.base)
        info(`Comparing with ${inputs.base}`);
    const report = await validate(repo, {
        ...judging,
        base: inputs.base,
        allowEmpty: inputs.allowEmpty,
        root,
        tokenizerRunner: sharedTokenizerSandbox(),
        progress: debug,
    });
    annotate(report.findings, root);
    await summary.addRaw(toMarkdown(report)).write();
    setOutput(OUTPUTS.errorCount, report.summary.errors);
    setOutput(OUTPUTS.errors, report.summary.errors);
    setOutput(OUTPUTS.requiredBump, report.summary.requiredBump);
    setOutput(OUTPUTS.findingsJson, JSON.stringify(report.findings));
    info(`${report.summary.validated} model(s) validated: ${report.summary.errors} error(s), ${report.summary.warnings} warning(s)`);
    if (report.summary.errors > 0)
        setFailed(`modelgate found ${report.summary.errors} error(s); see the annotations and the job summary`);
}

export { runValidate };
