import { longJsonKey } from '../hashed-string.js';
import type { PairedCounts } from './confidence.js';

/** One request's two answers: production's (what the user got) and the shadow's, joined by request id. */
export interface OutputPair {
  id: string;
  production: string;
  shadow: string;
  /** The request, when the source has it (for the judge only: never stored, never shown). */
  prompt?: string;
  /** The pairwise judge's votes, when the judge ran on this pair (src/io/shadow/pairwise-judge.ts). */
  judge?: PairJudgeVotes;
}

/** Who a judge preferred in one order of presentation, or why it gave no preference. */
export type JudgeVote = 'production' | 'shadow' | 'tie' | 'unparsed';

/** The judge asked twice, once per order: production first, then the shadow first. */
export interface PairJudgeVotes {
  productionFirst: JudgeVote;
  shadowFirst: JudgeVote;
}

/** Similarity is kept in hundredths: 101 bins, 0.00 … 1.00. */
export const SIMILARITY_BINS = 101;
/** Length ratios are kept as log2 in sixteenths over [−4, 4] (a ×2^(1/16) ≈ 4.4 % grid), plus two overflow bins. */
const RATIO_STEPS_PER_OCTAVE = 16;
const RATIO_OCTAVES = 4;
export const RATIO_BINS = 2 * RATIO_OCTAVES * RATIO_STEPS_PER_OCTAVE + 3;

/**
 * Everything the output checks need, summed over pairs: additive, so one
 * tally per shadow grows interval by interval and never holds a prompt or
 * an answer (the sealed state stays small, and untrusted text stays out of it).
 */
export interface OutputTally {
  /** Pairs compared. */
  pairs: number;
  /** Pairs a source returned beyond the sampling cap, not compared. */
  overCap: number;
  /** Pairs whose request id came twice in one interval (only the first counts). */
  duplicates: number;
  /** Identical answers. */
  exact: number;
  /** Pairs per similarity hundredth. */
  similarity: number[];
  /** Pairs per length-ratio bin (see ratioBin). */
  lengthRatio: number[];
  json: PairedCounts;
  refusal: PairedCounts;
  /** Judged pairs by outcome; `unparsed`: a reply in either order did not parse (never a win). */
  judge: { shadow: number; production: number; tie: number; unparsed: number };
}

/** A tally with nothing in it. */
export function emptyTally(): OutputTally {
  const counts = (): PairedCounts => ({ both: 0, productionOnly: 0, shadowOnly: 0, neither: 0 });
  return {
    pairs: 0,
    overCap: 0,
    duplicates: 0,
    exact: 0,
    similarity: new Array<number>(SIMILARITY_BINS).fill(0),
    lengthRatio: new Array<number>(RATIO_BINS).fill(0),
    json: counts(),
    refusal: counts(),
    judge: { shadow: 0, production: 0, tie: 0, unparsed: 0 },
  };
}

/** Answers longer than this are compared on their first this-many characters (a runaway answer must not stall the app). */
const MAX_COMPARED_CHARS = 256 * 1024;

/**
 * The text an answer is compared as: Unicode NFKC (full-width, ligatures and
 * compatibility forms fold to one spelling), lower case, typographic quotes
 * as ASCII, and every run of whitespace as one space, trimmed.
 */
