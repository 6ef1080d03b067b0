import * as core from '@actions/core';
import { join, relative, resolve } from 'node:path';
import type { Finding } from '../core/findings.js';
import { toMarkdown } from '../core/report/markdown.js';
import { CommandError } from '../core/repository.js';
import { validate } from '../core/validate.js';
import { GitRepository } from '../io/git-repository.js';
import { readSettings } from '../io/settings.js';
import { OUTPUTS, readInputs } from './inputs.js';

/** The Action: inputs -> validate -> job summary, annotations, outputs. Fails the step on error findings only. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const root = resolve(inputs.root);
    const settings = await readSettings(root);
    if (inputs.base) core.info(`Comparing with ${inputs.base}`);
    const report = await validate(new GitRepository(root), {
      manifests: settings.manifests,
      base: inputs.base,
      progress: core.debug,
    });

    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    for (const finding of report.findings) annotate(finding, relative(workspace, join(root, finding.file)));
    await core.summary.addRaw(toMarkdown(report)).write();

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
  } catch (error) {
    const message =
      error instanceof CommandError
        ? `${error.message}${error.fix ? ` (${error.fix})` : ''}`
        : String((error as Error)?.message ?? error);
    core.setFailed(message);
  }
}

function annotate(finding: Finding, file: string): void {
  const properties = {
    title: `${finding.rule} (${finding.model})`,
    file,
    ...(finding.line ? { startLine: finding.line } : {}),
  };
  const message = finding.fix ? `${finding.message}\nFix: ${finding.fix}` : finding.message;
  if (finding.severity === 'error') core.error(message, properties);
  else if (finding.severity === 'warning') core.warning(message, properties);
  else core.notice(message, properties);
}
