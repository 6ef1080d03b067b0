import { j as judgeInterval, r as recordedSeries } from './judge-DNslFlAX.js';
import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { R as ROLLOUT_DEFAULTS, p as parseRolloutDuration, a as parseInterval, f as formatDuration } from './parse-B69nEYJT.js';
import { i as intervalResultSchema, o as outOfTraffic } from './step-dgZkfg6x.js';
import { s as steerSchema } from './steer-10wZQmlJ.js';
import { u as union, n as number, _ as _null, s as strictObject, a as array, l as literal, b as _enum, c as string } from './yaml-document-D8lQUcRd.js';
import { b as inertMarkdown, i as inertText, c as inertJson } from './escape-C_Mv5luI.js';
import { f as formatOf, C as CommandError } from './command-BFTcRIcy.js';
import { r as requireAnalyze, a as readRecordedAnalysis } from './recorded-analysis-C9s4W0RU.js';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';
import 'process';
import 'buffer';
import './user-file-0rc-qr69.js';
import './git-repository-B5nDBN5A.js';
import './settings-C0UoLdVc.js';
import './stages-Cl5dJrTL.js';
import './registration-tags-C5oXtNLZ.js';
import './names-BCxkbDpg.js';
import './storage-uri-CZ8FpHhv.js';

/** The defaults of `rollout.ab` (docs/ab.md), shared with the manifest schema. */
const AB_DEFAULTS = ROLLOUT_DEFAULTS.ab;
/**
 * Fills the defaults of an `ab` block. The manifest schema bounds every
 * field, so a duration that does not parse here never came from a valid
 * manifest: it falls back to the default rather than to something shorter.
 */
function resolveAbPolicy(block) {
    const interval = block.interval ?? AB_DEFAULTS.interval;
    const minDuration = block.min_duration ?? AB_DEFAULTS.min_duration;
    const horizon = block.horizon ?? AB_DEFAULTS.horizon;
    return {
        split: block.split ?? AB_DEFAULTS.split,
        metric: block.metric,
        intervalMs: parseInterval(interval) ?? parseRolloutDuration(AB_DEFAULTS.interval),
        minDurationMs: parseRolloutDuration(minDuration) ?? parseRolloutDuration(AB_DEFAULTS.min_duration),
        minSamples: block.min_samples ?? AB_DEFAULTS.min_samples,
        horizonMs: parseRolloutDuration(horizon) ?? parseRolloutDuration(AB_DEFAULTS.horizon),
        alpha: block.alpha ?? AB_DEFAULTS.alpha,
        autoConclude: block.auto_conclude ?? AB_DEFAULTS.auto_conclude,
        text: { interval, minDuration, horizon },
    };
}

/** Observations kept in the state: two days of hourly intervals; older ones live on in the totals. */
const AB_RECENT_OBSERVATIONS = 48;
/** Health intervals kept with their full evidence; older ones live on in the tally. */
const AB_RECENT_HEALTH = 3;
/** Metrics per health interval a state may hold (a manifest lists a handful). */
const MAX_HEALTH_METRICS = 100;
/** Starts an A/B test's record when its split goes live. */
function startAbRecord(liveAt) {
    return {
        startedAt: liveAt.toISOString(),
        looks: 0,
        errors: 0,
        totals: { a: { successes: 0, trials: 0 }, b: { successes: 0, trials: 0 } },
        recent: [],
    };
}
const text = (max = 1024) => string().max(max);
// JSON writes NaN (a rate of no trials) as null: read it back as NaN.
const evidenceNumber = union([number(), _null()]).transform((v) => v ?? Number.NaN);
const count = number().nonnegative().max(1e15);
const arm$1 = strictObject({ successes: count, trials: count })
    .refine((a) => a.successes <= a.trials, 'successes cannot exceed trials');
const look = strictObject({
    rateA: evidenceNumber,
    rateB: evidenceNumber,
    difference: evidenceNumber,
    logLambda: evidenceNumber,
    p: number().min(0).max(1),
    lower: number().min(-1).max(1),
    upper: number().min(-1).max(1),
});
const tallyCount = number().int().nonnegative().max(10_000_000);
const health = strictObject({
    tally: strictObject({
        passed: tallyCount,
        failed: tallyCount,
        inconclusive: tallyCount,
        errors: tallyCount,
        consecutiveErrors: tallyCount,
    }),
    recent: array(intervalResultSchema(MAX_HEALTH_METRICS)).max(AB_RECENT_HEALTH),
});
const proposal = strictObject({
    outcome: _enum(['promote_b', 'keep_a', 'inconclusive']),
    at: text(64),
    reason: text(1024),
    basis: literal('health').optional(),
});
/** The shape an AbRecord read back from a comment must have: bounded, checked before use. */
strictObject({
    startedAt: text(64),
    looks: number().int().nonnegative().max(10_000_000),
    errors: number().int().nonnegative().max(10_000_000),
    totals: strictObject({ a: arm$1, b: arm$1 }),
    recent: array(union([
        strictObject({ at: text(64), a: arm$1, b: arm$1 }),
        strictObject({ at: text(64), error: text(512) }),
    ]))
        .max(AB_RECENT_OBSERVATIONS),
    latest: look.optional(),
    evidence: look.optional(),
    health: health.optional(),
    proposal: proposal.optional(),
    waitingLooks: number().int().nonnegative().max(10_000_000).optional(),
    overruled: proposal.optional(),
    confirmedBy: steerSchema.optional(),
    concludedAt: text(64).optional(),
});

