import { H as HARNESS_DIRECTIONS, a as readSamplesJsonl, r as readResultsFile, p as parsePythonJson, b as attachHarnessSamples, M as MAX_SAMPLE_LINES } from './results-BkNxfSbQ.js';
import { z as zTest, s as samplesToSettle, c as stderrToSettle, m as mcnemar, p as pairedBootstrap } from './user-file-0rc-qr69.js';
import { j as jsonEqual } from './json-equal-DyaeKnIb.js';
import { f as decodeUtf8, h as formatBytes } from './yaml-document-D8lQUcRd.js';
import { a as resolveArtifactPath } from './state-AWNhEueb.js';
import { p as parseJsonFile, M as MalformedFileError } from './user-file-error-DMsF1t5K.js';

/** `arc_easy/acc_norm` -> `acc_norm`; `gsm8k/exact_match,strict-match` -> `exact_match`. */
function metricKey(name) {
    const afterTask = name.slice(name.lastIndexOf('/') + 1);
    return afterTask.split(',')[0] ?? afterTask;
}
const word = (higher) => (higher ? 'higher is better' : 'lower is better');
/**
 * Which way is "worse" for a metric. The trusted side decides, in this order:
 * the gate in the baseline's manifest, the baseline's results file, the
 * harness's registered default. Only when none of them says anything may
 * the candidate's gate decide; otherwise higher is better. The candidate's
 * results file never decides (a pull request could flip a drop into a gain):
 * when it, or the candidate's gate, disagrees with the direction used, the
 * disagreement is returned so the gate can say so.
 */
function metricDirection(statements) {
    const key = metricKey(statements.metric);
    const trusted = [
        [statements.baselineGate, "the gate in the baseline's manifest"],
        [statements.baseline?.higherIsBetter, `the baseline's results (${statements.baseline?.source})`],
        [HARNESS_DIRECTIONS.get(key), `lm-evaluation-harness's default for ${key}`],
    ];
    let higherIsBetter = statements.candidateGate ?? true;
    let source = 'the gate';
    if (statements.candidateGate === undefined && trusted.every(([stated]) => stated === undefined)) {
        // The candidate's own results may not decide how they are judged, so they cannot fill the gap.
        const claimed = statements.candidate?.higherIsBetter;
        const claim = claimed === undefined
            ? ''
            : ` (the candidate's results say ${word(claimed)}, but they cannot decide how they are judged)`;
        return {
            higherIsBetter,
            source: 'nothing',
            unstated: `nothing states whether higher or lower is better for ${statements.metric}: not the baseline's gate or results, and lm-evaluation-harness has no default for ${key}${claim}; add higher_is_better to the gate`,
        };
    }
    for (const [stated, who] of trusted) {
        if (stated === undefined)
            continue;
        higherIsBetter = stated;
        source = who;
        break;
    }
    const claims = [
        [statements.candidateGate, 'the gate says'],
        [statements.candidate?.higherIsBetter, `the candidate's results (${statements.candidate?.source}) say`],
    ];
    const disagreeing = claims.filter(([stated]) => stated !== undefined && stated !== higherIsBetter);
    return {
        higherIsBetter,
        source,
        ...(disagreeing.length
            ? {
                overruled: `${disagreeing.map(([, who]) => who).join(' and ')} ${word(!higherIsBetter)}, but ${source} says ${word(higherIsBetter)}: judged as ${word(higherIsBetter)}`,
            }
            : {}),
    };
}

/** Metrics scored 0 or 1 per document (lm-evaluation-harness, the runner): the value and n fix the stderr. */
const ZERO_ONE = new Set(['acc', 'acc_norm', 'acc_mutual_info', 'exact_match', 'accuracy']);
/** Metrics scored between 0 and 1 per document: the value and n cap the stderr. */
const UNIT_INTERVAL = new Set([...ZERO_ONE, 'acc_all', 'mc1', 'mc2']);
/** Slack for rounding and the harness's bootstrap noise above the exact cap. */
const CEILING_SLACK = 1.05;
/**
 * A 0/1 task's stderr is sqrt(p(1-p)/(n-1)) exactly; a pooled group's is
 * smaller. Below half of it (a quarter of the variance) is not a rounding.
 */
const FLOOR_SHARE = 0.5;
/** Larger than this many times the value (or 1) is no standard error of a mean. */
const HUGE = 1e3;
const fmt$1 = (v) => Number(v.toPrecision(3)).toString();
/**
 * Why a stated standard error cannot be used, or undefined when it can.
 * A standard error is a finite number ≥ 0; for a score between 0 and 1 per
 * document at most sqrt(v(1-v)/(n-1)) (a variable in [0, 1] with mean v has
 * variance at most v(1-v)), at most 0.5 when n is unknown; for 0/1 scores of
 * one task at least half of that; and never astronomically larger than the
 * value. `who` names the side: "the candidate", "the baseline".
 */
