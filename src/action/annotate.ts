import * as core from '@actions/core';
import { join, relative } from 'node:path';
import type { Finding } from '../core/findings.js';

/** One workflow annotation per finding, on the manifest line, with the fix. */
export function annotate(findings: readonly Finding[], root: string): void {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const finding of findings) {
    const file = relative(workspace, join(root, finding.file));
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
}
