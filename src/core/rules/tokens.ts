import { allAddedTokens, type ModelFacts } from '../model/facts.js';
import type { Tokenizer } from '../tokenizer/model.js';
import type { SpecialRole, SpecialToken } from '../tokenizer/tokenizer-config.js';

/** Looks a token string up in the vocabulary, then in every added-token list (the first file that lists it wins). */
export function tokenId(
  facts: Pick<ModelFacts, 'tokenizer' | 'settings'>,
  content: string,
): number | undefined {
  const id = facts.tokenizer?.vocab.idOf(content);
  if (id !== undefined) return id;
  return addedIndex(facts).get(content);
}

interface AddedIndex {
  tokenizer?: Tokenizer;
  count: number;
  ids: Map<string, number>;
}
const addedIndexes = new WeakMap<object, AddedIndex>();

// Built once per model: a linear search per lookup is quadratic when a whole vocabulary is compared (SemVer checks).
function addedIndex(facts: Pick<ModelFacts, 'tokenizer' | 'settings'>): Map<string, number> {
  const count = (facts.tokenizer?.added.length ?? 0) + facts.settings.added.length;
  const cached = addedIndexes.get(facts.settings);
  if (cached && cached.tokenizer === facts.tokenizer && cached.count === count) return cached.ids;
  const ids = new Map<string, number>();
  for (const token of allAddedTokens(facts)) if (!ids.has(token.content)) ids.set(token.content, token.id);
  addedIndexes.set(facts.settings, { tokenizer: facts.tokenizer, count, ids });
  return ids;
}

/** The special token for a role: tokenizer_config.json first, then special_tokens_map.json, then a SentencePiece model's own. */
export function specialToken(
  facts: Pick<ModelFacts, 'tokenizer' | 'settings'>,
  role: SpecialRole,
): SpecialToken | undefined {
  const declared = facts.settings.special.find((s) => s.role === role);
  if (declared) return declared;
  const builtin = facts.tokenizer?.builtinSpecial?.[role as 'bos'];
  return builtin !== undefined && facts.tokenizer
    ? { role, content: builtin, source: facts.tokenizer.file }
    : undefined;
}

/** The id of a role's special token, when it is named and resolves. */
export function specialId(
  facts: Pick<ModelFacts, 'tokenizer' | 'settings'>,
  role: SpecialRole,
): number | undefined {
  const token = specialToken(facts, role);
  return token?.content ? tokenId(facts, token.content) : undefined;
}

/** Highest id the tokenizer can produce: base vocabulary and every added token (-1 when there is none). */
export function highestTokenId(facts: Pick<ModelFacts, 'tokenizer' | 'settings'>): number {
  let max = facts.tokenizer?.vocab.maxId ?? -1;
  for (const t of allAddedTokens(facts)) if (t.id > max) max = t.id;
  return max;
}

/** Ids generation stops on: generation_config.json's eos ids when it has any (that is what generate() uses), else config.json's. */
export function stopIds(facts: Pick<ModelFacts, 'generation' | 'config'>): { ids: number[]; file?: string } {
  if (facts.generation?.eos.length) return { ids: facts.generation.eos, file: facts.generation.file };
  return { ids: facts.config?.ids.eos ?? [], file: facts.config?.file };
}