const EMPTY_TALLY = { passed: 0, failed: 0, inconclusive: 0, errors: 0, consecutiveErrors: 0 };
/**
 * Judges one interval of B's serving health with the canary's judge
 * (canary.metrics, B as the canary, A as the baseline) and applies the
 * canary's limits across the test: more failed intervals than
 * `failure_limit` (default 0), or more consecutive intervals with errors
 * than `consecutive_error_limit` (default 4), is a breach. Inconclusive
 * intervals and errors within the limit are counted and shown, never a
 * breach: health can veto B, it never has to prove B. Undefined when the
 * manifest has no canary.metrics (the test is judged on its product metric
 * alone). `data` undefined means nothing was read: every metric is an error.
 */
function judgeAbHealth(before, canary, data, at) {
    const metrics = canary?.metrics;
    if (!canary || !metrics?.length)
        return undefined;
    const judged = judgeInterval(metrics, data ?? [], canary, at);
    const interval = data
        ? judged
        : { ...judged, reason: 'no serving metrics were read for B' };
    const tally = countInterval(before?.tally ?? EMPTY_TALLY, interval.verdict);
    const health = { tally, recent: [...(before?.recent ?? []), interval].slice(-AB_RECENT_HEALTH) };
    const breach = healthBreach(tally, canary, interval);
    return breach ? { health, interval, breach } : { health, interval };
}
function countInterval(tally, verdict) {
    return {
        passed: tally.passed + (verdict === 'pass' ? 1 : 0),
        failed: tally.failed + (verdict === 'fail' ? 1 : 0),
        inconclusive: tally.inconclusive + (verdict === 'inconclusive' ? 1 : 0),
        errors: tally.errors + (verdict === 'error' ? 1 : 0),
        consecutiveErrors: verdict === 'error' ? tally.consecutiveErrors + 1 : 0,
    };
}
function healthBreach(tally, canary, latest) {
    const failureLimit = canary.failure_limit ?? 0;
    const errorLimit = canary.consecutive_error_limit ?? 4;
    const why = latestProblems(latest);
    if (tally.failed > failureLimit)
        return `${tally.failed} failed interval(s), more than failure_limit ${failureLimit}${why}`;
    if (tally.consecutiveErrors > errorLimit)
        return `${tally.consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}${why}`;
    return undefined;
}
/** The latest interval's failing or erroring metrics, in a clause (the full evidence is in the report). */
function latestProblems(interval) {
    const bad = interval.measurements.filter((m) => m.verdict === interval.verdict);
    const listed = bad.map((m) => `${m.metric}: ${m.reason}`).join('; ');
    const text = listed || interval.reason;
    return text ? ` (interval ending ${interval.at}: ${text})`.slice(0, 600) : '';
}

/**
 * τs², the mixing variance in units of one observation's variance, for a
 * test tightest at `minSamples` trials per arm with false-positive rate `alpha`.
 */
function mixingVariance(minSamples, alpha) {
    const twoLog = 2 * Math.log(1 / alpha);
    let r = twoLog;
    // r ↦ ln(1 + r) + 2 ln(1/α) is a contraction (slope 1/(1+r) < 1): a few dozen steps reach double precision.
    for (let i = 0; i < 100; i++)
        r = Math.log(1 + r) + twoLog;
    return (r * 2) / Math.max(1, minSamples);
}
/** The mSPRT on the running totals of both arms (A: the version in production, B: the new one). */
function sequentialLook(a, b, tauStd2, alpha) {
    if (a.trials <= 0 || b.trials <= 0) {
        const rate = (arm) => (arm.trials > 0 ? arm.successes / arm.trials : Number.NaN);
        return {
            rateA: rate(a),
            rateB: rate(b),
            difference: Number.NaN,
            logLambda: 0,
            p: 1,
            lower: -1,
            upper: 1,
        };
    }
    const rateA = a.successes / a.trials;
    const rateB = b.successes / b.trials;
    const difference = rateB - rateA;
    const shrunk = (arm) => {
        const p = (arm.successes + 1) / (arm.trials + 2);
        return (p * (1 - p)) / arm.trials;
    };
    const variance = shrunk(a) + shrunk(b);
    const r = tauStd2 / (1 / a.trials + 1 / b.trials);
    const z2 = (difference * difference) / variance;
    const logLambda = -0.5 * Math.log1p(r) + (z2 * r) / (2 * (1 + r));
    const halfWidth = Math.sqrt(variance * ((1 + r) / r) * (Math.log1p(r) + 2 * Math.log(1 / alpha)));
    return {
        rateA,
        rateB,
        difference,
        logLambda,
        p: Math.min(1, Math.exp(-logLambda)),
        lower: Math.max(-1, difference - halfWidth),
        upper: Math.min(1, difference + halfWidth),
    };
}
/**
 * Folds one look into the evidence so far: the p-value is the running
 * minimum, the confidence sequence the running intersection. An
 * intersection that would be empty (the estimate moved across the
 * boundary, which the normal approximation allows) keeps the newer interval.
 */
function accumulate(previous, look) {
    const p = Math.min(previous?.p ?? 1, look.p);
    let lower = Math.max(previous?.lower ?? -1, look.lower);
    let upper = Math.min(previous?.upper ?? 1, look.upper);
    if (lower > upper)
        ({ lower, upper } = look);
    return {
        rateA: look.rateA,
        rateB: look.rateB,
        difference: look.difference,
        logLambda: look.logLambda,
        p,
        lower,
        upper,
    };
}

