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
      const argRevision = /(?:^|,)revision=([^,]+)/.exec(provenance.modelArgs ?? '')?.[1];
      const recorded = [provenance.modelSha, provenance.modelRevision, argRevision].filter(
        (v): v is string => v !== undefined && v !== 'main',
      );
      if (!recorded.some((r) => r === pinned || r.startsWith(pinned) || pinned.startsWith(r))) {
        at(
          index,
          'EVAL-MODEL',
          'error',
          `${result.file} was produced from ${recorded.join(' / ') || 'an unrecorded revision'}, not the pinned revision ${pinned}`,
          'Re-run the evaluation on this model version, or fix eval.revision.',
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
  });
  return findings;
}