function stderrProblem(series, who) {
    const se = series.stderr;
    if (se === undefined)
        return undefined;
    const what = `${who}'s stderr of ${series.name}`;
    if (Number.isNaN(se))
        return `${what} is not a number (NaN, Infinity or null in the file)`;
    if (!Number.isFinite(se))
        return `${what} is ${se}, not a finite number`;
    if (se < 0)
        return `${what} is ${fmt$1(se)}; a standard error is never negative`;
    const value = series.value;
    if (se > HUGE * Math.max(1, Math.abs(value)))
        return `${what} is ${fmt$1(se)}, implausibly large for a value of ${fmt$1(value)}`;
    const key = metricKey(series.name);
    if (!UNIT_INTERVAL.has(key) || value < 0 || value > 1)
        return undefined;
    const n = series.n;
    if (n === undefined || n < 2) {
        return se > 0.5
            ? `${what} is ${fmt$1(se)}, more than any score between 0 and 1 can have (at most 0.5)`
            : undefined;
    }
    const exact = Math.sqrt((value * (1 - value)) / (n - 1));
    if (se > exact * CEILING_SLACK + 1e-9)
        return `${what} is ${fmt$1(se)}, more than scores between 0 and 1 averaging ${fmt$1(value)} over ${n} documents can have (at most ${fmt$1(exact)})`;
    if (ZERO_ONE.has(key) && !series.group && se < exact * FLOOR_SHARE)
        return `${what} is ${fmt$1(se)}, less than 0/1 scores averaging ${fmt$1(value)} over ${n} documents have (${fmt$1(exact)})`;
    return undefined;
}
/**
 * Whether the spread of a score is held to a bound: a score between 0 and 1
 * per document, from per-document scores (checked by samplesProblem) or from a
 * stated stderr with a document count (checked by stderrProblem). Any other
 * stderr is checked only for being a number, not astronomically large.
 */
function stderrIsBounded(series) {
    if (!UNIT_INTERVAL.has(metricKey(series.name)))
        return false;
    if (series.samples?.size)
        return true;
    const value = series.value;
    return value >= 0 && value <= 1 && (series.n ?? 0) >= 2;
}
/**
 * Why per-document scores cannot be the metric's: a score between 0 and 1 per
 * document (`acc`, `exact_match`, the runner's `accuracy`) outside that range.
 * Within it, their spread is bounded as a 0/1 metric's is (a mean v has at most
 * the variance v(1-v)), so partial credit is fine: truthfulqa_mc2's `acc` and an
 * `llm_judge` scorer's `accuracy` give it. Undefined for any other metric,
 * whose per-document scores nothing bounds.
 */
function samplesProblem(series, who) {
    if (!series.samples?.size || !UNIT_INTERVAL.has(metricKey(series.name)))
        return undefined;
    for (const [id, score] of series.samples)
        if (!(score >= 0 && score <= 1))
            return `${who}'s per-document score of ${series.name} for document ${JSON.stringify(id)} is ${fmt$1(score)}, where each document scores between 0 and 1`;
    return undefined;
}

const DEFAULT_GATE_OPTIONS = {
    confidence: 0.95,
    minSamples: 30,
    resamples: 1000,
    seed: 0x5eed,
    power: 0.8,
};
/** Pair per-document scores only when this share of the larger side's ids match. */
const PAIRED_SHARE = 0.9;
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(1) : Number(v.toPrecision(4)).toString());
const signed = (v) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
const percent = (confidence) => `${Number((confidence * 100).toPrecision(4))} %`;
/**
 * Judges one gate. Thresholds (min, max) apply to the candidate's value.
 * A drop against the baseline (max_drop, max_drop_pct) is a non-inferiority
 * question: the gate passes only when the one-sided bound of the change at
 * `confidence` shows the drop is at most the tolerance, fails when the other
 * one-sided bound shows it is more, and is inconclusive in between, with an
 * estimate of the samples that would decide it. The change comes from
 * McNemar on paired 0/1 scores, a paired bootstrap on paired continuous
 * ones, or the two aggregates' standard errors. Which way is worse comes
 * from the trusted side (direction.ts); a stated stderr must be plausible
 * (standard-error.ts). Nothing here passes for want of evidence.
 */