const POINTS_PER_INTERVAL = 20;
const MIN_QUERY_STEP_SECONDS = 15;
/**
 * The next interval of a running A/B test, or undefined when there is
 * nothing to judge now: it has ended, is paused, or waits for the deployer to
 * report the split live. Intervals are counted from `ab.startedAt`, so a late
 * judgment never shifts the ones after it; the last one ends at the horizon.
 *
 * While a proposal waits for a person (`/ab conclude`), B still serves its
 * share, so the test keeps looking at B's serving health every interval,
 * counted from the proposal and past the horizon, until the person decides.
 * That needs the manifest's canary.metrics, which the state shows: a test
 * that has judged B's health has `ab.health`. Without it nothing is due
 * while the proposal waits.
 */
function nextAbJudgment(state, policy) {
    const ab = state.ab;
    if (state.status !== 'running' || state.awaiting !== undefined || state.paused || !ab)
        return undefined;
    const resolved = resolveAbPolicy(policy);
    if (ab.proposal) {
        if (!ab.health)
            return undefined;
        const proposed = Date.parse(ab.proposal.at);
        if (!Number.isFinite(proposed))
            return undefined;
        const start = proposed + resolved.intervalMs * (ab.waitingLooks ?? 0);
        return judgmentWindow(start, start + resolved.intervalMs, resolved);
    }
    const started = Date.parse(ab.startedAt);
    if (!Number.isFinite(started))
        return undefined;
    const horizon = started + resolved.horizonMs;
    const start = Math.min(started + resolved.intervalMs * ab.looks, horizon);
    if (start >= horizon)
        return undefined;
    return judgmentWindow(start, Math.min(start + resolved.intervalMs, horizon), resolved);
}
/** A window [start, due] read at `due`, with the query step of the test's interval. */
function judgmentWindow(start, due, policy) {
    return {
        due: new Date(due),
        start: new Date(start),
        end: new Date(due),
        step: Math.max(MIN_QUERY_STEP_SECONDS, Math.round(policy.intervalMs / 1000 / POINTS_PER_INTERVAL)),
    };
}
/**
 * Plans one look at an A/B test: adds the interval's counts to the running
 * totals, runs the sequential test on them, and decides. No conclusion
 * before `min_duration` and `min_samples` trials per arm; then an
 * always-valid p below `alpha` concludes B better (promote B) or worse
 * (keep A) by `higher_is_better`; the horizon reached undecided is
 * inconclusive. An interval whose counts are missing, erroring or
 * impossible is recorded as an error and never concludes. With
 * `auto_conclude` the conclusion applies itself; otherwise it is recorded
 * and waits for `/ab conclude` (see planAbConclusion).
 *
 * When the manifest has canary.metrics, every look also judges B's serving
 * health (judgeAbHealth: the canary's judge and limits). A breach ends the
 * test at once as keep A, whatever the product metric says and whatever
 * `auto_conclude` is: B's deployment fails, the revert opens, the check
 * fails. Health only vetoes: it never proposes "promote B", and health that
 * could not be judged (no data, errors within the limit) blocks nothing.
 *
 * While a proposal waits for `/ab conclude`, a look judges B's serving
 * health only (the product metric is no longer counted: the proposal
 * stands): within the limits it changes nothing but the health record and
 * `waitingLooks`; a breach ends the test at once as keep A, recording the
 * proposal it overruled. Pure.
 */
function planAbStep(state, policy, canary, data, now, options) {
    const window = nextAbJudgment(state, policy);
    const ab = state.ab;
    if (!window || !ab)
        return { kind: 'not-due' };
    if (now.getTime() < window.due.getTime())
        return { kind: 'not-due', due: window.due };
    const resolved = resolveAbPolicy(policy);
    const at = window.due.toISOString();
    if (ab.proposal)
        return planWaitingLook(state, ab, ab.proposal, canary, data, at, now, options);
    const observation = observe(data, at);
    const record = {
        ...ab,
        looks: ab.looks + 1,
        recent: [...ab.recent, observation].slice(-AB_RECENT_OBSERVATIONS),
    };
    const health = judgeAbHealth(ab.health, canary, data.health, at);
    if (health)
        record.health = health.health;
    const started = Date.parse(ab.startedAt);
    const horizonReached = window.due.getTime() >= started + resolved.horizonMs;
    let proposal;
    if ('error' in observation) {
        record.errors = ab.errors + 1;
    }
    else {
        record.totals = { a: add(ab.totals.a, observation.a), b: add(ab.totals.b, observation.b) };
        const tau = mixingVariance(resolved.minSamples, resolved.alpha);
        const look = sequentialLook(record.totals.a, record.totals.b, tau, resolved.alpha);
        record.latest = look;
        const elapsed = window.due.getTime() - started;
        const eligible = elapsed >= resolved.minDurationMs &&
            record.totals.a.trials >= resolved.minSamples &&
            record.totals.b.trials >= resolved.minSamples;
        if (eligible) {
            record.evidence = accumulate(ab.evidence, look);
            if (record.evidence.p < resolved.alpha) {
                const bBetter = look.difference > 0 === resolved.metric.higher_is_better;
                proposal = {
                    outcome: bBetter ? 'promote_b' : 'keep_a',
                    at,
                    reason: `${metricName(resolved)}: B ${look.difference > 0 ? 'higher' : 'lower'} than A by ${pct(Math.abs(look.difference))} percentage points (always-valid p = ${fmt(record.evidence.p)} < alpha ${resolved.alpha})`,
                };
            }
        }
    }
    // Health is judged first: a B that hurts users leaves at once, even while its metric looks good.
    if (health?.breach)
        proposal = {
            outcome: 'keep_a',
            at,
            reason: `B's serving health failed: ${health.breach}`.slice(0, 1024),
            basis: 'health',
        };
    if (!proposal && horizonReached) {
        proposal = {
            outcome: 'inconclusive',
            at,
            reason: `the horizon (${resolved.text.horizon}) was reached without a conclusion: ${undecidedReason(record, resolved)}`,
        };
    }
    const next = { ...state, ab: record };
    if (!proposal) {
        return {
            kind: 'judged',
            state: next,
            decision: {
                action: 'wait',
                reason: waitReason(observation, record, resolved, window.due) + healthNote(health?.interval, canary),
            },
            effects: [{ kind: 'save-state' }],
        };
    }
    record.proposal = proposal;
    if (resolved.autoConclude || proposal.basis === 'health')
        return conclude(next, record, proposal, now, options);
    return {
        kind: 'judged',
        state: next,
        decision: { action: 'wait', reason: proposedText(proposal) },
        effects: [{ kind: 'save-state' }],
    };
}
const proposedText = (proposal) => `${OUTCOME_TEXT[proposal.outcome]} proposed (${proposal.reason}); a person confirms it with /ab conclude`;
/**
 * A look while a proposal waits for a person: B's serving health only. A
 * breach overrules the proposal (keep A at once); otherwise the proposal
 * stands. Nothing to look at (the canary policy has no metrics) plans nothing.
 */
