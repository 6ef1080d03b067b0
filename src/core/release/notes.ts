import { inertCode, inertMarkdown } from '../report/escape.js';
import type { ReleaseCandidate, ReleaseContext } from './plan.js';
import { trainingMarkdown } from '../tracking/report.js';
import type { TrainingSection } from '../tracking/training-check.js';

/**
 * The GitHub Release body: provenance, what changed and why, compatibility,
 * evaluation, the training run (read and compared with production's when
 * `training` is given, else the manifest's reference), artifacts.
 */
export function releaseNotes(
  candidate: ReleaseCandidate,
  context: ReleaseContext,
  training?: TrainingSection,
): string {
  const { facts, change, findings } = candidate;
  const { name, manifest } = facts;
  const out: string[] = [];
  const pr = context.pullRequest;
  out.push(
    `**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**${manifest.description ? `: ${inertMarkdown(manifest.description)}` : ''}`,
    '',
    pr
      ? `Merged in [#${pr.number} ${inertMarkdown(pr.title)}](${pr.url})${context.actor ? ` by @${inertMarkdown(context.actor)}` : ''}.`
      : `Released from ${context.trigger.slice(0, 12)}.`,
    '',
  );

  out.push('### What changed', '');
  if (!change || change.status === 'new') out.push('First release of this model.', '');
  else {
    out.push(
      `${change.from} → ${change.to}: a **${change.declared}** release; the change requires **${change.required}**.`,
      '',
    );
    if (change.reasons.length) {
      out.push('| bump | file | reason |', '|---|---|---|');
      for (const r of change.reasons)
        out.push(`| ${r.bump} | ${inertCode(r.file)} | ${inertMarkdown(r.reason)} |`);
      out.push('');
    }
  }

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning');
  out.push(
    '### Compatibility',
    '',
    errors
      ? `❌ ${errors} error(s)`
      : `✅ tokenizer, config and weights checks pass${warnings.length ? `, ${warnings.length} warning(s):` : '.'}`,
    '',
  );
  for (const w of warnings) out.push(`- ${w.rule}: ${inertMarkdown(w.message)}`);
  if (warnings.length) out.push('');

  if (candidate.metrics.length) {
    out.push('### Evaluation', '', '| metric | value | stderr |', '|---|---|---|');
    for (const m of candidate.metrics)
      out.push(`| ${inertMarkdown(m.name)} | ${m.value} | ${m.stderr ?? '—'} |`);
    out.push('');
  }

  if (training) out.push(trainingMarkdown([training], '### Training'));
  else if (manifest.training?.run !== undefined)
    out.push('### Training', '', `Run ${inertCode(manifest.training.run)} (not read at release).`, '');

  out.push('### Artifacts', '', '| artifact | sha256 | size |', '|---|---|---|');
  for (const w of manifest.artifacts.weights)
    out.push(`| ${inertCode(w.uri)} | \`${w.sha256}\` | ${w.size ?? '—'} |`);
  out.push(`| ${inertCode(facts.manifestFile)} | \`${candidate.manifestDigest}\` | |`);
  for (const [path, digest] of candidate.digests) {
    if (path !== facts.manifestFile) out.push(`| ${inertCode(path)} | \`${digest}\` | |`);
  }
  out.push('');
  return out.join('\n');
}