function judgeGate(gate, candidate, baseline, options, context = {}) {
    const metric = gate.metric;
    if (context.notRun)
        return { metric, verdict: 'not-run', reason: context.notRun };
    if (!candidate)
        return { metric, verdict: 'fail', reason: `${metric} is not in the candidate's results` };
    const value = candidate.value;
    if (gate.min !== undefined && value < gate.min)
        return {
            metric,
            verdict: 'fail',
            candidate: value,
            reason: `${fmt(value)} is below the minimum ${gate.min}`,
        };
    if (gate.max !== undefined && value > gate.max)
        return {
            metric,
            verdict: 'fail',
            candidate: value,
            reason: `${fmt(value)} is above the maximum ${gate.max}`,
        };
    const limits = [
        gate.min !== undefined ? `≥ ${gate.min}` : '',
        gate.max !== undefined ? `≤ ${gate.max}` : '',
    ]
        .filter(Boolean)
        .join(', ');
    if (gate.max_drop === undefined && gate.max_drop_pct === undefined)
        return { metric, verdict: 'pass', candidate: value, reason: `${fmt(value)} ${limits}` };
    if (!baseline && context.baselineUnread)
        return { metric, verdict: 'not-run', candidate: value, reason: context.baselineUnread };
    if (!baseline)
        return {
            metric,
            verdict: 'inconclusive',
            candidate: value,
            reason: 'no baseline result to compare with',
        };
    const direction = metricDirection({
        metric,
        baselineGate: context.baselineGate,
        candidateGate: gate.higher_is_better,
        baseline,
        candidate,
    });
    // A guess could pass a regression: with no direction stated anywhere trusted, the gate cannot judge.
    if (direction.unstated)
        return {
            metric,
            verdict: 'inconclusive',
            candidate: value,
            baseline: baseline.value,
            reason: direction.unstated,
        };
    const base = {
        metric,
        candidate: value,
        baseline: baseline.value,
        higherIsBetter: direction.higherIsBetter,
        direction: direction.source,
        ...(direction.overruled ? { overruled: direction.overruled } : {}),
    };
    // The reason ends with the direction when the candidate's side stated another one.
    const said = (reason) => (direction.overruled ? `${reason}; ${direction.overruled}` : reason);
    if (candidate.taskVersion !== undefined &&
        baseline.taskVersion !== undefined &&
        candidate.taskVersion !== baseline.taskVersion) {
        return {
            ...base,
            verdict: 'inconclusive',
            reason: said(`task version ${candidate.taskVersion} vs the baseline's ${baseline.taskVersion}: not like-for-like`),
        };
    }
    const otherDataset = datasetMismatch(candidate, baseline);
    if (otherDataset)
        return { ...base, verdict: 'inconclusive', reason: said(otherDataset) };
    const tolerances = [
        gate.max_drop,
        gate.max_drop_pct === undefined ? undefined : (gate.max_drop_pct / 100) * Math.abs(baseline.value),
    ].filter((t) => t !== undefined);
    const tolerance = Math.min(...tolerances);
    if (candidate.runMetric && baseline.runMetric) {
        // Two training runs' final values: a tracker records one number, with no standard error or
        // per-document scores to test, so the drop is the difference of the values as recorded.
        const drop = (direction.higherIsBetter ? 1 : -1) * (baseline.value - value);
        const from = `the baseline run's ${fmt(baseline.value)}`;
        if (drop > tolerance)
            return {
                ...base,
                tolerance,
                verdict: 'fail',
                reason: said(`dropped ${fmt(drop)} from ${from}, more than the allowed ${fmt(tolerance)}`),
            };
        const observed = drop > 0 ? `dropped ${fmt(drop)} from ${from}, within ${fmt(tolerance)}` : `no drop from ${from}`;
        return { ...base, tolerance, verdict: 'pass', reason: said(observed) };
    }
    const compared = compare(candidate, baseline, direction.higherIsBetter, options);
    const note = compared.note ? `; ${compared.note}` : '';
    if ('cannot' in compared)
        return {
            ...base,
            tolerance,
            verdict: 'inconclusive',
            reason: said(`cannot compare: ${compared.cannot}${note}`),
            ...(compared.candidateFault
                ? {
                    invalidCandidate: {
                        file: candidate.source,
                        problem: compared.cannot,
                        ...(compared.candidateFault === 'missing' ? { missing: true } : {}),
                        ...(compared.candidateFault === 'partial' ? { partial: true } : {}),
                        ...(compared.candidateFault === 'uncounted' ? { uncounted: true } : {}),
                        ...(compared.candidateFault === 'inflated' ? { inflated: true } : {}),
                    },
                }
                : {}),
        };
    const comparison = compared.comparison;
    if (comparison.n > 0 && comparison.n < options.minSamples) {
        const unit = comparison.method === 'stderr' ? 'documents per version' : 'paired samples';
        return {
            ...base,
            tolerance,
            comparison,
            verdict: 'inconclusive',
            reason: said(`only ${comparison.n} ${unit} (at least ${options.minSamples} needed)${note}`),
        };
    }
    const sign = direction.higherIsBetter ? 1 : -1;
    const drop = -sign * comparison.delta;
    // The change in the "better" direction, at its worst and best plausible values.
    const worstDrop = direction.higherIsBetter ? -comparison.bounds.lower : comparison.bounds.upper;
    const leastDrop = direction.higherIsBetter ? -comparison.bounds.upper : comparison.bounds.lower;
    const at = `at ${percent(options.confidence)} confidence`;
    const evidence = { ...base, tolerance, comparison };
    if (worstDrop <= tolerance) {
        const observed = drop > 0 ? `dropped ${fmt(drop)}, within ${fmt(tolerance)}` : `no drop (${signed(comparison.delta)})`;
        const shown = worstDrop > 0
            ? `${at} the drop is at most ${fmt(worstDrop)}`
            : worstDrop === 0
                ? `${at} it is no worse than the baseline`
                : `${at} it is better by at least ${fmt(-worstDrop)}`;
        return { ...evidence, verdict: 'pass', reason: said(`${observed}: ${shown}${note}`) };
    }
    if (leastDrop > tolerance)
        return {
            ...evidence,
            verdict: 'fail',
            reason: said(`dropped ${fmt(drop)}, more than the allowed ${fmt(tolerance)}: ${at} the drop is at least ${fmt(leastDrop)}${note}`),
        };
    const settle = settleEstimate(comparison, drop, tolerance, options);
    const observed = drop > 0
        ? `dropped ${fmt(drop)} (allowed ${fmt(tolerance)})`
        : `no drop (${signed(comparison.delta)}, allowed ${fmt(tolerance)})`;
    return {
        ...evidence,
        verdict: 'inconclusive',
        settle,
        reason: said(`${observed}, but the evidence shows neither that it is within the tolerance nor beyond it: ${at} the drop is between ${fmt(leastDrop)} and ${fmt(worstDrop)}; ${settleText(settle, comparison)}${note}`),
    };
}
/** A sha256 as messages show it: enough hex digits to tell two files apart. */
const shortSha = (sha256) => sha256.slice(0, 12);
/**
 * Why a run of a suite cannot be compared with the baseline's result: the run records the sha256 of
 * the dataset it ran, and the baseline's result records another one, or none. A drop between two
 * datasets is a change of test, not of model; a pull request that edits the dataset could make it
 * look like no drop at all.
 */