function planWaitingLook(state, ab, proposal, canary, data, at, now, options) {
    const health = judgeAbHealth(ab.health, canary, data.health, at);
    if (!health)
        return { kind: 'not-due' };
    const record = { ...ab, health: health.health, waitingLooks: (ab.waitingLooks ?? 0) + 1 };
    const next = { ...state, ab: record };
    if (health.breach) {
        const why = `B's serving health failed while "${OUTCOME_TEXT[proposal.outcome]}" waited for /ab conclude: ${health.breach}`;
        const overruling = { outcome: 'keep_a', at, reason: why.slice(0, 1024), basis: 'health' };
        record.overruled = proposal;
        record.proposal = overruling;
        return conclude(next, record, overruling, now, options);
    }
    const { verdict } = health.interval;
    const within = verdict === 'pass' ? '' : ` (${limitsText(canary)})`;
    return {
        kind: 'judged',
        state: next,
        decision: {
            action: 'wait',
            reason: `${proposedText(proposal)}. B's serving health is watched until then: ${verdict} in the interval ending ${at}${within}`,
        },
        effects: [{ kind: 'save-state' }],
    };
}
const OUTCOME_TEXT = {
    promote_b: 'promote B',
    keep_a: 'keep A',
    inconclusive: 'inconclusive (keep A)',
};
/** Applies a conclusion: the state ends, and the effects carry it out (save-state last). */
function conclude(state, record, proposal, now, options) {
    record.concludedAt = now.toISOString();
    const release = `${state.model} ${state.version}`;
    const who = record.confirmedBy ? ` (confirmed by @${record.confirmedBy.by})` : '';
    if (proposal.outcome === 'promote_b') {
        return {
            kind: 'judged',
            state: { ...state, ab: record, status: 'promoted' },
            decision: { action: 'promote', reason: `A/B test: B is better${who}: ${proposal.reason}` },
            effects: [
                { kind: 'promote' },
                {
                    kind: 'complete-check',
                    conclusion: 'success',
                    title: `${release} promoted: B won the A/B test`,
                    summary: `${proposal.reason}${who}`,
                },
                { kind: 'save-state' },
            ],
        };
    }
    const verdict = proposal.basis === 'health'
        ? "B's serving health failed"
        : proposal.outcome === 'keep_a'
            ? 'B is worse'
            : 'B was not shown better';
    const reason = proposal.basis === 'health'
        ? `A/B test: ${proposal.reason}${who}`
        : `A/B test: ${verdict}${who}: ${proposal.reason}`;
    return {
        kind: 'judged',
        state: { ...state, ab: record, status: 'failed' },
        decision: { action: 'rollback', reason },
        effects: [
            ...outOfTraffic(state, `A/B test: ${verdict}, A kept`),
            { kind: 'open-revert', autoMerge: options.autoMerge },
            {
                kind: 'complete-check',
                conclusion: 'failure',
                title: `${release}: ${proposal.basis === 'health' ? "A/B test kept A: B's serving health failed" : proposal.outcome === 'keep_a' ? 'A/B test kept A' : 'A/B test inconclusive'}`,
                summary: `${proposal.reason}${who}`,
            },
            { kind: 'save-state' },
        ],
    };
}
/**
 * Checks one interval's readings. A query error, a missing arm, a count that
 * is not a finite number or is negative (counts that went backwards) and
 * more successes than trials all make the interval an error, naming why.
 */
