import type { Finding } from '../findings.js';
import type { ModelChange } from '../semver/version-check.js';
import type { ValidationReport } from '../validate.js';
import type { ModelGates } from '../eval/gate-model.js';
import { gatesText } from './gates.js';
import { inertText } from './escape.js';
import { trainingText } from '../tracking/report.js';
import type { TrainingSection } from '../tracking/training-check.js';

const MARK = { error: 'error', warning: 'warn ', info: 'info ' } as const;

/** The terminal report: findings grouped by model, then the version changes, then one summary line. */
export function toText(
  report: ValidationReport & { gates?: readonly ModelGates[]; training?: readonly TrainingSection[] },
): string {
  const lines: string[] = [];
  const byModel = new Map<string, Finding[]>();
  for (const f of report.findings) byModel.set(f.model, [...(byModel.get(f.model) ?? []), f]);
  for (const model of report.models) {
    const findings = byModel.get(model.name) ?? [];
    byModel.delete(model.name);
    const errors = findings.filter((f) => f.severity === 'error').length;
    lines.push(
      `${errors ? '✗' : '✓'} ${inertText(model.name)} ${inertText(model.version)}  (${inertText(model.path)})`,
    );
    for (const f of findings) lines.push(...findingLines(f));
  }
  for (const [model, findings] of byModel) {
    lines.push(`✗ ${inertText(model)}`);
    for (const f of findings) lines.push(...findingLines(f));
  }
  if (report.changes.length) {
    lines.push('', `Changes against ${inertText(report.summary.base?.slice(0, 12) ?? 'the base')}:`);
    for (const change of report.changes) lines.push(...changeLines(change));
  }
  if (report.gates?.length) lines.push(gatesText(report.gates));
  if (report.training?.length) lines.push(...trainingText(report.training));
  const { errors, warnings, info, manifests, validated } = report.summary;
  const scope =
    validated === manifests
      ? `${manifests} model(s)`
      : `${validated} of ${manifests} model(s) (changed since the base)`;
  lines.push('', `${scope}: ${errors} error(s), ${warnings} warning(s), ${info} note(s)`);
  return `${lines.join('\n')}\n`;
}

function findingLines(f: Finding): string[] {
  const where = f.line ? `${inertText(f.file)}:${f.line}` : inertText(f.file);
  const lines = [
    `  ${MARK[f.severity]} ${f.rule.padEnd(16)} ${inertText(f.message)}`,
    `        ${''.padEnd(16)} at ${where}`,
  ];
  if (f.fix && f.severity !== 'info') lines.push(`        ${''.padEnd(16)} fix: ${inertText(f.fix)}`);
  return lines;
}

function changeLines(change: ModelChange): string[] {
  const head = `  ${inertText(change.model)}: ${inertText(change.from ?? '(new)')} -> ${inertText(change.to)}`;
  if (change.status === 'new') return [`${head}  new model`];
  if (change.status === 'restored') return [`${head}  restores a released version (rollback)`];
  const lines = [`${head}  declared ${change.declared}, required ${change.required}`];
  for (const r of change.reasons)
    lines.push(`      ${r.bump.padEnd(5)} ${inertText(r.file)}: ${inertText(r.reason)}`);
  return lines;
}
