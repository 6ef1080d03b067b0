import type { Finding } from '../findings.js';
import type { ValidationReport } from '../validate.js';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** Escapes text for a markdown table cell: no HTML, no table breaks, no mentions. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** The job summary and pull-request body: a findings table and the required bumps. */
export function toMarkdown(report: ValidationReport): string {
  const { errors, warnings, info, manifests, validated } = report.summary;
  const status = errors ? `❌ ${errors} error(s)` : '✅ no errors';
  const out: string[] = [
    '## modelgate validate',
    '',
    `${status}, ${warnings} warning(s), ${info} note(s) in ${validated === manifests ? `${manifests}` : `${validated} changed of ${manifests}`} model(s).`,
    '',
  ];
  if (report.models.length) {
    out.push('| model | version | manifest |', '|---|---|---|');
    for (const m of report.models) out.push(`| ${cell(m.name)} | ${cell(m.version)} | \`${cell(m.path)}\` |`);
    out.push('');
  }
  if (report.findings.length) {
    out.push('### Findings', '', '| | rule | model | where | message | fix |', '|---|---|---|---|---|---|');
    for (const f of report.findings) out.push(findingRow(f));
    out.push('');
  }
  if (report.changes.length) {
    out.push(
      '### Version changes',
      '',
      '| model | from | to | declared | required | reasons |',
      '|---|---|---|---|---|---|',
    );
    for (const c of report.changes) {
      const reasons =
        c.status === 'restored'
          ? 'restores a released version'
          : c.reasons.map((r) => `**${r.bump}** \`${cell(r.file)}\`: ${cell(r.reason)}`).join('<br>');
      out.push(
        `| ${cell(c.model)} | ${cell(c.from ?? 'new')} | ${cell(c.to)} | ${c.declared} | ${c.required} | ${reasons || '—'} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function findingRow(f: Finding): string {
  const where = `\`${cell(f.file)}${f.line ? `:${f.line}` : ''}\``;
  return `| ${ICON[f.severity]} | ${f.rule} | ${cell(f.model)} | ${where} | ${cell(f.message)} | ${cell(f.fix ?? '')} |`;
}