function observe(data, at) {
    const problems = [];
    const check = (reading, name) => {
        if (!reading)
            return void problems.push(`${name}: no counts`);
        if ('error' in reading)
            return void problems.push(`${name}: ${reading.error}`.slice(0, 240));
        const { successes, trials } = reading;
        if (!Number.isFinite(successes) || !Number.isFinite(trials))
            return void problems.push(`${name}: counts are not numbers (successes ${successes}, trials ${trials})`);
        if (successes < 0 || trials < 0)
            return void problems.push(`${name}: counts went backwards (successes ${fmt(successes)}, trials ${fmt(trials)})`);
        if (successes > trials)
            return void problems.push(`${name}: more successes (${fmt(successes)}) than trials (${fmt(trials)})`);
        return { successes, trials };
    };
    const a = check(data.a, 'A');
    const b = check(data.b, 'B');
    if (!a || !b)
        return { at, error: problems.join('; ').slice(0, 512) };
    return { at, a, b };
}
const add = (x, y) => ({
    successes: x.successes + y.successes,
    trials: x.trials + y.trials,
});
/** Why the test has not concluded: the first condition still missing. */
function undecidedReason(ab, policy) {
    const fewest = Math.min(ab.totals.a.trials, ab.totals.b.trials);
    if (fewest < policy.minSamples)
        return `${fmt(fewest)} of min_samples ${policy.minSamples} trials in the smaller arm`;
    if (!ab.evidence)
        return `min_duration (${policy.text.minDuration}) has not passed`;
    return `always-valid p = ${fmt(ab.evidence.p)}, not below alpha ${policy.alpha}`;
}
function waitReason(observation, ab, policy, due) {
    if ('error' in observation)
        return `the interval ending ${observation.at} could not be used (${observation.error}); it is not counted`;
    const elapsed = due.getTime() - Date.parse(ab.startedAt);
    if (elapsed < policy.minDurationMs)
        return `min_duration (${policy.text.minDuration}) has not passed`;
    return undecidedReason(ab, policy);
}
/** A health interval that did not pass, in a clause after the wait reason (within the limits, or it would have ended the test). */
function healthNote(interval, canary) {
    if (!interval || interval.verdict === 'pass')
        return '';
    return `; B's serving health this interval: ${interval.verdict} (${limitsText(canary)})`;
}
const limitsText = (canary) => `within failure_limit ${canary?.failure_limit ?? 0}, consecutive_error_limit ${canary?.consecutive_error_limit ?? 4}`;
const metricName = (policy) => policy.metric.name;
const fmt = (v) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
const pct = (v) => Number((v * 100).toPrecision(3)).toString();

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_INTERVALS = 100_000;
const FIX = 'Record the counts as described in modelgate ab --help (docs/ab.md).';
const malformed = (file, problem) => new MalformedFileError(file, problem, FIX);
/**
 * Reads recorded counts:
 * `{ model?, version?, baseline?, started?, intervals: [{ at, a: {successes, trials} | {error}, b: … }] }`,
 * each arm's counts being that interval's increments. Throws a message
 * naming the place that is wrong; impossible counts (negative, more
 * successes than trials) are kept, for the judgment to report as errors.
 * Throws MalformedFileError for what the user must fix.
 */
function readRecordedAb(json, file) {
    if (!isObject(json) || !Array.isArray(json.intervals))
        throw malformed(file, 'needs an "intervals" list');
    if (json.intervals.length > MAX_INTERVALS)
        throw malformed(file, `more than ${MAX_INTERVALS} intervals`);
    const intervals = json.intervals.map((interval, index) => {
        const where = `intervals[${index}]`;
        if (!isObject(interval) || typeof interval.at !== 'string' || !Number.isFinite(Date.parse(interval.at)))
            throw malformed(file, `${where} needs "at", the time the interval ended (ISO 8601)`);
        const health = interval.health === undefined ? undefined : healthOf(interval.health, file, `${where}.health`);
        return {
            at: interval.at,
            data: {
                a: arm(interval.a, file, `${where}.a`),
                b: arm(interval.b, file, `${where}.b`),
                ...(health ? { health } : {}),
            },
        };
    });
    const text = (v, name) => {
        if (v === undefined)
            return undefined;
        if (typeof v !== 'string')
            throw malformed(file, `"${name}" must be a string`);
        return v;
    };
    const started = text(json.started, 'started');
    if (started !== undefined && !Number.isFinite(Date.parse(started)))
        throw malformed(file, `"started" must be a time (ISO 8601), not ${JSON.stringify(started)}`);
    return {
        model: text(json.model, 'model'),
        version: text(json.version, 'version'),
        baseline: text(json.baseline, 'baseline'),
        started,
        intervals,
    };
}
function arm(value, file, where) {
    if (isObject(value) && typeof value.error === 'string')
        return { error: value.error };
    if (!isObject(value) || typeof value.successes !== 'number' || typeof value.trials !== 'number')
        throw malformed(file, `${where} must be {"successes": N, "trials": N} or {"error": "why the query failed"}`);
    return { successes: value.successes, trials: value.trials };
}
/** `{ "<metric>": { "b": [values] | {error}, "a"?: [values] | {error} } }`: B as the canary, A as the baseline. */
function healthOf(value, file, where) {
    if (!isObject(value))
        throw malformed(file, `${where} must be an object of metrics: {"error_rate": {"b": [...], "a": [...]}}`);
    return Object.entries(value).map(([metric, sides]) => {
        if (!isObject(sides) || sides.b === undefined)
            throw malformed(file, `${where}.${metric} must be {"b": [values], "a": [values]} (B's series, then A's)`);
        return {
            metric,
            canary: series(sides.b, file, `${where}.${metric}.b`),
            ...(sides.a !== undefined ? { baseline: series(sides.a, file, `${where}.${metric}.a`) } : {}),
        };
    });
}
/** Values as numbers, null or Prometheus' strings ("NaN", "+Inf"), or why the query failed. */
const series = (value, file, where) => recordedSeries(value, file, where, FIX);
/**
 * Judges a recording as the app would: from the split going live, one look
 * per interval at its due time, until the test concludes (and, without
 * auto_conclude, proposes: what `/ab conclude` would apply). Each
 * interval's `at` must be the end the app would have read, so a recording
 * made with another interval is refused rather than judged on the wrong clock.
 * With the manifest's canary policy and health series in the recording, B's
 * serving health is judged at every look as the app judges it (an interval
 * without them counts as an error, as nothing read would in the app), and
 * the intervals after a proposal are read as the app reads them while the
 * proposal waits for `/ab conclude`: B's health only, so a breach there
 * overrules the proposal (keep A).
 */
