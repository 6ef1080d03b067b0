import type { Finding } from '../findings.js';

import { artifactKey } from './added-id.js';
import { finding, type Rule } from './rule.js';
import { specialId, specialToken, tokenId } from './tokens.js';

/** SPECIAL-RESOLVES: every named special token is a token. PAD: a pad token exists and is not eos. */
export const specialTokens: Rule = (facts) => {
  if (!facts.tokenizer) return [];
  const findings: Finding[] = [];
  for (const declared of facts.settings.special) {
    if (declared.content === null || tokenId(facts, declared.content) !== undefined) continue;
    findings.push(
      finding(facts, {
        rule: 'SPECIAL-RESOLVES',
        severity: 'error',
        at: artifactKey(facts, declared.source),
        artifact: declared.source,
        message: `${declared.role}_token ${JSON.stringify(declared.content)} in ${declared.source} is neither in the vocabulary of ${facts.tokenizer.file} nor an added token`,
        fix: `Add ${JSON.stringify(declared.content)} as an added token, or name a token that exists.`,
      }),
    );
  }
  const pad = specialToken(facts, 'pad');
  const padId = specialId(facts, 'pad') ?? facts.generation?.pad[0] ?? facts.config?.ids.pad[0];
  const eosId = specialId(facts, 'eos');
  const where = facts.paths.tokenizer_config ? 'tokenizer_config' : 'tokenizer';
  if (padId === undefined && !pad?.content) {
    findings.push(
      finding(facts, {
        rule: 'PAD',
        severity: 'warning',
        at: where,
        message:
          'no pad token is defined (tokenizer, config or generation_config): batched inference and fine-tuning must pick one',
        fix: 'Set pad_token in tokenizer_config.json (a dedicated token, not eos).',
      }),
    );
  } else if (padId !== undefined && padId === eosId) {
    findings.push(
      finding(facts, {
        rule: 'PAD',
        severity: 'warning',
        at: where,
        message: `the pad token is the eos token (id ${padId}): if padding is masked from the loss, the model never learns to stop`,
        fix: 'Use a dedicated pad token.',
      }),
    );
  }
  return findings;
};

/** Roles whose ids config.json and generation_config.json carry. */
const ID_ROLES = ['bos', 'eos', 'pad'] as const;

/**
 * IDS-IN-RANGE: bos/eos/pad ids index the embedding. IDS-AGREE: they are the
 * tokenizer's. Negative ids are out of range whatever vocab_size says; without
 * a usable vocab_size, config-values reports that the upper bound could not be
 * checked.
 */
export const tokenIds: Rule = (facts) => {
  const findings: Finding[] = [];
  const vocabSize = facts.config?.vocabSize;
  const sources = [
    facts.config && { key: 'config', file: facts.config.file, ids: facts.config.ids },
    facts.generation && { key: 'generation_config', file: facts.generation.file, ids: facts.generation },
  ].filter((s) => s !== undefined);

  for (const source of sources) {
    for (const role of ID_ROLES) {
      const bad = source.ids[role].filter((id) => id < 0 || (vocabSize !== undefined && id >= vocabSize));
      if (!bad.length) continue;
      const range =
        vocabSize === undefined
          ? 'negative: ids index the embedding from 0'
          : `outside [0, ${vocabSize}) (vocab_size of ${facts.config!.file})`;
      findings.push(
        finding(facts, {
          rule: 'IDS-IN-RANGE',
          severity: 'error',
          at: source.key,
          artifact: source.file,
          message: `${role}_token_id ${bad.join(', ')} in ${source.file} is ${range}`,
          fix: `Use the tokenizer's ${role} id.`,
        }),
      );
    }
  }

  if (!facts.tokenizer) return findings;
  const bos = specialId(facts, 'bos');
  for (const source of sources) {
    const declared = source.ids.bos;
    if (bos !== undefined && declared.length && !declared.includes(bos)) {
      findings.push(
        finding(facts, {
          rule: 'IDS-AGREE',
          severity: 'error',
          at: source.key,
          artifact: source.file,
          message: `bos_token_id ${declared.join(', ')} in ${source.file} is not the tokenizer's bos token ${JSON.stringify(specialToken(facts, 'bos')?.content)} (id ${bos})`,
          fix: `Set bos_token_id to ${bos}, or fix bos_token in the tokenizer files.`,
        }),
      );
    }
  }
  const eos = specialId(facts, 'eos');
  const stopSource = facts.generation?.eos.length
    ? sources.find((s) => s.key === 'generation_config')
    : sources.find((s) => s.key === 'config');
  if (eos !== undefined && stopSource && stopSource.ids.eos.length && !stopSource.ids.eos.includes(eos)) {
    findings.push(
      finding(facts, {
        rule: 'IDS-AGREE',
        severity: 'error',
        at: stopSource.key,
        artifact: stopSource.file,
        message: `eos_token_id ${stopSource.ids.eos.join(', ')} in ${stopSource.file} does not include the tokenizer's eos token ${JSON.stringify(specialToken(facts, 'eos')?.content)} (id ${eos}): generation would not stop on it`,
        fix: `Add ${eos} to eos_token_id (it may be a list).`,
      }),
    );
  }
  return findings;
};