function datasetMismatch(candidate, baseline) {
    const ran = candidate.dataset?.sha256;
    if (ran === undefined)
        return undefined;
    const here = `this run's dataset ${candidate.dataset.path} (sha256 ${shortSha(ran)}…)`;
    const there = baseline.dataset;
    if (there?.sha256 === undefined)
        return `not like-for-like: ${baseline.source} does not record the sha256 of the dataset it was measured on${there ? ` (${there.path})` : ''}, so it cannot be matched with ${here}`;
    if (there.sha256 !== ran)
        return `not like-for-like: ${baseline.source} was measured on ${there.path} (sha256 ${shortSha(there.sha256)}…), a different dataset from ${here}`;
    return undefined;
}
/**
 * The comparison a gate judges: paired on per-document scores when most
 * ids match, else the two aggregates. A side's aggregate comes from its
 * per-document scores when it has them, else from its stated value and a
 * plausible stderr; without either there is nothing to compare.
 */
function compare(candidate, baseline, higherIsBetter, options) {
    const sign = higherIsBetter ? 1 : -1;
    const judged = (comparison, ids) => ({
        ...comparison,
        bound: higherIsBetter ? comparison.bounds.lower : comparison.bounds.upper,
        confidence: options.confidence,
        ...(ids ? { ids } : {}),
    });
    // Evidence the candidate's file cannot hold: per-document scores outside what the metric scores, or a
    // spread many times the baseline's while it is worse (either widens the interval until a drop reads
    // as inconclusive).
    const impossible = samplesProblem(candidate, 'the candidate');
    if (impossible)
        return { cannot: impossible, candidateFault: 'implausible' };
    const widened = inflatedStderr(candidate, baseline, sign);
    if (widened)
        return { cannot: widened, candidateFault: 'inflated' };
    let note;
    let ids;
    if (candidate.samples?.size && baseline.samples?.size) {
        const pairs = [];
        for (const [id, score] of candidate.samples) {
            const other = baseline.samples.get(id);
            if (other !== undefined)
                pairs.push([score, other]);
        }
        ids = { matched: pairs.length, candidate: candidate.samples.size, baseline: baseline.samples.size };
        const larger = Math.max(ids.candidate, ids.baseline);
        if (pairs.length > 0 && pairs.length >= PAIRED_SHARE * larger) {
            // Every document the baseline was measured on must be scored: leaving out the ones it got wrong
            // (within the share that still pairs) turned a failing drop into a pass.
            if (pairs.length < ids.baseline)
                return {
                    cannot: `the candidate's per-document scores leave out ${ids.baseline - pairs.length} of the ${ids.baseline} documents the baseline was measured on`,
                    candidateFault: 'partial',
                };
            const partly = pairs.length < larger
                ? `paired on the ${pairs.length} of ${larger} documents whose ids match`
                : undefined;
            return { comparison: judged(paired(pairs, sign, options), ids), ...(partly ? { note: partly } : {}) };
        }
        note = `only ${ids.matched} of the candidate's ${ids.candidate} and the baseline's ${ids.baseline} document ids match, too few to pair: compared the aggregates`;
    }
    const c = aggregate(candidate, 'the candidate');
    const b = aggregate(baseline, 'the baseline');
    if ('problem' in c) {
        // Evidence the candidate's file lacks while the baseline's has it is the file's fault, not a lack of
        // data: a pull request must not turn a failing drop into a warning by deleting its own stderr. When
        // the baseline has none either, no candidate file could have settled it: inconclusive, as before.
        const fault = c.invalid ? 'implausible' : 'problem' in b ? false : 'missing';
        return { cannot: c.problem, candidateFault: fault, ...(note ? { note } : {}) };
    }
    if ('problem' in b)
        return { cannot: b.problem, candidateFault: false, ...(note ? { note } : {}) };
    // Fewer documents than the baseline's (lm_eval --limit, an edited n-samples, deleted lines) is the
    // candidate's fault: a drop measured on 10 documents was "inconclusive", a warning the check passed.
    if (c.n !== undefined && b.n !== undefined && c.n < b.n)
        return {
            cannot: `the candidate's ${candidate.name} covers ${c.n} documents, the baseline's ${b.n}`,
            candidateFault: 'partial',
            ...(note ? { note } : {}),
        };
    // A count the baseline's results state and the candidate's leave out (a deleted n-samples entry) would
    // leave its stderr unchecked against it: the file lacks evidence the baseline has.
    if (c.n === undefined && b.n !== undefined)
        return {
            cannot: `the candidate's results do not say how many documents ${candidate.name} covers (the baseline's: ${b.n})`,
            candidateFault: 'uncounted',
            ...(note ? { note } : {}),
        };
    const comparison = zTest(c.value, c.se, b.value, b.se, options.confidence, sign, Math.min(c.n ?? 0, b.n ?? 0));
    return { comparison: judged(comparison, ids), ...(note ? { note } : {}) };
}
/**
 * How many times the baseline's standard error a candidate's may be on as many documents while its
 * value is worse: 16 times the variance per document, far beyond two models' scores on one task.
 */