function analyzeRecordedAb(policy, recorded, model, file, canary) {
    const resolved = resolveAbPolicy(policy);
    const hasMetrics = Boolean(canary?.metrics?.length);
    const recordsHealth = recorded.intervals.some((i) => i.data.health !== undefined);
    const healthPolicy = hasMetrics && recordsHealth ? canary : undefined;
    const first = recorded.intervals[0];
    const startedMs = recorded.started
        ? Date.parse(recorded.started)
        : first
            ? Date.parse(first.at) - resolved.intervalMs
            : 0;
    let state = {
        v: 1,
        model,
        version: recorded.version ?? 'B',
        ref: `${model}@v${recorded.version ?? 'B'}`,
        sha: '0'.repeat(40),
        manifest: '',
        trigger: 'recorded',
        pr: 1,
        environment: 'canary',
        productionEnvironment: 'production',
        baselineVersion: recorded.baseline,
        deploymentId: 1,
        weight: resolved.split,
        stepStartedAt: new Date(startedMs).toISOString(),
        intervals: [],
        status: 'running',
        strategy: 'ab',
        ab: startAbRecord(new Date(startedMs)),
    };
    let decision;
    let judged = 0;
    for (const [index, interval] of recorded.intervals.entries()) {
        const window = nextAbJudgment(state, policy);
        if (!window)
            break;
        if (Date.parse(interval.at) !== window.due.getTime())
            throw malformed(file, `intervals[${index}] ends at ${interval.at}, but with interval ${resolved.text.interval} from ${new Date(startedMs).toISOString()} the app reads the interval ending ${window.due.toISOString()}: record one entry per interval, in order`);
        const step = planAbStep(state, policy, healthPolicy, interval.data, window.due, { autoMerge: false });
        if (step.kind !== 'judged')
            break;
        ({ state, decision } = step);
        judged += 1;
    }
    const proposal = state.ab?.proposal;
    return {
        model,
        outcome: proposal?.outcome ?? 'undecided',
        reason: proposal?.reason ??
            (judged === 0
                ? 'no interval was recorded'
                : `the recording ends before a conclusion: ${decision?.reason ?? 'not judged'}`),
        decision,
        unread: recorded.intervals.length - judged,
        health: healthPolicy ? 'judged' : hasMetrics ? 'not recorded' : 'no canary.metrics',
        state,
    };
}

