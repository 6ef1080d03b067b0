import { inertMarkdown, inertText } from '../report/escape.js';
import type { MirrorOutcome } from './mirror.js';

const MARK = { set: '✅', 'in-place': '☑️', failed: '⚠️' } as const;

/** The "MLflow Model Registry" section of the job summary: one line per step. */
export function mirrorMarkdown(outcomes: readonly MirrorOutcome[]): string {
  if (!outcomes.length) return '';
  const out = ['### MLflow Model Registry', ''];
  for (const o of outcomes) {
    const head = `${inertMarkdown(o.model)} ${inertMarkdown(o.version)} → ${inertMarkdown(o.stage)}${o.destination ? ` (${inertMarkdown(o.destination)})` : ''}`;
    for (const line of o.lines)
      out.push(
        `- ${MARK[line.status]} ${head}: ${inertMarkdown(line.text)}${line.fix ? ` ${inertMarkdown(line.fix)}` : ''}`,
      );
  }
  out.push('');
  return out.join('\n');
}

/** The same lines for a log or a terminal. */
export function mirrorText(outcomes: readonly MirrorOutcome[]): string[] {
  return outcomes.flatMap((o) =>
    o.lines.map(
      (line) =>
        `registry: ${inertText(o.model)} ${inertText(o.version)} -> ${inertText(o.stage)}${o.destination ? ` (${inertText(o.destination)})` : ''}: ${inertText(line.text)}${line.fix ? ` ${inertText(line.fix)}` : ''}`,
    ),
  );
}

/** The failed lines, each a warning with its fix: a mirror that did not happen is never silent. */
export function mirrorWarnings(outcomes: readonly MirrorOutcome[]): string[] {
  return outcomes.flatMap((o) =>
    o.lines
      .filter((line) => line.status === 'failed')
      .map(
        (line) =>
          `the MLflow Model Registry does not show ${inertText(o.model)} ${inertText(o.version)} in ${inertText(o.stage)}: ${inertText(line.text)}.${line.fix ? ` ${inertText(line.fix)}` : ''} The stage assignment itself is done: its git tag is the record.`,
      ),
  );
}
