import * as core from '@actions/core';
import { resolve } from 'node:path';
import { toMarkdown } from '../core/report/markdown.js';
import { validate } from '../core/validate.js';
import { sharedTokenizerSandbox } from '../io/tokenizer-sandbox.js';
import { GitRepository } from '../io/git-repository.js';
import { readJudgingSettings } from '../io/judging-settings.js';
import { annotate } from './annotate.js';
import { OUTPUTS, type ActionInputs } from './inputs.js';

/** `command: validate`: job summary, annotations, outputs; fails the step on error findings only. */
export async function runValidate(inputs: ActionInputs): Promise<void> {
  const root = resolve(inputs.root);
  const repo = new GitRepository(root);
  // With a base (a pull request), the base's settings judge it: the change's own never decide how.
  const judging = await readJudgingSettings(repo, root, inputs.base);
  if (inputs.base) core.info(`Comparing with ${inputs.base}`);
  const report = await validate(repo, {
    ...judging,
    base: inputs.base,
    allowEmpty: inputs.allowEmpty,
    root,
    tokenizerRunner: sharedTokenizerSandbox(),
    progress: core.debug,
  });
  annotate(report.findings, root);
  await core.summary.addRaw(toMarkdown(report)).write();
  core.setOutput(OUTPUTS.errorCount, report.summary.errors);
  core.setOutput(OUTPUTS.errors, report.summary.errors);
  core.setOutput(OUTPUTS.requiredBump, report.summary.requiredBump);
  core.setOutput(OUTPUTS.findingsJson, JSON.stringify(report.findings));
  core.info(
    `${report.summary.validated} model(s) validated: ${report.summary.errors} error(s), ${report.summary.warnings} warning(s)`,
  );
  if (report.summary.errors > 0)
    core.setFailed(
      `modelgate found ${report.summary.errors} error(s); see the annotations and the job summary`,
    );
}
