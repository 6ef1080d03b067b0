import { medianRanks, pairedDifferenceInterval, wilsonInterval, type Interval } from './confidence.js';
import { ratioBinRange, SIMILARITY_BINS, type OutputTally } from './compare.js';
import { OUTPUT_CHECKS, type OutputCheckName, type ResolvedShadowOutputs } from './policy.js';

export type CheckVerdict = 'pass' | 'fail' | 'inconclusive';

/** One output check over the pairs so far: estimate, confidence interval, the limit and the verdict. */
export interface OutputCheck {
  check: OutputCheckName;
  verdict: CheckVerdict;
  /** The pairs the check counted (judged pairs for the judge). */
  n: number;
  estimate: number;
  low: number;
  high: number;
  limit: { min?: number; max?: number };
  /** The interval used: Wilson, Newcombe (paired), order statistics. */
  method: 'wilson' | 'newcombe-paired' | 'order-statistic';
  reason: string;
}

/** All the checks' verdict: pass only when every check passed. */
export interface OutputsVerdict {
  verdict: CheckVerdict;
  reason: string;
  checks: OutputCheck[];
}

const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));

/**
 * A verdict from a confidence interval and the acceptable range: pass when
 * the whole interval is inside it, fail when the whole interval is outside,
 * inconclusive when it straddles a limit (the data cannot tell yet).
 */
function verdictOf(interval: Interval, limit: { min?: number; max?: number }): CheckVerdict {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = limit;
  if (interval.low >= min && interval.high <= max) return 'pass';
  if (interval.high < min || interval.low > max) return 'fail';
  return 'inconclusive';
}

function ciText(interval: Interval, show: (v: number) => string): string {
  return `${show(interval.estimate)} [${show(interval.low)}, ${show(interval.high)}]`;
}

