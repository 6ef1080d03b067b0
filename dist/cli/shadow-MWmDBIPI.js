import { resolve } from 'node:path';
import { j as judgeInterval, b as readRecordedCanary } from './judge-DNslFlAX.js';
import { b as inertMarkdown, c as inertJson, i as inertText } from './escape-C_Mv5luI.js';
import { f as formatOf, s as stringOf, C as CommandError } from './command-BFTcRIcy.js';
import { n as normalQuantile, r as readUserJsonFile, a as readUserFile, b as RECORDING_MAX_BYTES, P as PAIRS_MAX_BYTES } from './user-file-0rc-qr69.js';
import { l as longJsonKey, M as MAX_HASHED_CHARACTERS, a as longIdProblem, b as longKeyProblem } from './hashed-string-BvNvQAaH.js';
import { p as parseRolloutDuration, a as parseInterval } from './parse-B69nEYJT.js';
import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { D as DEFAULT_STEPS } from './decide-vyG8TmoH.js';
import { i as intervalResultSchema, v as verdictSchema, o as outOfTraffic } from './step-dgZkfg6x.js';
import { n as number, s as strictObject, a as array, b as _enum, c as string } from './yaml-document-D8lQUcRd.js';
import { r as requireAnalyze, f as findModelManifest } from './recorded-analysis-C9s4W0RU.js';
import 'node:fs';
import 'node:fs/promises';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'process';
import 'buffer';
import './git-repository-B5nDBN5A.js';
import './settings-C0UoLdVc.js';
import './stages-Cl5dJrTL.js';
import './registration-tags-C5oXtNLZ.js';
import './names-BCxkbDpg.js';
import './storage-uri-CZ8FpHhv.js';

const zOf = (confidence) => normalQuantile(1 - (1 - confidence) / 2);
/**
 * Wilson's score interval for a proportion `successes / n` (Wilson 1927): it
 * stays inside [0, 1] and keeps its coverage near 0 and 1, where the normal
 * (Wald) interval collapses. `successes` may be fractional (a judge's ties
 * count half): a score in {0, ½, 1} with mean p has variance at most
 * p(1 − p), so the interval is then conservative. n = 0 is [0, 1].
 */
