import { createHash } from 'node:crypto';
import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { specialToken, tokenId } from '../rules/tokens.js';
import type { ResultsFile } from './results.js';

/**
 * Results that do not belong to this model version are flagged: another
 * model revision (EVAL-MODEL), another tokenizer (EVAL-TOKENIZER), or a run
 * limited to part of its tasks (EVAL-LIMIT).
 */
export function checkProvenance(facts: ModelFacts, results: readonly ResultsFile[]): Finding[] {
  const findings: Finding[] = [];
  const at = (
    index: number,
    rule: Finding['rule'],
    severity: Finding['severity'],
    message: string,
    fix: string,
    artifact: string,
  ) =>
    findings.push({
      rule,
      severity,
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(['eval', 'results', index, 'path']),
      message,
      fix,
      artifact,
    });
  const pinned = facts.manifest.eval?.revision;

  results.forEach((result) => {
    const provenance = result.provenance;
    if (!provenance) return;
    const index = result.entry ?? 0;
    if (pinned) {
      const args = provenance.modelArgs ?? {};
      const recorded = [
        provenance.modelSha,
        provenance.modelRevision,
        args.revision,
        snapshotOf(args.pretrained),
      ]
        // "main" is a branch, not a revision: it names no particular weights.
        .filter((v): v is string => v !== undefined && v !== '' && v !== 'main');
      if (!recorded.some((r) => sameRevision(r, pinned))) {
        const model = args.pretrained ? `${args.pretrained} at ` : '';
        at(
          index,
          'EVAL-MODEL',
          'error',
          `${result.file} was produced from ${model}${recorded.join(' / ') || 'an unrecorded revision'}, not the pinned revision ${pinned}`,
          'Re-run the evaluation on this model version (model_args revision=…), or fix eval.revision.',
          result.file,
        );
      }
    }
    if (facts.tokenizer) {
      for (const role of ['bos', 'eos', 'pad'] as const) {
        const logged = provenance.tokenizer[role];
        if (!logged || logged.content === null) continue;
        const ours = specialToken(facts, role)?.content ?? null;
        if (role === 'pad' && ours === null) continue; // the harness sets a pad token when the tokenizer has none
        const ourId = ours === null ? undefined : tokenId(facts, ours);
        const idDiffers = logged.id !== null && ourId !== undefined && logged.id !== ourId;
        if (ours !== logged.content || idDiffers) {
          at(
            index,
            'EVAL-TOKENIZER',
            'error',
            `${result.file} was produced with ${role}_token ${JSON.stringify(logged.content)} (id ${logged.id}), but this model's is ${JSON.stringify(ours)} (id ${ourId ?? 'none'})`,
            "Re-run the evaluation with this model version's tokenizer.",
            result.file,
          );
        }
      }
    }
    const template = facts.chatTemplates[0];
    if (
      provenance.chatTemplateSha &&
      template &&
      createHash('sha256').update(template.text).digest('hex') !== provenance.chatTemplateSha
    ) {
      at(
        index,
        'EVAL-TOKENIZER',
        'error',
        `${result.file} was produced with another chat template (sha256 ${provenance.chatTemplateSha.slice(0, 12)}…) than ${template.file}`,
        "Re-run the evaluation with this model version's chat template.",
        result.file,
      );
    }
    for (const limited of provenance.limited) {
      at(
        index,
        'EVAL-LIMIT',
        'warning',
        `${result.file}: ${limited.task} ran on ${limited.effective} of ${limited.original} documents (--limit): not comparable with a full run`,
        'Re-run without --limit.',
        result.file,
      );
    }
    // Files before n-samples (v0.3, v0.4.0–0.4.2) record only config.limit: a limit with no counts may have cut any task.
    if (provenance.limit !== undefined && provenance.uncounted.length) {
      const tasks = provenance.uncounted;
      at(
        index,
        'EVAL-LIMIT',
        'warning',
        `${result.file} ran with --limit ${provenance.limit} (config.limit) and does not record how many documents ${tasks.length === 1 ? tasks[0] : `${tasks.length} tasks (${tasks.slice(0, 3).join(', ')}${tasks.length > 3 ? ', …' : ''})`} had: it may cover only part of them, not comparable with a full run`,
        'Re-run without --limit.',
        result.file,
      );
    }
  });
  return findings;
}

/** Hex of a git or Hugging Face commit: the only kind of revision a prefix may stand for. */
const COMMIT = /^[0-9a-f]{7,64}$/i;

/**
 * Whether a recorded revision is the pinned one: the same name, or a
 * commit and an abbreviation of it (at least 7 hex digits). `v1` does not
 * pin `v1.3.0`.
 */
function sameRevision(recorded: string, pinned: string): boolean {
  if (recorded === pinned) return true;
  if (!COMMIT.test(recorded) || !COMMIT.test(pinned)) return false;
  const [a, b] = [recorded.toLowerCase(), pinned.toLowerCase()];
  return a.startsWith(b) || b.startsWith(a);
}

/** The commit of a `pretrained` path into the Hugging Face cache (`…/snapshots/<commit>`), which pins the weights. */
function snapshotOf(pretrained: string | undefined): string | undefined {
  const match = /(?:^|[\\/])snapshots[\\/]([0-9a-f]{40})[\\/]?$/i.exec(pretrained ?? '');
  return match?.[1];
}