const OUTCOME = {
    promote_b: '🚀 promote B',
    keep_a: '↩️ keep A (B is worse)',
    inconclusive: '⚠️ inconclusive: keep A',
};
const HEALTH_OUTCOME = "↩️ keep A (B's serving health failed)";
const outcomeText = (proposal) => proposal.basis === 'health' ? HEALTH_OUTCOME : OUTCOME[proposal.outcome];
const VERDICT = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    error: '⛔ error',
};
const STATUS = {
    running: '🧪 running',
    promoted: '🚀 B promoted',
    failed: '↩️ A kept',
    aborted: '⏹️ aborted',
};
const num = (v) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '—');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const rate = (arm) => (arm.trials > 0 ? `${num((arm.successes / arm.trials) * 100)} %` : '—');
/** A rate difference in percentage points, signed. */
const points = (v) => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${num(v * 100)}` : '—');
const ms = (v) => (v <= 0 ? '0m' : v < 60_000 ? `${Math.round(v / 1000)}s` : formatDuration(v));
function viewOf(state, policy) {
    const resolved = resolveAbPolicy(policy);
    const ab = state.ab;
    const last = ab?.recent.at(-1)?.at;
    const elapsedMs = ab && last ? Math.max(0, Date.parse(last) - Date.parse(ab.startedAt)) : 0;
    return {
        policy: resolved,
        ab,
        elapsedMs: Number.isFinite(elapsedMs) ? elapsedMs : 0,
        counted: !!ab?.evidence,
    };
}
/**
 * The A/B test's part of the sticky comment: a headline, each arm's rate,
 * the difference with its always-valid confidence sequence, the always-valid
 * p-value against alpha, trials against min_samples and time against
 * min_duration and the horizon, then the proposal and how to confirm it.
 * Every value from the manifest, a version or a metric provider is inert.
 */
function renderAbSection(state, policy) {
    const md = inertMarkdown;
    const { policy: p, ab, elapsedMs, counted } = viewOf(state, policy);
    const confidence = `${num((1 - p.alpha) * 100)} %`;
    const out = [
        `### A/B test: ${md(p.metric.name)} (${p.metric.higher_is_better ? 'higher' : 'lower'} is better)`,
        '',
        `**${STATUS[state.status]}** · ${state.weight}% of requests to B (${md(state.version)}), the rest to A (${state.baselineVersion ? md(state.baselineVersion) : 'production'}) · ${p.autoConclude ? 'the decision applies itself (auto_conclude)' : 'a person confirms the decision with `/ab conclude`'}`,
        '',
    ];
    if (!ab) {
        out.push('Waiting for the deployer to report the split live: nothing measured yet.', '');
        return out.join('\n');
    }
    const look = ab.evidence ?? ab.latest;
    out.push('| arm | version | successes | trials | rate |', '|---|---|---|---|---|', `| A (production) | ${state.baselineVersion ? md(state.baselineVersion) : '—'} | ${int(ab.totals.a.successes)} | ${int(ab.totals.a.trials)} | ${rate(ab.totals.a)} |`, `| B (new) | ${md(state.version)} | ${int(ab.totals.b.successes)} | ${int(ab.totals.b.trials)} | ${rate(ab.totals.b)} |`, '', '| evidence | value | needed |', '|---|---|---|', `| B − A (percentage points) | ${look ? `${points(ab.latest?.difference ?? look.difference)}, ${confidence} confidence sequence [${points(look.lower)}, ${points(look.upper)}]${counted ? '' : ' (provisional: not counted before min_duration and min_samples)'}` : '—'} | excludes 0 |`, `| always-valid p | ${ab.evidence ? num(ab.evidence.p) : '— (not counted yet)'} | < ${num(p.alpha)} |`, `| trials in the smaller arm | ${int(Math.min(ab.totals.a.trials, ab.totals.b.trials))} | ≥ ${int(p.minSamples)} |`, `| time since the split went live | ${ms(elapsedMs)} | ≥ ${md(p.text.minDuration)}, horizon ${md(p.text.horizon)} |`, `| intervals | ${ab.looks} looked at, ${ab.errors} not usable | |`, '', `_Looked at every interval, the test keeps its false-positive rate at or below alpha (${num(p.alpha)}): the p-value and the confidence sequence are always valid (a mixture sequential probability ratio test). In 1,000 simulated A/A tests looked at every interval it rejects fewer than alpha; a fixed-horizon z-test looked at as often rejects several times alpha (docs/ab.md)._`, '');
    const lastObservation = ab.recent.at(-1);
    if (lastObservation && 'error' in lastObservation)
        out.push(`⛔ The interval ending ${md(lastObservation.at)} could not be used: ${md(lastObservation.error)}. It is not counted; no conclusion is drawn from it.`, '');
    if (ab.health)
        out.push(...healthSection(ab.health));
    if (ab.proposal) {
        out.push(`**Decision: ${outcomeText(ab.proposal)}** (${md(ab.proposal.reason)})`, '');
        if (ab.overruled)
            out.push(`It overruled the proposal "${outcomeText(ab.overruled)}" of ${md(ab.overruled.at)} (${md(ab.overruled.reason)}), which was waiting for \`/ab conclude\`.`, '');
        if (ab.confirmedBy)
            out.push(`Confirmed by @\u200b${md(ab.confirmedBy.by)}: ${md(ab.confirmedBy.link)}`, '');
        else if (!ab.concludedAt && state.status === 'running')
            out.push(`${ab.proposal.outcome === 'promote_b'
                ? 'Comment `/ab conclude` to promote B.'
                : 'Comment `/ab conclude` to keep A (B is taken out of traffic and the revert pull request opens), or `/promote` to ship B anyway.'} ${ab.health
                ? `Until then the split keeps serving both versions, and B's serving health is still looked at every ${md(p.text.interval)} (${looksText(ab.waitingLooks)} since the proposal): a failure beyond the canary's limits keeps A at once.`
                : 'Until then the split keeps serving both versions, unwatched: the manifest has no `canary.metrics`, so nothing is looked at until a person decides.'}`, '');
    }
    else if (state.status === 'running') {
        out.push(`No decision yet. The test is looked at every ${md(p.text.interval)}; the always-valid p-value stays valid however often it is looked at, so it concludes as soon as the evidence is there (after min_duration and min_samples), and as inconclusive at the horizon.`, '');
    }
    if (state.endedBy)
        out.push(`Ended by @\u200b${md(state.endedBy.by)}: ${md(state.endedBy.link)}`, '');
    return out.join('\n');
}
/** The same facts as plain text (the CLI's `--format text`). */
function renderAbText(state, policy) {
    const t = inertText;
    const { policy: p, ab, elapsedMs } = viewOf(state, policy);
    const lines = [
        `A/B test of ${t(state.model)}: ${t(p.metric.name)} (${p.metric.higher_is_better ? 'higher' : 'lower'} is better), B ${t(state.version)} vs A ${t(state.baselineVersion ?? 'production')}`,
    ];
    if (ab) {
        for (const o of ab.recent)
            lines.push('error' in o
                ? `interval ending ${t(o.at)}: not usable: ${t(o.error)}`
                : `interval ending ${t(o.at)}: A ${num(o.a.successes)}/${num(o.a.trials)}, B ${num(o.b.successes)}/${num(o.b.trials)}`);
        if (ab.looks > ab.recent.length)
            lines.push(`(${ab.looks - ab.recent.length} earlier interval(s) in the totals)`);
        lines.push(`A: ${int(ab.totals.a.successes)}/${int(ab.totals.a.trials)} = ${rate(ab.totals.a)}; B: ${int(ab.totals.b.successes)}/${int(ab.totals.b.trials)} = ${rate(ab.totals.b)}`);
        const look = ab.evidence ?? ab.latest;
        if (look)
            lines.push(`B - A: ${points(ab.latest?.difference ?? look.difference)} points, ${num((1 - p.alpha) * 100)} % confidence sequence [${points(look.lower)}, ${points(look.upper)}]${ab.evidence ? '' : ' (provisional)'}`);
        lines.push(`always-valid p: ${ab.evidence ? num(ab.evidence.p) : 'not counted yet'} (alpha ${num(p.alpha)}); smaller arm ${int(Math.min(ab.totals.a.trials, ab.totals.b.trials))} trials (min_samples ${p.minSamples}); ${ms(elapsedMs)} (min_duration ${t(p.text.minDuration)}, horizon ${t(p.text.horizon)}); ${ab.errors} of ${ab.looks} interval(s) not usable`);
        if (ab.health) {
            const latest = ab.health.recent.at(-1);
            lines.push(`serving health (canary.metrics, B vs A): ${tallyText(ab.health)}${latest ? `; latest interval ending ${t(latest.at)}: ${latest.verdict}` : ''}`);
            for (const m of latest?.measurements ?? [])
                lines.push(`  ${t(m.metric)}: ${m.verdict}: ${t(m.reason)}${m.canary ? `; B ${num(m.canary.median)} (n=${m.canary.n})` : ''}${m.baseline ? `, A ${num(m.baseline.median)} (n=${m.baseline.n})` : ''}`);
        }
        if (ab.proposal)
            lines.push(`decision: ${outcomeText(ab.proposal)}: ${t(ab.proposal.reason)}`);
        if (ab.overruled)
            lines.push(`overruled: ${outcomeText(ab.overruled)} of ${t(ab.overruled.at)}: ${t(ab.overruled.reason)}`);
        if (ab.proposal && !ab.concludedAt && state.status === 'running')
            lines.push(ab.health
                ? `waiting for /ab conclude: B's serving health is still looked at every ${t(p.text.interval)} (${looksText(ab.waitingLooks)} since the proposal)`
                : 'waiting for /ab conclude: nothing is looked at meanwhile (no canary.metrics)');
    }
    return `${lines.join('\n')}\n`;
}
const looksText = (n = 0) => `${n} look${n === 1 ? '' : 's'}`;
const tallyText = ({ tally }) => `${tally.passed} passed, ${tally.failed} failed, ${tally.inconclusive} inconclusive, ${tally.errors} with errors${tally.consecutiveErrors ? ` (${tally.consecutiveErrors} in a row)` : ''}`;
/** A threshold in the canary report's words. */
function thresholdText(m) {
    const { min, max } = m.threshold ?? {};
    if (min !== undefined && max !== undefined)
        return `${num(min)} … ${num(max)}`;
    if (min !== undefined)
        return `≥ ${num(min)}`;
    if (max !== undefined)
        return `≤ ${num(max)}`;
    return '—';
}
/**
 * B's serving health: the intervals so far, counted the canary's way, and
 * the latest one metric by metric (B's and A's medians, the threshold, the
 * one-sided Mann–Whitney p in the metric's bad direction, the verdict).
 */