function wilsonInterval(successes, n, confidence) {
    if (n <= 0)
        return { estimate: Number.NaN, low: 0, high: 1 };
    const z = zOf(confidence);
    const p = successes / n;
    const z2n = (z * z) / n;
    const centre = (p + z2n / 2) / (1 + z2n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n);
    return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
/**
 * Newcombe's hybrid score interval for the difference of two *paired*
 * proportions (Newcombe 1998, "Improved confidence intervals for the
 * difference between binomial proportions based on paired data", method 10):
 * Wilson intervals of each rate, combined with the phi correlation of the
 * pairs. Returns shadow's rate minus production's. No pairs: [−1, 1].
 */
function pairedDifferenceInterval(counts, confidence) {
    const { both: a, productionOnly: b, shadowOnly: c, neither: d } = counts;
    const n = a + b + c + d;
    if (n <= 0)
        return { estimate: Number.NaN, low: -1, high: 1 };
    const production = wilsonInterval(a + b, n, confidence);
    const shadow = wilsonInterval(a + c, n, confidence);
    const p1 = production.estimate;
    const p2 = shadow.estimate;
    const denominator = Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
    const phi = denominator > 0 ? (a * d - b * c) / denominator : 0;
    const difference = p2 - p1;
    const below = Math.sqrt(Math.max(0, (p2 - shadow.low) ** 2 -
        2 * phi * (p2 - shadow.low) * (production.high - p1) +
        (production.high - p1) ** 2));
    const above = Math.sqrt(Math.max(0, (shadow.high - p2) ** 2 -
        2 * phi * (shadow.high - p2) * (p1 - production.low) +
        (p1 - production.low) ** 2));
    return {
        estimate: difference,
        low: Math.max(-1, difference - below),
        high: Math.min(1, difference + above),
    };
}
/** Above this many values the binomial is replaced by its normal approximation (then within a rank). */
const EXACT_RANKS_LIMIT = 1000;
/**
 * The ranks (1-based) of the distribution-free confidence interval for a
 * median from n sorted values: [x(l), x(n+1−l)] covers the median with
 * probability at least `confidence` (order statistics and the Binomial(n, ½)
 * distribution, e.g. Conover, Practical Nonparametric Statistics, §3.2).
 * Undefined when n is too small for any interval at that confidence.
 */
function medianRanks(n, confidence) {
    if (n < 1)
        return undefined;
    const tail = (1 - confidence) / 2;
    let l;
    if (n <= EXACT_RANKS_LIMIT) {
        // Largest l with P(B <= l - 1) <= tail, B ~ Binomial(n, 1/2).
        let logPmf = -n * Math.LN2; // P(B = 0)
        let cdf = 0;
        l = 0;
        for (let k = 0; k < n; k += 1) {
            cdf += Math.exp(logPmf);
            if (cdf > tail)
                break;
            l = k + 1;
            logPmf += Math.log(n - k) - Math.log(k + 1);
        }
    }
    else {
        l = Math.floor(n / 2 - (zOf(confidence) * Math.sqrt(n)) / 2);
    }
    if (l < 1)
        return undefined;
    return { low: l, high: n + 1 - l };
}

/** Similarity is kept in hundredths: 101 bins, 0.00 … 1.00. */
const SIMILARITY_BINS = 101;
/** Length ratios are kept as log2 in sixteenths over [−4, 4] (a ×2^(1/16) ≈ 4.4 % grid), plus two overflow bins. */
const RATIO_STEPS_PER_OCTAVE = 16;
const RATIO_OCTAVES = 4;
const RATIO_BINS = 2 * RATIO_OCTAVES * RATIO_STEPS_PER_OCTAVE + 3;
/** A tally with nothing in it. */
function emptyTally() {
    const counts = () => ({ both: 0, productionOnly: 0, shadowOnly: 0, neither: 0 });
    return {
        pairs: 0,
        overCap: 0,
        duplicates: 0,
        exact: 0,
        similarity: new Array(SIMILARITY_BINS).fill(0),
        lengthRatio: new Array(RATIO_BINS).fill(0),
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
function normaliseAnswer(text) {
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
function tokens(normalised) {
    return normalised.match(/[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu) ?? [];
}
/**
 * Normalised-text similarity in [0, 1]: the Dice coefficient of the two
 * answers' token multisets (2·shared / (tokens of one + tokens of the other),
 * the token-level F1 of SQuAD's scoring) after normaliseAnswer. Two empty
 * answers are the same answer (1); word order is not compared.
 */
function answerSimilarity(production, shadow) {
    const a = tokens(normaliseAnswer(production));
    const b = tokens(normaliseAnswer(shadow));
    if (!a.length && !b.length)
        return 1;
    const counts = new Map();
    for (const token of a)
        counts.set(token, (counts.get(token) ?? 0) + 1);
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
function isJsonAnswer(text) {
    let body = text.slice(0, MAX_COMPARED_CHARS).trim();
    const fenced = /^```[a-zA-Z0-9_-]*\n([\s\S]*?)\n?```$/.exec(body);
    if (fenced)
        body = fenced[1].trim();
    // A key too long to hash (longJsonKey) is no answer a request asked for: not JSON, and never built.
    if (!/^[[{]/.test(body) || longJsonKey(body) !== undefined)
        return false;
    try {
        const value = JSON.parse(body);
        return typeof value === 'object' && value !== null;
    }
    catch {
        return false;
    }
}
// Openings of an assistant declining, in English, as chat models phrase them. Matched on the
// normalised answer's first 300 characters, so a long answer that later quotes "I can't" is no refusal.
const REFUSAL_PATTERNS = [
    /^(i'm|i am) sorry,? (but )?(i|as an ai)\b/,
    /^(sorry|unfortunately),? (but )?i (can't|cannot|can not|am unable|'m unable|won't|will not|am not able|'m not able)\b/,
    /\bi (can't|cannot|can not|won't|will not|am unable to|'m unable to|am not able to|'m not able to) (help|assist|provide|comply|fulfil|fulfill|do that|answer|support|create|generate|write|share|engage)\b/,
    /\bas an ai( language model| assistant)?,? i (can't|cannot|can not|am not able|'m not able|don't|do not|won't)\b/,
    /^i (must|have to) (decline|refuse)\b/,
];
/** Whether an answer opens as a refusal (REFUSAL_PATTERNS; documented in docs/shadow.md). */
function isRefusal(text) {
    const opening = normaliseAnswer(text.slice(0, 2048)).slice(0, 300);
    return REFUSAL_PATTERNS.some((pattern) => pattern.test(opening));
}
/** Length in code points of the normalised answer. */
function answerLength(text) {
    let n = 0;
    for (const _ of normaliseAnswer(text))
        n += 1;
    return n;
}
/**
 * The length-ratio bin of a pair (shadow length / production length): bin 0
 * holds ratios below 2^−4 (an empty shadow answer among them), the last bin
 * ratios above 2^4 (an answer where production gave none), and the bins
 * between log2 of the ratio rounded down to a sixteenth. Both empty: ratio 1.
 */
function ratioBin(production, shadow) {
    const p = answerLength(production);
    const s = answerLength(shadow);
    if (p === 0 && s === 0)
        return ratioBinOfLog(0);
    if (s === 0)
        return 0;
    if (p === 0)
        return RATIO_BINS - 1;
    return ratioBinOfLog(Math.log2(s / p));
}
function ratioBinOfLog(log) {
    const steps = Math.floor(log * RATIO_STEPS_PER_OCTAVE + 1e-9);
    const span = RATIO_OCTAVES * RATIO_STEPS_PER_OCTAVE;
    if (steps < -span)
        return 0;
    if (steps >= span + 1)
        return RATIO_BINS - 1;
    return steps + span + 1;
}
/** The ratio range a bin covers: [low, high). */
function ratioBinRange(bin) {
    if (bin <= 0)
        return { low: 0, high: 2 ** -RATIO_OCTAVES };
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
function pairOutcome(votes) {
    const { productionFirst, shadowFirst } = votes;
    if (productionFirst === 'unparsed' || shadowFirst === 'unparsed')
        return 'unparsed';
    if (productionFirst === shadowFirst && productionFirst !== 'tie')
        return productionFirst;
    return 'tie';
}
function addPaired(counts, production, shadow) {
    if (production && shadow)
        counts.both += 1;
    else if (production)
        counts.productionOnly += 1;
    else if (shadow)
        counts.shadowOnly += 1;
    else
        counts.neither += 1;
}
/**
 * Tallies one interval's pairs: the first `cap` distinct request ids are
 * compared, the rest counted as over the cap; a request id seen again is a
 * duplicate and not compared twice.
 */
function tallyPairs(pairs, cap) {
    const tally = emptyTally();
    const seen = new Set();
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
        if (pair.production === pair.shadow)
            tally.exact += 1;
        const similarity = answerSimilarity(pair.production, pair.shadow);
        tally.similarity[Math.min(SIMILARITY_BINS - 1, Math.floor(similarity * 100 + 1e-9))] += 1;
        tally.lengthRatio[ratioBin(pair.production, pair.shadow)] += 1;
        addPaired(tally.json, isJsonAnswer(pair.production), isJsonAnswer(pair.shadow));
        addPaired(tally.refusal, isRefusal(pair.production), isRefusal(pair.shadow));
        if (pair.judge)
            tally.judge[pairOutcome(pair.judge)] += 1;
    }
    return tally;
}
/** The sum of two tallies (the shadow so far plus one interval). */
function addTallies(a, b) {
    const sumPaired = (x, y) => ({
        both: x.both + y.both,
        productionOnly: x.productionOnly + y.productionOnly,
        shadowOnly: x.shadowOnly + y.shadowOnly,
        neither: x.neither + y.neither,
    });
    const sumBins = (x, y, size) => Array.from({ length: size }, (_, i) => (x[i] ?? 0) + (y[i] ?? 0));
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

/** The checks modelgate knows, in report order. */
const OUTPUT_CHECKS = [
    'exact_agreement',
    'similarity',
    'json_validity',
    'refusal_rate',
    'length_ratio',
    'judge',
];
/** The limits a check uses when it is listed without them (`similarity: {}`). */
const CHECK_DEFAULTS = {
    exact_agreement: { min: 0.5 },
    similarity: { min: 0.6 },
    json_validity: { max_drop: 0.02 },
    refusal_rate: { max_increase: 0.02 },
    length_ratio: { min: 0.5, max: 2.0 },
    judge: { min: 0.45 },
};
/**
 * The checks that run when `outputs` sets no `checks`: the ones that need no
 * judge and no assumption that answers are deterministic (exact agreement
 * and the judge run only when listed).
 */
const DEFAULT_CHECKS = {
    similarity: CHECK_DEFAULTS.similarity,
    json_validity: CHECK_DEFAULTS.json_validity,
    refusal_rate: CHECK_DEFAULTS.refusal_rate,
    length_ratio: CHECK_DEFAULTS.length_ratio,
};
/** The defaults of `rollout.shadow` (docs/shadow.md). */
const SHADOW_DEFAULTS = {
    mirror: 10,
    duration: '1h',
    interval: '10m',
    then: 'canary',
    sample: 500,
    min_pairs: 100,
    confidence: 0.95,
};
/** The bounds the manifest schema enforces (spec: 10m–7d, 10s–24h). */
const SHADOW_DURATION_MIN_MS = 10 * 60_000;
const SHADOW_DURATION_MAX_MS = 7 * 86_400_000;
/**
 * Fills the defaults of a `shadow` block. The manifest schema bounds every
 * field, so a duration that does not parse here never came from a valid
 * manifest: it falls back to the default, never to something shorter.
 */
function resolveShadowPolicy(block) {
    const durationText = block.duration ?? SHADOW_DEFAULTS.duration;
    const intervalText = block.interval ?? SHADOW_DEFAULTS.interval;
    const parsedDuration = parseRolloutDuration(durationText);
    const durationMs = parsedDuration !== undefined &&
        parsedDuration >= SHADOW_DURATION_MIN_MS &&
        parsedDuration <= SHADOW_DURATION_MAX_MS
        ? parsedDuration
        : parseRolloutDuration(SHADOW_DEFAULTS.duration);
    const intervalMs = parseInterval(intervalText) ?? parseInterval(SHADOW_DEFAULTS.interval);
    return {
        mirror: block.mirror ?? SHADOW_DEFAULTS.mirror,
        durationMs,
        intervalMs,
        then: block.then ?? SHADOW_DEFAULTS.then,
        ...(block.outputs ? { outputs: resolveOutputs(block.outputs) } : {}),
        text: {
            duration: durationMs === parsedDuration ? durationText : SHADOW_DEFAULTS.duration,
            interval: parseInterval(intervalText) !== undefined ? intervalText : SHADOW_DEFAULTS.interval,
        },
    };
}
function resolveOutputs(outputs) {
    return {
        source: outputs.source,
        ...(outputs.replay !== undefined ? { replay: outputs.replay } : {}),
        sample: outputs.sample ?? SHADOW_DEFAULTS.sample,
        minPairs: outputs.min_pairs ?? SHADOW_DEFAULTS.min_pairs,
        confidence: outputs.confidence ?? SHADOW_DEFAULTS.confidence,
        checks: outputs.checks ? resolveChecks(outputs.checks) : DEFAULT_CHECKS,
    };
}
function resolveChecks(checks) {
    const out = {};
    if (checks.exact_agreement)
        out.exact_agreement = { ...CHECK_DEFAULTS.exact_agreement, ...defined(checks.exact_agreement) };
    if (checks.similarity)
        out.similarity = { ...CHECK_DEFAULTS.similarity, ...defined(checks.similarity) };
    if (checks.json_validity)
        out.json_validity = { ...CHECK_DEFAULTS.json_validity, ...defined(checks.json_validity) };
    if (checks.refusal_rate)
        out.refusal_rate = { ...CHECK_DEFAULTS.refusal_rate, ...defined(checks.refusal_rate) };
    if (checks.length_ratio)
        out.length_ratio = { ...CHECK_DEFAULTS.length_ratio, ...defined(checks.length_ratio) };
    if (checks.judge)
        out.judge = { ...CHECK_DEFAULTS.judge, ...defined(checks.judge) };
    return out;
}
/** The fields that are set: `{ min: undefined }` from a parser must not erase a default. */
function defined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
/** How many intervals a shadow of this policy judges: its duration in whole intervals, at least one. */
function shadowIntervalCount(policy) {
    return Math.max(1, Math.ceil(policy.durationMs / policy.intervalMs));
}

const pct$1 = (v) => `${Number((v * 100).toPrecision(3))}%`;
const num$1 = (v) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
/**
 * A verdict from a confidence interval and the acceptable range: pass when
 * the whole interval is inside it, fail when the whole interval is outside,
 * inconclusive when it straddles a limit (the data cannot tell yet).
 */
function verdictOf(interval, limit) {
    const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = limit;
    if (interval.low >= min && interval.high <= max)
        return 'pass';
    if (interval.high < min || interval.low > max)
        return 'fail';
    return 'inconclusive';
}
function ciText(interval, show) {
    return `${show(interval.estimate)} [${show(interval.low)}, ${show(interval.high)}]`;
}
/** The median's order-statistic interval over binned values; `valueAt(bin, side)` gives a bin's conservative edge. */
function binnedMedian(bins, confidence, edge) {
    const n = bins.reduce((a, b) => a + b, 0);
    const ranks = medianRanks(n, confidence);
    const binOfRank = (rank) => {
        let seen = 0;
        for (let i = 0; i < bins.length; i += 1) {
            seen += bins[i];
            if (seen >= rank)
                return i;
        }
        return bins.length - 1;
    };
    const middle = binOfRank(Math.ceil(n / 2));
    const estimate = n ? (edge(middle, 'low') + edge(middle, 'high')) / 2 : Number.NaN;
    if (!ranks)
        return { n, estimate, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
    return { n, estimate, low: edge(binOfRank(ranks.low), 'low'), high: edge(binOfRank(ranks.high), 'high') };
}
/**
 * Judges the outputs compared so far against the policy's checks. Fewer than
 * `min_pairs` pairs (judged pairs, for the judge) is inconclusive whatever
 * the intervals say: a handful of agreeing answers proves nothing.
 */
function judgeOutputs(tally, outputs) {
    const { confidence, minPairs, checks } = outputs;
    const results = [];
    const add = (check, n, interval, limit, method, describe) => {
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
                if (!limit)
                    break;
                const ci = wilsonInterval(tally.exact, n, confidence);
                add(check, n, ci, limit, 'wilson', `identical answers ${ciText(ci, pct$1)}, at least ${pct$1(limit.min)} required`);
                break;
            }
            case 'similarity': {
                const limit = checks.similarity;
                if (!limit)
                    break;
                // Bin i holds similarities in [i/100, (i+1)/100): the lower edge is a lower bound, the upper an upper bound.
                const ci = binnedMedian(tally.similarity, confidence, (bin, side) => side === 'low' ? bin / 100 : Math.min(1, (bin + (bin === SIMILARITY_BINS - 1 ? 0 : 1)) / 100));
                add(check, n, ci, limit, 'order-statistic', `median similarity ${ciText(ci, num$1)}, at least ${limit.min} required`);
                break;
            }
            case 'json_validity': {
                const limit = checks.json_validity;
                if (!limit)
                    break;
                const ci = pairedDifferenceInterval(tally.json, confidence);
                add(check, n, ci, { min: -limit.max_drop }, 'newcombe-paired', `JSON answers, shadow minus production ${ciText(ci, pct$1)}, a drop of at most ${pct$1(limit.max_drop)} allowed`);
                break;
            }
            case 'refusal_rate': {
                const limit = checks.refusal_rate;
                if (!limit)
                    break;
                const ci = pairedDifferenceInterval(tally.refusal, confidence);
                add(check, n, ci, { max: limit.max_increase }, 'newcombe-paired', `refusals, shadow minus production ${ciText(ci, pct$1)}, a rise of at most ${pct$1(limit.max_increase)} allowed`);
                break;
            }
            case 'length_ratio': {
                const limit = checks.length_ratio;
                if (!limit)
                    break;
                const ci = binnedMedian(tally.lengthRatio, confidence, (bin, side) => ratioBinRange(bin)[side]);
                add(check, n, ci, limit, 'order-statistic', `median length ratio (shadow / production) ${ciText(ci, num$1)}, between ${limit.min} and ${limit.max} required`);
                break;
            }
            case 'judge': {
                const limit = checks.judge;
                if (!limit)
                    break;
                const { shadow, production, tie, unparsed } = tally.judge;
                const judged = shadow + production + tie;
                const ci = wilsonInterval(shadow + tie / 2, judged, confidence);
                const unparsedText = unparsed
                    ? `; ${unparsed} pair(s) with a reply that did not parse, not counted`
                    : '';
                add(check, judged, ci, limit, 'wilson', `shadow's share of judged pairs (wins ${shadow}, ties ${tie}, losses ${production}) ${ciText(ci, pct$1)}, at least ${pct$1(limit.min)} required${unparsedText}`);
                break;
            }
        }
    }
    return { verdict: overall(results), reason: overallReason(results, tally, minPairs), checks: results };
}
function overall(checks) {
    if (checks.some((c) => c.verdict === 'fail'))
        return 'fail';
    if (!checks.length || checks.some((c) => c.verdict === 'inconclusive'))
        return 'inconclusive';
    return 'pass';
}
function overallReason(checks, tally, minPairs) {
    if (!checks.length)
        return 'no output check is configured';
    const failed = checks.filter((c) => c.verdict === 'fail').map((c) => c.check);
    if (failed.length)
        return `output check(s) failed: ${failed.join(', ')}`;
    const open = checks.filter((c) => c.verdict === 'inconclusive').map((c) => c.check);
    if (tally.pairs < minPairs)
        return `${tally.pairs} pair(s) compared, fewer than min_pairs ${minPairs}`;
    if (open.length)
        return `output check(s) inconclusive: ${open.join(', ')}`;
    return `every output check passed on ${tally.pairs} pair(s)`;
}

/** More lines than this is not a sample: refused rather than read. */
const MAX_PAIR_LINES = 1_000_000;
/** One answer longer than this (characters) is refused: no model answers a megabyte at once. */
const MAX_ANSWER_CHARS = 1024 * 1024;
/** Named problems shown for a malformed file (the count says how many more). */
const SHOWN_PROBLEMS = 10;
const VOTES = new Set(['production', 'shadow', 'tie', 'unparsed']);
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A malformed pairs file: every problem names its line (the first ten are shown, the rest counted). */
class PairsFileError extends MalformedFileError {
    problems;
    constructor(file, problems) {
        const shown = problems.slice(0, SHOWN_PROBLEMS).join('; ');
        const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '';
        super(file, `${shown}${more}`, 'One JSON object a line: {"id", "production", "shadow"} or {"id", "role": "production"|"shadow", "output"} (modelgate shadow --help).');
        this.problems = problems;
    }
}
/**
 * Reads a JSONL file of shadow outputs, one JSON object a line, in either shape:
 * a pair, `{"id", "production", "shadow", "at"?, "judge"?: {"production_first", "shadow_first"}}`,
 * or one answer, `{"id", "role": "production"|"shadow", "output", "at"?}`, joined
 * with the other side's line of the same id. Blank lines are skipped. Any
 * malformed line makes the whole file unusable (fail closed): the error names
 * every bad line by number, with the fix.
 */
function readPairsJsonl(text, file) {
    const problems = [];
    const pairs = [];
    const halves = new Map();
    const lines = text.split('\n');
    if (lines.length > MAX_PAIR_LINES)
        throw new PairsFileError(file, [`more than ${MAX_PAIR_LINES} lines; sample the outputs first`]);
    lines.forEach((raw, index) => {
        const line = index + 1;
        if (!raw.trim())
            return;
        const longKey = longJsonKey(raw);
        if (longKey !== undefined) {
            problems.push(`line ${line}: ${longKeyProblem(longKey)}`);
            return;
        }
        let value;
        try {
            value = JSON.parse(raw);
        }
        catch {
            problems.push(`line ${line} is not JSON`);
            return;
        }
        if (!isObject(value)) {
            problems.push(`line ${line} is not a JSON object`);
            return;
        }
        const id = value.id;
        if ((typeof id !== 'string' || !id) && typeof id !== 'number') {
            problems.push(`line ${line} needs "id" (the request id both answers share)`);
            return;
        }
        const key = String(id);
        if (key.length > MAX_HASHED_CHARACTERS) {
            problems.push(`line ${line}: ${longIdProblem(key.length)}`);
            return;
        }
        const at = readTime(value.at);
        if (at === null) {
            problems.push(`line ${line}: "at" must be an ISO time such as 2026-11-22T10:00:00Z`);
            return;
        }
        if ('role' in value) {
            const role = value.role;
            if (role !== 'production' && role !== 'shadow') {
                problems.push(`line ${line}: "role" must be "production" or "shadow"`);
                return;
            }
            if (typeof value.output !== 'string' || value.output.length > MAX_ANSWER_CHARS) {
                problems.push(`line ${line} needs "output": the answer as a string of at most ${MAX_ANSWER_CHARS} characters`);
                return;
            }
            const half = halves.get(key) ?? { line };
            if (half[role] !== undefined) {
                problems.push(`line ${line}: a second ${role} answer for id ${JSON.stringify(key).slice(0, 80)} (first on line ${half.line})`);
                return;
            }
            half[role] = value.output;
            if (at !== undefined && (role === 'production' || half.at === undefined))
                half.at = at;
            halves.set(key, half);
            return;
        }
        const { production, shadow } = value;
        if (typeof production !== 'string' || typeof shadow !== 'string') {
            problems.push(`line ${line} needs "production" and "shadow" (the two answers as strings), or "role" and "output"`);
            return;
        }
        if (production.length > MAX_ANSWER_CHARS || shadow.length > MAX_ANSWER_CHARS) {
            problems.push(`line ${line}: an answer longer than ${MAX_ANSWER_CHARS} characters`);
            return;
        }
        const judge = readJudge(value.judge);
        if (judge === null) {
            problems.push(`line ${line}: "judge" must be {"production_first": V, "shadow_first": V} with V one of production, shadow, tie, unparsed`);
            return;
        }
        pairs.push({
            id: key,
            production,
            shadow,
            ...(at !== undefined ? { at } : {}),
            ...(judge ? { judge } : {}),
        });
    });
    if (problems.length)
        throw new PairsFileError(file, problems);
    let unmatched = 0;
    for (const [id, half] of halves) {
        if (half.production === undefined || half.shadow === undefined)
            unmatched += 1;
        else
            pairs.push({
                id,
                production: half.production,
                shadow: half.shadow,
                ...(half.at !== undefined ? { at: half.at } : {}),
            });
    }
    return { pairs, unmatched };
}
/** undefined: absent; null: present and not a time. */
function readTime(value) {
    if (value === undefined)
        return undefined;
    if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value))
        return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
}
function readJudge(value) {
    if (value === undefined)
        return undefined;
    if (!isObject(value))
        return null;
    const first = value.production_first;
    const second = value.shadow_first;
    if (typeof first !== 'string' || typeof second !== 'string' || !VOTES.has(first) || !VOTES.has(second))
        return null;
    return { productionFirst: first, shadowFirst: second };
}

/** How many of the latest serving intervals keep their full evidence (for the report). */
const RECENT_SERVING = 3;
/** How many interval summaries the record keeps (the newest; older ones are counted in the tallies). */
const HISTORY_LIMIT = 48;
/** The record of a shadow that has not been judged yet. */
function newShadowRecord() {
    return {
        phase: 'shadow',
        judged: 0,
        serving: { passed: 0, failed: 0, inconclusive: 0, errors: 0, consecutiveErrors: 0 },
        recent: [],
        sourceErrors: 0,
        history: [],
    };
}
const count = number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max) => string().max(max);
const verdict = verdictSchema;
const interval = intervalResultSchema(100);
const paired = strictObject({ both: count, productionOnly: count, shadowOnly: count, neither: count });
const tally = strictObject({
    pairs: count,
    overCap: count,
    duplicates: count,
    exact: count,
    similarity: array(count).length(SIMILARITY_BINS),
    lengthRatio: array(count).length(RATIO_BINS),
    json: paired,
    refusal: paired,
    judge: strictObject({ shadow: count, production: count, tie: count, unparsed: count }),
});
/** The shape a ShadowRecord read back from a comment must have: bounded everywhere. */
strictObject({
    phase: _enum(['shadow', 'canary']),
    judged: count,
    serving: strictObject({
        passed: count,
        failed: count,
        inconclusive: count,
        errors: count,
        consecutiveErrors: count,
    }),
    recent: array(interval).max(RECENT_SERVING),
    outputs: tally.optional(),
    sourceErrors: count,
    lastSourceError: text(512).optional(),
    history: array(strictObject({
        at: text(64),
        serving: verdict,
        pairs: count,
        outputs: _enum(['pass', 'fail', 'inconclusive', 'error', 'none']),
    }))
        .max(HISTORY_LIMIT),
    outcome: strictObject({ verdict: _enum(['pass', 'fail', 'inconclusive']), reason: text(2048), at: text(64) })
        .optional(),
});

/** Fewer points than this in a query's range make a rate() unreliable (as for the canary). */
const POINTS_PER_INTERVAL = 20;
const MIN_QUERY_STEP_SECONDS = 15;
/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
/** The shadow's record in a state, or a fresh one when the state has none yet. */
function shadowRecordOf(state) {
    return state.shadow ?? newShadowRecord();
}
/**
 * Whether the rollout is in its shadow phase. After a passing shadow with
 * `then: canary` the record's phase is `canary`: the state keeps
 * `strategy: 'shadow'` and its record, and the canary's own planner
 * (nextJudgment / planCanaryStep) runs the steps.
 */
function inShadowPhase(state) {
    return state.strategy === 'shadow' && shadowRecordOf(state).phase === 'shadow';
}
/**
 * The next shadow interval, or undefined when there is nothing to judge now:
 * finished, paused, waiting for the deployer, or handed over to the canary.
 * Intervals are counted from the shadow's start (state.stepStartedAt), so a
 * late judgment never shifts the ones after it.
 */
function nextShadowJudgment(state, policy) {
    if (state.status !== 'running' || state.awaiting !== undefined || state.paused)
        return undefined;
    if (!inShadowPhase(state))
        return undefined;
    const resolved = resolveShadowPolicy(policy);
    const record = shadowRecordOf(state);
    if (record.judged >= shadowIntervalCount(resolved))
        return undefined;
    const start = Date.parse(state.stepStartedAt);
    if (!Number.isFinite(start))
        return undefined;
    const length = resolved.intervalMs;
    const due = start + length * (record.judged + 1);
    return {
        due: new Date(due),
        start: new Date(due - length),
        end: new Date(due),
        step: Math.max(MIN_QUERY_STEP_SECONDS, Math.round(length / 1000 / POINTS_PER_INTERVAL)),
    };
}
function countServing(tally, result) {
    if (!result)
        return tally;
    const next = { ...tally };
    if (result.verdict === 'pass')
        next.passed += 1;
    else if (result.verdict === 'fail')
        next.failed += 1;
    else if (result.verdict === 'error')
        next.errors += 1;
    else
        next.inconclusive += 1;
    next.consecutiveErrors = result.verdict === 'error' ? tally.consecutiveErrors + 1 : 0;
    return next;
}
/**
 * Where the serving metrics stand, by the canary's rules (failure_limit,
 * default 0; consecutive_error_limit, default 4). At the end they pass only
 * when at least half the shadow's intervals were judged (pass or fail): a
 * shadow whose metrics were mostly silent proves nothing.
 */
function servingStatus(tally, canary, intervals, finished) {
    const failureLimit = canary.failure_limit ?? 0;
    const errorLimit = canary.consecutive_error_limit ?? 4;
    if (tally.failed > failureLimit)
        return {
            verdict: 'fail',
            reason: `serving metrics: ${tally.failed} failed interval(s), more than failure_limit ${failureLimit}`,
        };
    if (tally.consecutiveErrors > errorLimit)
        return {
            verdict: 'fail',
            reason: `serving metrics: ${tally.consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}`,
        };
    if (!finished)
        return { verdict: 'running', reason: 'serving metrics within the limits so far' };
    const judged = tally.passed + tally.failed;
    const needed = Math.max(1, Math.ceil(intervals / 2));
    if (judged < needed)
        return {
            verdict: 'inconclusive',
            reason: `serving metrics: ${judged} of ${intervals} interval(s) judged, at least ${needed} needed`,
        };
    return {
        verdict: 'pass',
        reason: `serving metrics: ${judged} interval(s) judged, ${tally.failed} failed (failure_limit ${failureLimit})`,
    };
}
/**
 * Plans one judgment of a running shadow: judges the serving metrics of the
 * interval that is due with the canary's judge (shadow vs production), adds
 * the interval's pairs to the outputs so far and judges them, and decides.
 * A failure of either fails the shadow at once; at the end of `duration` a
 * pass hands over to the canary's first step (`then: canary`) or promotes
 * (`then: promote`), and anything short of a pass fails closed. Pure; not
 * due plans nothing, so a duplicate or early job is harmless.
 */
function planShadowStep(state, policy, canary, data, now, options) {
    const window = nextShadowJudgment(state, policy);
    if (!window)
        return { kind: 'not-due' };
    if (now.getTime() < window.due.getTime())
        return { kind: 'not-due', due: window.due };
    const resolved = resolveShadowPolicy(policy);
    const at = window.due.toISOString();
    const before = shadowRecordOf(state);
    const metrics = canary?.metrics?.length ? canary.metrics : undefined;
    const serving = metrics ? judgeInterval(metrics, data.metrics, canary, at) : undefined;
    const record = {
        ...before,
        judged: before.judged + 1,
        serving: countServing(before.serving, serving),
        recent: serving ? [...before.recent, serving].slice(-RECENT_SERVING) : before.recent,
    };
    let outputs;
    let pairs = 0;
    let sourceFailed = false;
    if (resolved.outputs) {
        let tally = before.outputs ?? emptyTally();
        if (!data.outputs || 'error' in data.outputs) {
            sourceFailed = true;
            record.sourceErrors = before.sourceErrors + 1;
            record.lastSourceError = (data.outputs && 'error' in data.outputs ? data.outputs.error : 'no outputs were read').slice(0, 512);
        }
        else {
            const interval = tallyPairs(data.outputs.pairs, resolved.outputs.sample);
            pairs = interval.pairs;
            tally = addTallies(tally, interval);
        }
        record.outputs = tally;
        outputs = judgeOutputs(tally, resolved.outputs);
    }
    record.history = [
        ...before.history,
        {
            at,
            serving: serving?.verdict ?? 'inconclusive',
            pairs,
            outputs: sourceFailed ? 'error' : (outputs?.verdict ?? 'none'),
        },
    ].slice(-HISTORY_LIMIT);
    const total = shadowIntervalCount(resolved);
    const finished = record.judged >= total;
    const outcome = decideShadow(record, resolved, canary, outputs, finished, total, at);
    const next = { ...state, shadow: record };
    const release = `${state.model} ${state.version}`;
    const effects = [];
    let decision;
    if (!outcome) {
        decision = { action: 'wait', reason: `${record.judged} of ${total} shadow interval(s) judged` };
    }
    else if (outcome.verdict === 'pass') {
        record.outcome = outcome;
        if (resolved.then === 'promote') {
            decision = { action: 'promote', reason: outcome.reason };
            next.status = 'promoted';
            effects.push({ kind: 'promote' }, {
                kind: 'complete-check',
                conclusion: 'success',
                title: `${release} promoted after its shadow`,
                summary: outcome.reason,
            });
        }
        else {
            const steps = canary?.steps?.length ? canary.steps : DEFAULT_STEPS;
            const weight = steps[0];
            record.phase = 'canary';
            decision = { action: 'advance', weight, reason: `the shadow passed: ${outcome.reason}` };
            effects.push({
                kind: 'deploy-step',
                environment: state.environment,
                weight,
                description: `Shadow passed; shift ${release} to ${weight}%`.slice(0, DESCRIPTION_LIMIT),
            });
        }
    }
    else {
        record.outcome = outcome;
        next.status = 'failed';
        const reason = outcome.verdict === 'inconclusive' ? `inconclusive, so not a pass: ${outcome.reason}` : outcome.reason;
        decision = { action: 'rollback', reason };
        effects.push(...outOfTraffic(state, `shadow failed: ${reason}`), { kind: 'open-revert', autoMerge: options.autoMerge }, { kind: 'complete-check', conclusion: 'failure', title: `${release}: shadow failed`, summary: reason });
    }
    effects.push({ kind: 'save-state' });
    return { kind: 'judged', state: next, decision, effects };
}
/** The shadow's outcome after this interval, or undefined while it keeps running. */
function decideShadow(record, policy, canary, outputs, finished, total, at) {
    const hasMetrics = Boolean(canary?.metrics?.length);
    if (!hasMetrics && !policy.outputs)
        return {
            verdict: 'inconclusive',
            reason: 'the shadow compares nothing: the manifest has no canary.metrics and no rollout.shadow.outputs',
            at,
        };
    const serving = hasMetrics ? servingStatus(record.serving, canary, total, finished) : undefined;
    if (serving?.verdict === 'fail')
        return { verdict: 'fail', reason: serving.reason, at };
    if (outputs?.verdict === 'fail')
        return { verdict: 'fail', reason: outputs.reason, at };
    if (!finished)
        return undefined;
    const reasons = [serving?.reason, outputs ? `outputs: ${outputs.reason}` : undefined].filter((r) => r !== undefined);
    const reason = reasons.join('; ');
    if (serving && serving.verdict !== 'pass')
        return { verdict: 'inconclusive', reason, at };
    if (outputs && outputs.verdict !== 'pass')
        return { verdict: 'inconclusive', reason, at };
    return { verdict: 'pass', reason, at };
}

const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    error: '⛔ error',
    none: '—',
};
const num = (v) => Number.isNaN(v) ? '—' : Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : v > 0 ? '∞' : '−∞';
const pct = (v) => (Number.isNaN(v) ? '—' : `${Number((v * 100).toPrecision(3))}%`);
const CHECK_LABEL = {
    exact_agreement: 'exact agreement',
    similarity: 'similarity (median)',
    json_validity: 'JSON answers (shadow − production)',
    refusal_rate: 'refusals (shadow − production)',
    length_ratio: 'length ratio (median)',
    judge: 'LLM judge (shadow share)',
};
const METHOD = {
    wilson: 'Wilson',
    'newcombe-paired': 'Newcombe, paired',
    'order-statistic': 'order statistics',
};
function limitText(check, show) {
    const { min, max } = check.limit;
    if (min !== undefined && max !== undefined)
        return `${show(min)} … ${show(max)}`;
    if (min !== undefined)
        return `≥ ${show(min)}`;
    if (max !== undefined)
        return `≤ ${show(max)}`;
    return '—';
}
function checkRow(check, confidence) {
    const show = check.check === 'similarity' || check.check === 'length_ratio' ? num : pct;
    return `| ${CHECK_LABEL[check.check]} | ${check.n} | ${show(check.estimate)} | [${show(check.low)}, ${show(check.high)}] (${Math.round(confidence * 1000) / 10}%, ${METHOD[check.method]}) | ${limitText(check, show)} | ${ICON[check.verdict]} |`;
}
/**
 * The shadow's part of the sticky comment: where it stands, the output
 * checks with their confidence intervals, the latest serving metrics, and
 * the decision. Everything a source or a metric wrote goes through
 * inertMarkdown; no answer or prompt is ever shown (the record holds none).
 */
function renderShadowSection(state, policy) {
    const resolved = resolveShadowPolicy(policy);
    const record = shadowRecordOf(state);
    const total = shadowIntervalCount(resolved);
    const out = [
        `### Shadow: ${inertMarkdown(state.model)} ${inertMarkdown(state.version)}${state.baselineVersion ? ` vs production ${inertMarkdown(state.baselineVersion)}` : ''}`,
        '',
    ];
    const progress = `${record.judged} of ${total} interval(s) of ${resolved.text.interval} judged · ${resolved.mirror}% of requests mirrored · then ${resolved.then}`;
    if (record.outcome) {
        const head = record.outcome.verdict === 'pass'
            ? '✅ passed'
            : record.outcome.verdict === 'fail'
                ? '❌ failed'
                : '⚠️ inconclusive (fails closed)';
        out.push(`**${head}**: ${inertMarkdown(record.outcome.reason)}`, '', progress, '');
    }
    else {
        out.push(`**⏳ running**: ${progress}`, '');
    }
    if (resolved.outputs) {
        const tally = record.outputs;
        if (tally) {
            const verdict = judgeOutputs(tally, resolved.outputs);
            out.push(`#### Outputs: ${ICON[verdict.verdict]} (${inertMarkdown(verdict.reason)})`, '', `${tally.pairs} pair(s) compared${tally.overCap ? `, ${tally.overCap} over the sampling cap of ${resolved.outputs.sample} per interval` : ''}${tally.duplicates ? `, ${tally.duplicates} duplicate request id(s) ignored` : ''}; source ${resolved.outputs.source}.`, '', '| check | n | estimate | confidence interval | limit | verdict |', '|---|---|---|---|---|---|', ...verdict.checks.map((c) => checkRow(c, resolved.outputs.confidence)), '');
        }
        else {
            out.push('#### Outputs: no pairs yet', '');
        }
        if (record.sourceErrors)
            out.push(`⛔ the output source failed in ${record.sourceErrors} interval(s)${record.lastSourceError ? `; latest: ${inertMarkdown(record.lastSourceError)}` : ''}`, '');
    }
    const latest = record.recent.at(-1);
    if (latest) {
        out.push(`#### Serving metrics, interval ending ${inertMarkdown(latest.at)}: ${ICON[latest.verdict]}`, '', `Intervals so far: ${record.serving.passed} passed, ${record.serving.failed} failed, ${record.serving.inconclusive} inconclusive, ${record.serving.errors} with errors.`, '', '| metric | shadow | production | p | verdict |', '|---|---|---|---|---|', ...latest.measurements.map((m) => `| ${inertMarkdown(m.metric)} | ${m.canary ? `${num(m.canary.median)} (n=${m.canary.n})` : '—'} | ${m.baseline ? `${num(m.baseline.median)} (n=${m.baseline.n})` : '—'} | ${m.test ? m.test.p.toPrecision(2) : '—'} | ${ICON[m.verdict]}: ${inertMarkdown(m.reason)} |`), '');
    }
    if (record.history.length > 1) {
        out.push('| interval | serving | pairs | outputs so far |', '|---|---|---|---|');
        for (const h of record.history)
            out.push(`| ${inertMarkdown(h.at)} | ${ICON[h.serving]} | ${h.pairs} | ${ICON[h.outputs]} |`);
        out.push('');
    }
    out.push(`Decision: ${decisionText(state, resolved.then)}`, '');
    return out.join('\n');
}
function decisionText(state, then) {
    const record = shadowRecordOf(state);
    if (!record.outcome)
        return '**⏳ keep watching**';
    if (record.outcome.verdict !== 'pass')
        return '**↩️ roll back (revert pull request)**';
    return then === 'promote' ? '**🚀 promote to production**' : '**➡️ hand over to the canary steps**';
}

/** Where a recording with no time in it starts: any fixed time will do, intervals are relative. */
const UNTIMED_START = Date.UTC(2000, 0, 1);
/** `modelgate shadow analyze`: the app's shadow analysis on recorded answers (and metrics). */
async function runShadow(args, out) {
    requireAnalyze(args, 'shadow', 'modelgate shadow analyze --pairs FILE.jsonl');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const pairsFile = stringOf(args, 'pairs');
    if (!pairsFile)
        throw new CommandError('--pairs FILE is required', 'Record the answers as described in modelgate shadow --help.');
    const root = stringOf(args, 'root') ?? '.';
    const recorded = await readPairs(pairsFile, root);
    const metricsFile = stringOf(args, 'metrics');
    const metrics = metricsFile
        ? await readUserJsonFile({
            path: metricsFile,
            label: `--metrics ${metricsFile}`,
            root,
            maxBytes: RECORDING_MAX_BYTES,
            read: readRecordedCanary,
            fix: 'Record the serving metrics as described in modelgate canary --help.',
        })
        : undefined;
    const name = stringOf(args, 'model') ?? metrics?.model;
    if (!name)
        throw new CommandError('which model? Pass --model NAME (or put "model" in the --metrics file)');
    const found = await findModelManifest(args, name);
    if (!found)
        throw new CommandError(`no manifest of ${name} under ${resolve(stringOf(args, 'root') ?? '.')}`, 'Pass --root DIR of the registry, or --model NAME.');
    const manifest = found.manifest;
    const policy = shadowPolicyOf(manifest, found.path);
    const resolved = resolveShadowPolicy(policy);
    const total = shadowIntervalCount(resolved);
    const firstTimed = recorded.pairs.reduce((min, p) => (p.at !== undefined && (min === undefined || p.at < min) ? p.at : min), undefined);
    const metricsStart = metrics?.intervals[0]
        ? Date.parse(metrics.intervals[0].at) - resolved.intervalMs
        : Number.NaN;
    const start = Number.isFinite(metricsStart) ? metricsStart : (firstTimed ?? UNTIMED_START);
    let state = {
        v: 1,
        model: name,
        version: metrics?.canaryVersion ?? manifest.version,
        ref: `${name}@v${manifest.version}`,
        sha: '0'.repeat(40),
        manifest: found.path,
        trigger: 'recorded',
        pr: 1,
        environment: 'canary',
        productionEnvironment: 'production',
        ...(metrics?.baselineVersion ? { baselineVersion: metrics.baselineVersion } : {}),
        deploymentId: 1,
        weight: 0,
        stepStartedAt: new Date(start).toISOString(),
        intervals: [],
        status: 'running',
        strategy: 'shadow',
        shadow: newShadowRecord(),
    };
    const untimed = recorded.pairs.filter((p) => p.at === undefined);
    const cap = resolved.outputs?.sample ?? 0;
    let decision;
    for (let index = 0; index < total; index += 1) {
        const window = nextShadowJudgment(state, policy);
        if (!window)
            break;
        const inWindow = recorded.pairs.filter((p) => p.at !== undefined && p.at >= window.start.getTime() && p.at < window.end.getTime());
        const pairs = [...inWindow, ...untimed.slice(index * cap, (index + 1) * cap)];
        const step = planShadowStep(state, policy, metrics ? manifest.canary : undefined, { metrics: metrics?.intervals[index]?.data ?? [], outputs: { pairs } }, window.due, { autoMerge: false });
        if (step.kind !== 'judged')
            break;
        state = step.state;
        decision = step.decision;
        if (state.status !== 'running' || state.shadow?.phase !== 'shadow')
            break;
    }
    const record = state.shadow;
    const report = {
        model: name,
        version: state.version,
        ...(state.baselineVersion ? { productionVersion: state.baselineVersion } : {}),
        servingJudged: metrics !== undefined,
        unmatchedAnswers: recorded.unmatched,
        ...(decision ? { decision } : {}),
        record,
        ...(resolved.outputs && record.outputs
            ? { outputs: judgeOutputs(record.outputs, resolved.outputs) }
            : {}),
    };
    out.stdout(format === 'json'
        ? `${inertJson(report)}\n`
        : format === 'markdown'
            ? renderShadowSection(state, policy)
            : shadowText(report));
    if (!metrics)
        out.stderr('modelgate: the serving metrics were not judged (no --metrics): only the answers were compared\n');
    if (recorded.unmatched)
        out.stderr(`modelgate: ${recorded.unmatched} answer(s) in ${inertText(pairsFile)} had no partner with the same id and were not compared\n`);
    const passed = record.outcome?.verdict === 'pass';
    if (!passed && record.outcome?.verdict !== 'fail')
        out.stderr(`modelgate: the shadow did not pass: ${inertText(record.outcome?.reason ?? `${record.judged} of ${total} interval(s) judged`)} (not enough evidence)\n`);
    return passed ? 0 : 1;
}
/** The `--pairs` JSONL file: read under the same rule as every file named on the command line, every malformed line named. */
async function readPairs(file, root) {
    const label = `--pairs ${file}`;
    const bytes = await readUserFile({
        path: file,
        label,
        root,
        maxBytes: PAIRS_MAX_BYTES,
        fix: 'Sample the outputs first (outputs.sample pairs per interval are all the analysis reads).',
    });
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new CommandError(`${label} cannot be used: not UTF-8 text`, 'Write the file as UTF-8 JSON lines.');
    }
    try {
        return readPairsJsonl(text, file);
    }
    catch (error) {
        if (!(error instanceof MalformedFileError))
            throw error;
        throw new CommandError(`${label} cannot be used: ${error.problem}`, error.fix);
    }
}
/** The manifest's shadow policy; a manifest that does not roll out as a shadow with outputs cannot judge answers. */
function shadowPolicyOf(manifest, path) {
    const rollout = manifest.rollout;
    if (rollout?.strategy !== 'shadow')
        throw new CommandError(`${path}: ${manifest.name} does not roll out as a shadow (rollout.strategy is ${rollout?.strategy ?? 'canary, the default'})`, 'Set rollout.strategy: shadow with a rollout.shadow block (docs/shadow.md).');
    const policy = rollout.shadow ?? {};
    if (!policy.outputs)
        throw new CommandError(`${path}: rollout.shadow has no outputs block, so the answers in --pairs would not be judged`, 'Add rollout.shadow.outputs (source and checks, docs/shadow.md).');
    return policy;
}
function shadowText(report) {
    const { record } = report;
    const verdict = record.outcome ? record.outcome.verdict : 'running';
    const lines = [
        `shadow ${inertText(report.model)} ${inertText(report.version)}${report.productionVersion ? ` vs ${inertText(report.productionVersion)}` : ''}: ${verdict}${record.outcome ? ` (${inertText(record.outcome.reason)})` : ''}`,
    ];
    for (const h of record.history)
        lines.push(`  ${inertText(h.at)}  serving ${h.serving.padEnd(12)} pairs ${String(h.pairs).padStart(5)}  outputs so far ${h.outputs}`);
    for (const c of report.outputs?.checks ?? [])
        lines.push(`    ${c.verdict.padEnd(12)} ${c.check}: ${inertText(c.reason)}`);
    if (report.decision)
        lines.push(`  next: ${report.decision.action} (${inertText(report.decision.reason)})`);
    return `${lines.join('\n')}\n`;
}

export { runShadow };
