import * as core from '@actions/core';
import { join, relative } from 'node:path';
import { inertText } from '../core/report/escape.js';
import type { Finding } from '../core/findings.js';

/**
 * One workflow annotation per finding, on the manifest line, with the fix.
 * @actions/core escapes what would end the command (newlines, `%`, and `:`
 * and `,` in properties), not what the log and the annotation show: the
 * title, message and file are made inert here, so no escape sequence or bidi
 * override from a manifest reaches the log or the checks page.
 */
export function annotate(findings: readonly Finding[], root: string): void {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const finding of findings) {
    const file = inertText(relative(workspace, join(root, finding.file)));
    const properties = {
      title: `${finding.rule} (${inertText(finding.model)})`,
      file,
      ...(finding.line ? { startLine: finding.line } : {}),
    };
    const message = finding.fix
      ? `${inertText(finding.message)}\nFix: ${inertText(finding.fix)}`
      : inertText(finding.message);
    if (finding.severity === 'error') core.error(message, properties);
    else if (finding.severity === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
}