/** The median's order-statistic interval over binned values; `valueAt(bin, side)` gives a bin's conservative edge. */
function binnedMedian(
  bins: readonly number[],
  confidence: number,
  edge: (bin: number, side: 'low' | 'high') => number,
): Interval & { n: number } {
  const n = bins.reduce((a, b) => a + b, 0);
  const ranks = medianRanks(n, confidence);
  const binOfRank = (rank: number) => {
    let seen = 0;
    for (let i = 0; i < bins.length; i += 1) {
      seen += bins[i]!;
      if (seen >= rank) return i;
    }
    return bins.length - 1;
  };
  const middle = binOfRank(Math.ceil(n / 2));
  const estimate = n ? (edge(middle, 'low') + edge(middle, 'high')) / 2 : Number.NaN;
  if (!ranks) return { n, estimate, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
  return { n, estimate, low: edge(binOfRank(ranks.low), 'low'), high: edge(binOfRank(ranks.high), 'high') };
}

/**
 * Judges the outputs compared so far against the policy's checks. Fewer than
 * `min_pairs` pairs (judged pairs, for the judge) is inconclusive whatever
 * the intervals say: a handful of agreeing answers proves nothing.
 */
export function judgeOutputs(tally: OutputTally, outputs: ResolvedShadowOutputs): OutputsVerdict {
  const { confidence, minPairs, checks } = outputs;
  const results: OutputCheck[] = [];
  const add = (
    check: OutputCheckName,
    n: number,
    interval: Interval,
    limit: { min?: number; max?: number },
    method: OutputCheck['method'],
    describe: string,
  ) => {
    let verdict = verdictOf(interval, limit);
    let reason = describe;
    if (n < minPairs) {
      verdict = 'inconclusive';
      reason = `${describe}; ${n} pair(s), fewer than min_pairs ${minPairs}`;
    }
    results.push({ check, verdict, n, ...interval, limit, method, reason });
  };
  const n = tally.pairs;
  for (const check of OUTPUT_CHECKS) {
    switch (check) {
      case 'exact_agreement': {
        const limit = checks.exact_agreement;
        if (!limit) break;
        const ci = wilsonInterval(tally.exact, n, confidence);
        add(
          check,
          n,
          ci,
          limit,
          'wilson',
          `identical answers ${ciText(ci, pct)}, at least ${pct(limit.min)} required`,
        );
        break;
      }
      case 'similarity': {
        const limit = checks.similarity;
        if (!limit) break;
        // Bin i holds similarities in [i/100, (i+1)/100): the lower edge is a lower bound, the upper an upper bound.
        const ci = binnedMedian(tally.similarity, confidence, (bin, side) =>
          side === 'low' ? bin / 100 : Math.min(1, (bin + (bin === SIMILARITY_BINS - 1 ? 0 : 1)) / 100),
        );
        add(
          check,
          n,
          ci,
          limit,
          'order-statistic',
          `median similarity ${ciText(ci, num)}, at least ${limit.min} required`,
        );
        break;
      }
      case 'json_validity': {
        const limit = checks.json_validity;
        if (!limit) break;
        const ci = pairedDifferenceInterval(tally.json, confidence);
        add(
          check,
          n,
          ci,
          { min: -limit.max_drop },
          'newcombe-paired',
          `JSON answers, shadow minus production ${ciText(ci, pct)}, a drop of at most ${pct(limit.max_drop)} allowed`,
        );
        break;
      }
      case 'refusal_rate': {
        const limit = checks.refusal_rate;
        if (!limit) break;
        const ci = pairedDifferenceInterval(tally.refusal, confidence);
        add(
          check,
          n,
          ci,
          { max: limit.max_increase },
          'newcombe-paired',
          `refusals, shadow minus production ${ciText(ci, pct)}, a rise of at most ${pct(limit.max_increase)} allowed`,
        );
        break;
      }
      case 'length_ratio': {
        const limit = checks.length_ratio;
        if (!limit) break;
        const ci = binnedMedian(tally.lengthRatio, confidence, (bin, side) => ratioBinRange(bin)[side]);
        add(
          check,
          n,
          ci,
          limit,
          'order-statistic',
          `median length ratio (shadow / production) ${ciText(ci, num)}, between ${limit.min} and ${limit.max} required`,
        );
        break;
      }
      case 'judge': {
        const limit = checks.judge;
        if (!limit) break;
        const { shadow, production, tie, unparsed } = tally.judge;
        const judged = shadow + production + tie;
        const ci = wilsonInterval(shadow + tie / 2, judged, confidence);
        const unparsedText = unparsed
          ? `; ${unparsed} pair(s) with a reply that did not parse, not counted`
          : '';
        add(
          check,
          judged,
          ci,
          limit,
          'wilson',
          `shadow's share of judged pairs (wins ${shadow}, ties ${tie}, losses ${production}) ${ciText(ci, pct)}, at least ${pct(limit.min)} required${unparsedText}`,
        );
        break;
      }
    }
  }
  return { verdict: overall(results), reason: overallReason(results, tally, minPairs), checks: results };
}

function overall(checks: readonly OutputCheck[]): CheckVerdict {
  if (checks.some((c) => c.verdict === 'fail')) return 'fail';
  if (!checks.length || checks.some((c) => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

function overallReason(checks: readonly OutputCheck[], tally: OutputTally, minPairs: number): string {
  if (!checks.length) return 'no output check is configured';
  const failed = checks.filter((c) => c.verdict === 'fail').map((c) => c.check);
  if (failed.length) return `output check(s) failed: ${failed.join(', ')}`;
  const open = checks.filter((c) => c.verdict === 'inconclusive').map((c) => c.check);
  if (tally.pairs < minPairs) return `${tally.pairs} pair(s) compared, fewer than min_pairs ${minPairs}`;
  if (open.length) return `output check(s) inconclusive: ${open.join(', ')}`;
  return `every output check passed on ${tally.pairs} pair(s)`;
}
