import { allAddedTokens } from '../model/facts.js';
import { finding, preview, type Rule } from './rule.js';
import { highestTokenId } from './tokens.js';

/**
 * VOCAB-FITS: every id the tokenizer can emit indexes the embedding. VOCAB-PAD:
 * a larger embedding is noted. Without a usable vocab_size, config-values
 * reports why this could not check.
 */
export const vocabFits: Rule = (facts) => {
  const { tokenizer, config } = facts;
  const vocabSize = config?.vocabSize;
  if (!tokenizer || !config || vocabSize === undefined) return [];
  // A loop, not Math.max(...ids): hundreds of thousands of added tokens overflow the call stack.
  const used = highestTokenId(facts) + 1;
  const over = allAddedTokens(facts).filter((t) => t.id >= vocabSize);
  const baseOver = tokenizer.vocab.maxId >= vocabSize;
  if (baseOver || over.length) {
    const parts = [
      baseOver ? `the ${tokenizer.file} vocabulary reaches id ${tokenizer.vocab.maxId}` : '',
      over.length
        ? `added tokens ${preview(over.map((t) => `${t.content}=${t.id}`))} (from ${[...new Set(over.map((t) => t.source))].join(', ')})`
        : '',
    ].filter(Boolean);
    return [
      finding(facts, {
        rule: 'VOCAB-FITS',
        severity: 'error',
        at: 'config',
        artifact: config.file,
        message: `${parts.join(' and ')}, but ${config.file} has vocab_size ${vocabSize}: those ids have no embedding row`,
        fix: `Resize the embeddings (resize_token_embeddings) so that vocab_size is at least ${used}.`,
      }),
    ];
  }
  if (vocabSize > used) {
    return [
      finding(facts, {
        rule: 'VOCAB-PAD',
        severity: 'info',
        at: 'config',
        artifact: config.file,
        message: `${config.file} vocab_size ${vocabSize} is larger than the tokenizer's ${used} ids (${vocabSize - used} padding rows)`,
      }),
    ];
  }
  return [];
};