const MAX_STDERR_RATIO = 4;
/**
 * Why the candidate's standard error (stated, or from its per-document
 * scores) is no measurement of the task: many times the baseline's on as many
 * documents while its value is worse. A score bounded per document (0 to 1,
 * with a count or checked per-document scores) is held to its bound instead
 * (standard-error.ts), and a better value cannot hide a drop.
 */
function inflatedStderr(candidate, baseline, sign) {
    if (stderrIsBounded(candidate))
        return undefined;
    const c = aggregate(candidate, 'the candidate');
    const b = aggregate(baseline, 'the baseline');
    if ('problem' in c || 'problem' in b || b.se <= 0)
        return undefined;
    const worse = sign * (c.value - b.value) < 0;
    const asMany = c.n === undefined || b.n === undefined || c.n >= b.n;
    if (!worse || !asMany || c.se <= MAX_STDERR_RATIO * b.se)
        return undefined;
    return `the candidate's stderr of ${candidate.name} is ${fmt(c.se)}, ${(c.se / b.se).toFixed(1)} times the baseline's ${fmt(b.se)} on as many documents, with a worse value (at most ${MAX_STDERR_RATIO} times)`;
}
/** McNemar on 0/1 pairs, counted in the metric's direction; a paired bootstrap otherwise. */
function paired(pairs, sign, options) {
    const binary = pairs.every(([a, b]) => (a === 0 || a === 1) && (b === 0 || b === 1));
    if (binary) {
        let lower = 0;
        let higher = 0;
        for (const [c, b] of pairs) {
            if (c < b)
                lower += 1;
            else if (c > b)
                higher += 1;
        }
        // McNemar counts the pairs that moved the wrong way for the metric's direction.
        return sign === 1
            ? mcnemar(lower, higher, pairs.length, options.confidence)
            : flip(mcnemar(higher, lower, pairs.length, options.confidence));
    }
    const diffs = Float64Array.from(pairs, ([c, b]) => c - b);
    return pairedBootstrap(diffs, options.resamples, options.confidence, sign, options.seed);
}
/** A side's mean and its standard error: from its per-document scores, else as stated (when plausible). */
function aggregate(series, who) {
    const samples = series.samples;
    if (samples?.size) {
        let sum = 0;
        for (const v of samples.values())
            sum += v;
        const mean = sum / samples.size;
        let squares = 0;
        for (const v of samples.values())
            squares += (v - mean) ** 2;
        const n = samples.size;
        return { value: mean, se: n > 1 ? Math.sqrt(squares / (n - 1) / n) : 0, n };
    }
    if (series.stderr === undefined)
        return { problem: `${who} has neither per-document scores nor a standard error for ${series.name}` };
    const problem = stderrProblem(series, who);
    if (problem)
        return { problem, invalid: true };
    return { value: series.value, se: series.stderr, ...(series.n !== undefined ? { n: series.n } : {}) };
}
// McNemar above was run with the roles swapped (lower is better): put delta back as candidate - baseline.
function flip(comparison) {
    return {
        ...comparison,
        delta: -comparison.delta,
        ci: [-comparison.ci[1], -comparison.ci[0]],
        bounds: { lower: -comparison.bounds.upper, upper: -comparison.bounds.lower },
    };
}
function settleEstimate(comparison, drop, tolerance, options) {
    // The distance between the observed change and the edge of the tolerance.
    const gap = tolerance - drop;
    if (comparison.n > 0) {
        const samples = samplesToSettle(gap, comparison.se, comparison.n, options.confidence, options.power);
        if (samples === undefined)
            return { unsettleable: true };
        return { samples, more: Math.max(1, samples - comparison.n), paired: comparison.method !== 'stderr' };
    }
    if (gap === 0)
        return { unsettleable: true };
    return { stderr: stderrToSettle(gap, options.confidence, options.power), now: comparison.se };
}
function settleText(settle, comparison) {
    if ('unsettleable' in settle)
        return 'the observed change sits on the tolerance, so more samples would not settle it';
    if ('stderr' in settle)
        return `a standard error of the difference below ${fmt(settle.stderr)} (now ${fmt(settle.now)}) would settle it; record the document counts or per-document scores to know how many samples that takes`;
    const what = settle.paired ? 'paired documents' : 'documents per version';
    return `about ${settle.more.toLocaleString('en-US')} more ${what} (${settle.samples.toLocaleString('en-US')} in all, now ${comparison.n.toLocaleString('en-US')}) would settle it if the observed difference holds`;
}