export function normaliseAnswer(text: string): string {
  return text
    .slice(0, MAX_COMPARED_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Words (letters and digits) and single punctuation marks of a normalised answer. */
function tokens(normalised: string): string[] {
  return normalised.match(/[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu) ?? [];
}

/**
 * Normalised-text similarity in [0, 1]: the Dice coefficient of the two
 * answers' token multisets (2·shared / (tokens of one + tokens of the other),
 * the token-level F1 of SQuAD's scoring) after normaliseAnswer. Two empty
 * answers are the same answer (1); word order is not compared.
 */
export function answerSimilarity(production: string, shadow: string): number {
  const a = tokens(normaliseAnswer(production));
  const b = tokens(normaliseAnswer(shadow));
  if (!a.length && !b.length) return 1;
  const counts = new Map<string, number>();
  for (const token of a) counts.set(token, (counts.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of b) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      shared += 1;
      counts.set(token, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Whether an answer is a JSON document: an object or an array once trimmed,
 * also inside one Markdown code fence (```json … ```), as chat models often
 * wrap it. A bare string or number is not what "answer in JSON" asks for.
 */
export function isJsonAnswer(text: string): boolean {
  let body = text.slice(0, MAX_COMPARED_CHARS).trim();
  const fenced = /^```[a-zA-Z0-9_-]*\n([\s\S]*?)\n?```$/.exec(body);
  if (fenced) body = fenced[1]!.trim();
  // A key too long to hash (longJsonKey) is no answer a request asked for: not JSON, and never built.
  if (!/^[[{]/.test(body) || longJsonKey(body) !== undefined) return false;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

// Openings of an assistant declining, in English, as chat models phrase them. Matched on the
// normalised answer's first 300 characters, so a long answer that later quotes "I can't" is no refusal.
const REFUSAL_PATTERNS: readonly RegExp[] = [
  /^(i'm|i am) sorry,? (but )?(i|as an ai)\b/,
  /^(sorry|unfortunately),? (but )?i (can't|cannot|can not|am unable|'m unable|won't|will not|am not able|'m not able)\b/,
  /\bi (can't|cannot|can not|won't|will not|am unable to|'m unable to|am not able to|'m not able to) (help|assist|provide|comply|fulfil|fulfill|do that|answer|support|create|generate|write|share|engage)\b/,
  /\bas an ai( language model| assistant)?,? i (can't|cannot|can not|am not able|'m not able|don't|do not|won't)\b/,
  /^i (must|have to) (decline|refuse)\b/,
];

/** Whether an answer opens as a refusal (REFUSAL_PATTERNS; documented in docs/shadow.md). */
export function isRefusal(text: string): boolean {
  const opening = normaliseAnswer(text.slice(0, 2048)).slice(0, 300);
  return REFUSAL_PATTERNS.some((pattern) => pattern.test(opening));
}

/** Length in code points of the normalised answer. */
function answerLength(text: string): number {
  let n = 0;
  for (const _ of normaliseAnswer(text)) n += 1;
  return n;
}

/**
 * The length-ratio bin of a pair (shadow length / production length): bin 0
 * holds ratios below 2^−4 (an empty shadow answer among them), the last bin
 * ratios above 2^4 (an answer where production gave none), and the bins
 * between log2 of the ratio rounded down to a sixteenth. Both empty: ratio 1.
 */
export function ratioBin(production: string, shadow: string): number {
  const p = answerLength(production);
  const s = answerLength(shadow);
  if (p === 0 && s === 0) return ratioBinOfLog(0);
  if (s === 0) return 0;
  if (p === 0) return RATIO_BINS - 1;
  return ratioBinOfLog(Math.log2(s / p));
}

function ratioBinOfLog(log: number): number {
  const steps = Math.floor(log * RATIO_STEPS_PER_OCTAVE + 1e-9);
  const span = RATIO_OCTAVES * RATIO_STEPS_PER_OCTAVE;
  if (steps < -span) return 0;
  if (steps >= span + 1) return RATIO_BINS - 1;
  return steps + span + 1;
}

/** The ratio range a bin covers: [low, high). */
export function ratioBinRange(bin: number): { low: number; high: number } {
  if (bin <= 0) return { low: 0, high: 2 ** -RATIO_OCTAVES };
  if (bin >= RATIO_BINS - 1)
    return { low: 2 ** (RATIO_OCTAVES + 1 / RATIO_STEPS_PER_OCTAVE), high: Number.POSITIVE_INFINITY };
  const steps = bin - RATIO_OCTAVES * RATIO_STEPS_PER_OCTAVE - 1;
  return { low: 2 ** (steps / RATIO_STEPS_PER_OCTAVE), high: 2 ** ((steps + 1) / RATIO_STEPS_PER_OCTAVE) };
}

/**
 * Combines the judge's two orders: a side wins the pair only when it won in
 * both orders, which cancels a judge's preference for the first (or second)
 * answer; orders that disagree, or a tie in either, make a tie. A reply that
 * did not parse in either order makes the pair unparsed: never a win.
 */
export function pairOutcome(votes: PairJudgeVotes): 'shadow' | 'production' | 'tie' | 'unparsed' {
  const { productionFirst, shadowFirst } = votes;
  if (productionFirst === 'unparsed' || shadowFirst === 'unparsed') return 'unparsed';
  if (productionFirst === shadowFirst && productionFirst !== 'tie') return productionFirst;
  return 'tie';
}

function addPaired(counts: PairedCounts, production: boolean, shadow: boolean): void {
  if (production && shadow) counts.both += 1;
  else if (production) counts.productionOnly += 1;
  else if (shadow) counts.shadowOnly += 1;
  else counts.neither += 1;
}

/**
 * Tallies one interval's pairs: the first `cap` distinct request ids are
 * compared, the rest counted as over the cap; a request id seen again is a
 * duplicate and not compared twice.
 */
export function tallyPairs(pairs: readonly OutputPair[], cap: number): OutputTally {
  const tally = emptyTally();
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.id)) {
      tally.duplicates += 1;
      continue;
    }
    if (tally.pairs >= cap) {
      tally.overCap += 1;
      continue;
    }
    seen.add(pair.id);
    tally.pairs += 1;
    if (pair.production === pair.shadow) tally.exact += 1;
    const similarity = answerSimilarity(pair.production, pair.shadow);
    tally.similarity[Math.min(SIMILARITY_BINS - 1, Math.floor(similarity * 100 + 1e-9))]! += 1;
    tally.lengthRatio[ratioBin(pair.production, pair.shadow)]! += 1;
    addPaired(tally.json, isJsonAnswer(pair.production), isJsonAnswer(pair.shadow));
    addPaired(tally.refusal, isRefusal(pair.production), isRefusal(pair.shadow));
    if (pair.judge) tally.judge[pairOutcome(pair.judge)] += 1;
  }
  return tally;
}

/** The sum of two tallies (the shadow so far plus one interval). */
export function addTallies(a: OutputTally, b: OutputTally): OutputTally {
  const sumPaired = (x: PairedCounts, y: PairedCounts): PairedCounts => ({
    both: x.both + y.both,
    productionOnly: x.productionOnly + y.productionOnly,
    shadowOnly: x.shadowOnly + y.shadowOnly,
    neither: x.neither + y.neither,
  });
  const sumBins = (x: readonly number[], y: readonly number[], size: number) =>
    Array.from({ length: size }, (_, i) => (x[i] ?? 0) + (y[i] ?? 0));
  return {
    pairs: a.pairs + b.pairs,
    overCap: a.overCap + b.overCap,
    duplicates: a.duplicates + b.duplicates,
    exact: a.exact + b.exact,
    similarity: sumBins(a.similarity, b.similarity, SIMILARITY_BINS),
    lengthRatio: sumBins(a.lengthRatio, b.lengthRatio, RATIO_BINS),
    json: sumPaired(a.json, b.json),
    refusal: sumPaired(a.refusal, b.refusal),
    judge: {
      shadow: a.judge.shadow + b.judge.shadow,
      production: a.judge.production + b.judge.production,
      tie: a.judge.tie + b.judge.tie,
      unparsed: a.judge.unparsed + b.judge.unparsed,
    },
  };
}
