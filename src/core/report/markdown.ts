import type { Finding } from '../findings.js';
import type { ValidationReport } from '../validate.js';
import type { ModelGates } from '../eval/gate-model.js';
import { gatesMarkdown } from './gates.js';
import { inertCode, inertMarkdown } from './escape.js';
import { trainingMarkdown } from '../tracking/report.js';
import type { TrainingSection } from '../tracking/training-check.js';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** The job summary and pull-request body: a findings table and the required bumps. */
export function toMarkdown(
  report: ValidationReport & { gates?: readonly ModelGates[]; training?: readonly TrainingSection[] },
  title = 'modelgate validate',
): string {
  const { errors, warnings, info, manifests, validated } = report.summary;
  const status = errors ? `❌ ${errors} error(s)` : '✅ no errors';
  const out: string[] = [
    `## ${title}`,
    '',
    `${status}, ${warnings} warning(s), ${info} note(s) in ${validated === manifests ? `${manifests}` : `${validated} changed of ${manifests}`} model(s).`,
    '',
  ];
  if (report.models.length) {
    out.push('| model | version | manifest |', '|---|---|---|');
    for (const m of report.models)
      out.push(`| ${inertMarkdown(m.name)} | ${inertMarkdown(m.version)} | ${inertCode(m.path)} |`);
    out.push('');
  }
  if (report.findings.length) {
    out.push('### Findings', '', '| | rule | model | where | message | fix |', '|---|---|---|---|---|---|');
    for (const f of report.findings) out.push(findingRow(f));
    out.push('');
  }
  if (report.gates?.length) out.push(gatesMarkdown(report.gates));
  if (report.training?.length) out.push(trainingMarkdown(report.training));
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
          : c.reasons
              .map((r) => `**${r.bump}** ${inertCode(r.file)}: ${inertMarkdown(r.reason)}`)
              .join('<br>');
      out.push(
        `| ${inertMarkdown(c.model)} | ${inertMarkdown(c.from ?? 'new')} | ${inertMarkdown(c.to)} | ${c.declared} | ${c.required} | ${reasons || '—'} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function findingRow(f: Finding): string {
  const where = inertCode(`${f.file}${f.line ? `:${f.line}` : ''}`);
  return `| ${ICON[f.severity]} | ${f.rule} | ${inertMarkdown(f.model)} | ${where} | ${inertMarkdown(f.message)} | ${inertMarkdown(f.fix ?? '')} |`;
}