/** Largest results file read (lm-evaluation-harness results are a few MiB at most). */
const MAX_RESULTS_BYTES = 64 * 1024 * 1024;
/** Largest per-document samples file read (the harness logs every prompt: these grow). */
const MAX_SAMPLES_BYTES = 256 * 1024 * 1024;
/** Reads every `eval.results` file (and its per-document samples) of a model from `source`. */
async function loadEvalData(source, facts) {
    const results = [];
    const findings = [];
    const problem = (severity, path, message, artifact) => findings.push({
        rule: 'ARTIFACT-INVALID',
        severity,
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(path),
        message,
        artifact,
        fix: 'Regenerate the file with the tool that produced it.',
    });
    const read = async (ref, path, maxBytes) => {
        const text = await readText(source, facts.manifestFile, ref, maxBytes);
        if (typeof text === 'string') {
            problem('error', path, text);
            return undefined;
        }
        return text;
    };
    // Lines that are not JSON, ids scored twice, files too long: each said once, naming file and line.
    const lineFindings = (file, path, found, expected) => {
        if (found.badLineCount)
            problem('warning', path, `${file}: ${found.badLineCount} line(s) are not ${expected} and were skipped (first: line ${found.badLines[0]})`, file);
        const duplicate = found.duplicates[0];
        if (duplicate)
            problem('error', path, `${file}: document id ${JSON.stringify(duplicate.id)} on ${duplicate.at} was already scored on ${duplicate.first}${found.duplicateCount > 1 ? ` (${found.duplicateCount - 1} more repeated id(s))` : ''}; every document must be scored once, so this file's per-document scores are not used`, file);
        if (found.tooLong)
            problem('error', path, `${file} has more than ${MAX_SAMPLE_LINES.toLocaleString('en-US')} lines, the most modelgate reads from a samples file; none of it is used`, file);
    };
    const gated = new Set((facts.manifest.eval?.gates ?? []).map((gate) => gate.metric));
    for (const [index, entry] of (facts.manifest.eval?.results ?? []).entries()) {
        const at = ['eval', 'results', index, 'path'];
        const jsonl = entry.path.endsWith('.jsonl');
        const text = await read(entry.path, at, jsonl ? MAX_SAMPLES_BYTES : MAX_RESULTS_BYTES);
        if (text === undefined)
            continue;
        let parsed;
        if (jsonl) {
            const samples = readSamplesJsonl(text.text, text.path);
            lineFindings(text.path, at, samples, '{"id", metric: score} JSON');
            parsed = { format: samples.format, file: samples.file, metrics: samples.metrics };
        }
        else {
            try {
                parsed = readResultsFile(parseJsonFile(text.text, text.path, parsePythonJson), text.path);
            }
            catch (error) {
                // Only a file the reader refuses is the change's problem; a bug in the reader is not a finding.
                if (!(error instanceof MalformedFileError))
                    throw error;
                findings.push({
                    rule: 'ARTIFACT-INVALID',
                    severity: 'error',
                    model: facts.name,
                    file: facts.manifestFile,
                    line: facts.lineOf(at),
                    message: `${text.path} is not a results file: ${error.problem}`,
                    artifact: text.path,
                    fix: error.fix ?? 'Regenerate the file with the tool that produced it.',
                });
                continue;
            }
            const duplicate = parsed.duplicates?.[0];
            if (duplicate)
                problem('error', at, `${text.path}: document id ${JSON.stringify(duplicate.id)} in ${duplicate.at} was already scored in ${duplicate.first}; every document must be scored once, so this file's per-document scores are not used`, text.path);
        }
        for (const [task, samplesPath] of Object.entries(entry.samples ?? {})) {
            const samplesAt = ['eval', 'results', index, 'samples', task];
            const samples = await read(samplesPath, samplesAt, MAX_SAMPLES_BYTES);
            if (samples === undefined)
                continue;
            const attached = attachHarnessSamples(parsed.metrics, task, samples.text);
            lineFindings(samples.path, samplesAt, attached, 'JSON');
            for (const { metric, reason } of attached.notScores)
                if (gated.has(metric))
                    findings.push({
                        rule: 'EVAL-GATE',
                        severity: 'info',
                        model: facts.name,
                        file: facts.manifestFile,
                        line: facts.lineOf(samplesAt),
                        message: `${samples.path}: the per-document values of ${metric} are not its scores (${reason}); the gate compares its aggregate and stderr instead`,
                        artifact: samples.path,
                    });
        }
        // A gated metric the file holds as NaN or ±Infinity is said as such, not left to read as missing.
        for (const { name, written } of parsed.nonFinite ?? [])
            if (gated.has(name))
                findings.push({
                    rule: 'EVAL-GATE',
                    severity: 'error',
                    model: facts.name,
                    file: facts.manifestFile,
                    line: facts.lineOf(at),
                    message: `${text.path}: ${name} is ${written}${written === 'null' ? '' : ' as the harness wrote it'}, not a finite number, so no gate can judge it`,
                    artifact: text.path,
                    fix: 'Fix the evaluation so the metric has a finite value (an Infinity perplexity or error is a model or task failure), or gate another metric.',
                });
        results.push({ ...parsed, entry: index });
    }
    const metrics = new Map();
    const nonFinite = new Map();
    for (const file of results) {
        for (const series of file.metrics) {
            metrics.set(series.name, series);
            nonFinite.delete(series.name);
        }
        for (const value of file.nonFinite ?? []) {
            nonFinite.set(value.name, value);
            metrics.delete(value.name);
        }
    }
    return { results, metrics, nonFinite, findings };
}
/**
 * The file's text; a message when it exists but cannot be used (too large,
 * unreadable); undefined when it is missing or outside the repository, which
 * validate reports (ARTIFACT-MISSING).
 */