function healthSection(health) {
    const md = inertMarkdown;
    const latest = health.recent.at(-1);
    const out = [
        `#### Serving health (canary.metrics, B against A)${latest ? `: ${VERDICT[latest.verdict]} in the interval ending ${md(latest.at)}` : ''}`,
        '',
        `Intervals so far: ${tallyText(health)}. A failed interval beyond \`failure_limit\`, or errors in a row beyond \`consecutive_error_limit\`, keeps A at once, whatever the product metric says.`,
        '',
    ];
    if (!latest)
        return out;
    if (latest.reason)
        out.push(md(latest.reason), '');
    out.push('| metric | B | A | threshold | p (B worse) | verdict |', '|---|---|---|---|---|---|', ...latest.measurements.map((m) => `| ${md(m.metric)} | ${m.canary ? `${num(m.canary.median)} (n=${m.canary.n})` : '—'} | ${m.baseline ? `${num(m.baseline.median)} (n=${m.baseline.n})` : '—'} | ${thresholdText(m)} | ${m.test ? num(m.test.p) : '—'} | ${VERDICT[m.verdict]}: ${md(m.reason)} |`), '');
    return out;
}

/** `modelgate ab analyze`: the app's A/B judgment on recorded counts. */
async function runAb(args, out) {
    requireAnalyze(args, 'ab', 'modelgate ab analyze --counts FILE');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const { file, recorded, name, root, manifest } = await readRecordedAnalysis(args, { name: 'ab', option: 'counts', records: 'per-interval counts' }, readRecordedAb);
    const policy = manifest?.rollout?.ab;
    if (!policy || manifest?.rollout?.strategy !== 'ab')
        throw new CommandError(`no manifest of ${name} with rollout.strategy ab under ${root}`, 'Add a rollout block with strategy: ab and an ab.metric to the manifest (docs/ab.md).');
    const analysis = analyzeRecordedAb(policy, recorded, name, file, manifest?.canary);
    if (analysis.health === 'not recorded')
        out.stderr('modelgate: serving health not recorded: judged on the product metric alone\n');
    out.stdout(format === 'json'
        ? `${inertJson(analysis)}\n`
        : format === 'markdown'
            ? `${renderAbSection(analysis.state, policy)}\n`
            : renderAbText(analysis.state, policy));
    if (analysis.outcome !== 'promote_b')
        out.stderr(`modelgate: the A/B test did not show B better: ${analysis.reason}\n`);
    return analysis.outcome === 'promote_b' ? 0 : 1;
}

export { runAb };