async function readText(source, manifestFile, ref, maxBytes) {
    const resolved = resolveArtifactPath(manifestFile, ref);
    if (!resolved.ok)
        return undefined;
    const read = await source.read(resolved.path, maxBytes);
    if (read.ok)
        return { path: resolved.path, text: decodeUtf8(read.value) };
    if (read.problem.kind === 'too-large')
        return `${resolved.path} is larger than ${formatBytes(maxBytes)}, the most modelgate reads from an evaluation file; it was not read`;
    if (read.problem.kind === 'io')
        return `${resolved.path} cannot be read: ${read.problem.detail}`;
    return undefined;
}

/**
 * The version a candidate must not be worse than: the version the last stage
 * (production) holds, read at its release tag; without releases, the model
 * as it is at the base ref. Both are found by the name the candidate
 * declares, never by its path: a change that moves the model's folder is
 * still judged against its baseline's results, datasets and gates.
 * A baseline that cannot be read (several manifests declare the name, or
 * the one that does does not load) is returned with `unreadable`, never as
 * none: "no baseline" would judge the change on its own files.
 */
async function resolveBaseline(manifests, facts, registry, productionStage, base) {
    const atBase = () => manifests.at(base).find(facts.name, [facts.manifestFile]);
    // The base ref's gates judge too when production is the baseline: a gate tightened in a version
    // merged (and released) since production's is reviewed, and a change must not undo it unseen.
    const withBaseGates = async (baseline) => {
        if (!base || baseline.unreadable !== undefined)
            return baseline;
        const found = await atBase();
        if (found.kind === 'absent')
            return baseline;
        if (found.kind === 'unknown')
            return {
                ...baseline,
                unreadable: `its manifest at the base ref ${base.slice(0, 12)}: ${found.reason}`,
            };
        const label = `the base ref ${base.slice(0, 12)}`;
        const gates = [...(baseline.gates ?? [])];
        const gateFrom = new Map();
        for (const gate of found.facts.manifest.eval?.gates ?? [])
            if (!gates.some((g) => jsonEqual(g, gate))) {
                gates.push(gate);
                gateFrom.set(gate, label);
            }
        const onInconclusive = found.facts.manifest.eval?.on_inconclusive;
        return {
            ...baseline,
            gates,
            gateFrom,
            baseSuiteFiles: suiteFilesOf(found.facts, label, found.source, found.file),
            ...(onInconclusive ? { baseJudging: { label, onInconclusive } } : {}),
        };
    };
    const model = registry.get(facts.name);
    const production = model?.stages.find((s) => s.stage === productionStage);
    // The registration that holds the stage: a version registered on two commits is read where it runs.
    const released = production &&
        model?.versions.find((v) => v.version === production.version && v.stages.includes(productionStage));
    if (released) {
        const label = `${productionStage} ${released.version} (${production.tag})`;
        const found = await manifests.release(facts.name, released.version, [facts.manifestFile], released.tag);
        // A production version whose tag holds no manifest of this name (tagged by another tool) is no
        // baseline to judge by; the base ref may still be one.
        if (found.kind !== 'absent')
            return withBaseGates(await baselineOf(found, label, released.version));
    }
    if (base) {
        const found = await atBase();
        if (found.kind !== 'absent')
            return baselineOf(found, `the base ref ${base.slice(0, 12)}`);
    }
    return undefined;
}
/** A found manifest as the baseline, with its results, gates, suites and judging settings; or why it cannot be read. */
async function baselineOf(found, label, version) {
    if (found.kind === 'unknown')
        return {
            label,
            ...(version ? { version } : {}),
            data: { results: [], metrics: new Map(), findings: [] },
            unreadable: found.reason,
        };
    const { facts, source, file } = found;
    const block = facts.manifest.eval;
    return {
        label,
        version: version ?? facts.manifest.version,
        data: await loadEvalData(source, facts),
        gates: block?.gates ?? [],
        suites: suiteNamesOf(facts),
        suiteFiles: suiteFilesOf(facts, label, source, file),
        judging: {
            ...(block?.confidence !== undefined ? { confidence: block.confidence } : {}),
            ...(block?.min_samples !== undefined ? { min_samples: block.min_samples } : {}),
            ...(block?.on_inconclusive !== undefined ? { on_inconclusive: block.on_inconclusive } : {}),
        },
    };
}
/** The suites a baseline manifest declares: their metrics are the built-in runner's, whatever a candidate declares. */
function suiteNamesOf(facts) {
    return (facts.manifest.eval?.suites ?? []).map((suite) => suite.name);
}
/**
 * The baseline's suite definitions, read with its files at its commit (the same containment rule, at
 * a ref), relative to where its manifest is there.
 */
function suiteFilesOf(facts, label, source, manifestFile) {
    return { label, source, manifestFile, suites: facts.manifest.eval?.suites ?? [] };
}

export { DEFAULT_GATE_OPTIONS as D, judgeGate as j, loadEvalData as l, resolveBaseline as r };
