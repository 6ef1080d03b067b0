import { p as parseRolloutDuration } from './parse-B69nEYJT.js';
import { j as judgeInterval, a as judgeAnalysis, r as recordedSeries } from './judge-DNslFlAX.js';
import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';
import { s as steerSchema } from './steer-10wZQmlJ.js';
import { u as union, n as number, _ as _null, s as strictObject, b as _enum, a as array, t as tuple, c as string } from './yaml-document-D8lQUcRd.js';
import { D as DEFAULT_GATE_OPTIONS, j as judgeGate, r as resolveBaseline } from './baseline-CYOcV2_a.js';
import { i as inertText, b as inertMarkdown, c as inertJson } from './escape-C_Mv5luI.js';
import { p as parsePythonJson, r as readResultsFile } from './results-BkNxfSbQ.js';
import { l as loadModel, M as ModelManifests } from './model-manifests-CC9BAMMY.js';
import { r as readRegistry } from './state-AWNhEueb.js';
import { f as formatOf, C as CommandError, l as listOf } from './command-BFTcRIcy.js';
import { GitRepository } from './git-repository-B5nDBN5A.js';
import { readSettings } from './settings-C0UoLdVc.js';
import { r as readUserJsonFile, R as RESULTS_MAX_BYTES } from './user-file-0rc-qr69.js';
import { r as requireAnalyze, a as readRecordedAnalysis, f as findModelManifest } from './recorded-analysis-C9s4W0RU.js';
import 'process';
import 'buffer';
import './json-equal-DyaeKnIb.js';
import './hashed-string-BvNvQAaH.js';
import 'node:path';
import 'node:buffer';
import './registration-tags-C5oXtNLZ.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import './stages-Cl5dJrTL.js';
import './names-BCxkbDpg.js';
import './storage-uri-CZ8FpHhv.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The bounds of each duration (milliseconds), and its default. */
const BLUE_GREEN_DURATIONS = {
    'pre_switch.duration': { min: 0, max: DAY, default: '10m' },
    'post_switch.duration': { min: MINUTE, max: 7 * DAY, default: '30m' },
    'post_switch.interval': { min: 10_000, max: DAY, default: '5m' },
    // Blue kept warm longer than a month is a second production, not a rollback plan.
    scale_down_delay: { min: MINUTE, max: 30 * DAY, default: undefined },
};
/** 1800000 -> `30m`: the largest whole unit. */
function formatBlueGreenDuration(ms) {
    for (const [unit, size] of [
        ['d', DAY],
        ['h', HOUR],
        ['m', MINUTE],
    ])
        if (ms >= size && ms % size === 0)
            return `${ms / size}${unit}`;
    return `${Math.round(ms / 1000)}s`;
}
/**
 * Every problem of a blue_green block: a duration that is not one or out of
 * its bounds, a scale_down_delay shorter than the post-switch window (blue
 * must still be there to switch back to), a suite named twice. The manifest
 * schema reports these as MANIFEST-SCHEMA; resolveBlueGreenPolicy refuses them.
 */
function blueGreenPolicyProblems(block = {}) {
    const problems = [];
    const texts = {
        'pre_switch.duration': block.pre_switch?.duration,
        'post_switch.duration': block.post_switch?.duration,
        'post_switch.interval': block.post_switch?.interval,
        scale_down_delay: block.scale_down_delay,
    };
    for (const [path, text] of Object.entries(texts)) {
        if (text === undefined)
            continue;
        const bounds = BLUE_GREEN_DURATIONS[path];
        const ms = parseRolloutDuration(text);
        if (ms === undefined)
            problems.push({ path, message: `"${text}" is not a duration such as 30s, 10m, 1h or 2d` });
        else if (ms < bounds.min || ms > bounds.max)
            problems.push({
                path,
                message: `${text} is not between ${formatBlueGreenDuration(bounds.min)} and ${formatBlueGreenDuration(bounds.max)}`,
            });
    }
    const post = parseRolloutDuration(block.post_switch?.duration ?? BLUE_GREEN_DURATIONS['post_switch.duration'].default);
    const interval = parseRolloutDuration(block.post_switch?.interval ?? BLUE_GREEN_DURATIONS['post_switch.interval'].default);
    const delay = block.scale_down_delay === undefined ? undefined : parseRolloutDuration(block.scale_down_delay);
    if (post !== undefined && delay !== undefined && delay < post)
        problems.push({
            path: 'scale_down_delay',
            message: `${block.scale_down_delay} is shorter than post_switch.duration (${formatBlueGreenDuration(post)}): blue would be gone before the post-switch analysis could switch back to it`,
        });
    if (post !== undefined && interval !== undefined && interval > post)
        problems.push({
            path: 'post_switch.interval',
            message: `${formatBlueGreenDuration(interval)} is longer than post_switch.duration (${formatBlueGreenDuration(post)}): not one window would fit`,
        });
    const suites = block.pre_switch?.suites ?? [];
    const twice = suites.find((name, index) => suites.indexOf(name) !== index);
    if (twice !== undefined)
        problems.push({ path: 'pre_switch.suites', message: `suite ${twice} is named twice` });
    return problems;
}
/** A blue_green block that cannot be resolved: a manifest that passed the schema never has one. */
class BlueGreenPolicyError extends Error {
    problems;
    constructor(problems) {
        super(problems.map((p) => `rollout.blue_green.${p.path}: ${p.message}`).join('; '));
        this.problems = problems;
    }
}
/**
 * The policy with its defaults: pre-switch health 10m over every eval suite,
 * switch automatically, watch 30m judged every 5m, keep blue warm for the
 * post-switch window. Throws BlueGreenPolicyError for a block the schema
 * would refuse (see blueGreenPolicyProblems).
 */
function resolveBlueGreenPolicy(block = {}) {
    const problems = blueGreenPolicyProblems(block);
    if (problems.length)
        throw new BlueGreenPolicyError(problems);
    const ms = (text, fallback) => parseRolloutDuration(text ?? fallback);
    const postDuration = ms(block.post_switch?.duration, BLUE_GREEN_DURATIONS['post_switch.duration'].default);
    return {
        preSwitch: {
            ...(block.pre_switch?.suites ? { suites: [...block.pre_switch.suites] } : {}),
            durationMs: ms(block.pre_switch?.duration, BLUE_GREEN_DURATIONS['pre_switch.duration'].default),
        },
        autoSwitch: block.auto_switch ?? true,
        postSwitch: {
            durationMs: postDuration,
            intervalMs: ms(block.post_switch?.interval, BLUE_GREEN_DURATIONS['post_switch.interval'].default),
        },
        scaleDownDelayMs: block.scale_down_delay === undefined ? postDuration : parseRolloutDuration(block.scale_down_delay),
    };
}

const text = (max = 1024) => string().max(max);
const time = text(64);
// JSON writes NaN as null: read it back as NaN, the value the gate had.
const evidence = union([number(), _null()]).transform((v) => v ?? Number.NaN);
const outcome$1 = strictObject({ verdict: _enum(['pass', 'fail']), reason: text(4096), at: time });
const suiteJudgmentSchema = strictObject({
    at: time,
    verdict: _enum(['pass', 'fail', 'inconclusive', 'none']),
    reason: text(4096),
    gatesFrom: text(512),
    baseline: text(512).optional(),
    suites: array(strictObject({
        name: text(256),
        accuracy: evidence.optional(),
        n: number().int().nonnegative().optional(),
        errors: number().int().nonnegative().optional(),
        notRun: text(2048).optional(),
    }))
        .max(100),
    gates: array(strictObject({
        metric: text(512),
        verdict: _enum(['pass', 'fail', 'inconclusive', 'not-run']),
        reason: text(4096),
        candidate: evidence.optional(),
        baseline: evidence.optional(),
        ci: tuple([evidence, evidence]).optional(),
        confidence: number().gt(0).lt(1).optional(),
    }))
        .max(200),
});
/** The shape a BlueGreenRecord read back from a comment must have: every field bounded, nothing extra. */
strictObject({
    phase: _enum(['preview', 'ready', 'switching', 'switched', 'done', 'switched-back']),
    previewDeploymentId: number().int().positive().optional(),
    suites: suiteJudgmentSchema.optional(),
    preSwitch: outcome$1.optional(),
    readyAt: time.optional(),
    switchRequestedAt: time.optional(),
    switchedBy: steerSchema.optional(),
    switchedAt: time.optional(),
    scaleDownDelaySeconds: number()
        .int()
        .nonnegative()
        .max(30 * 86_400)
        .optional(),
    postSwitch: outcome$1.optional(),
});
/** The record a blue-green rollout starts with, once its preview deployment is created. */
function startBlueGreenRecord(previewDeploymentId) {
    return { phase: 'preview', previewDeploymentId };
}

/** Gates and runs kept in the sealed state: the state must stay well under a comment's 64 KiB. */
const MAX_KEPT = 100;
/** The longest reason the sealed state keeps (its schema's bound). */
const MAX_REASON = 4096;
/**
 * Judges the suites run against the preview with the gates machinery
 * (thresholds, and non-inferiority against production's results). Only gates
 * on a suite that was asked to run count (`<suite>/accuracy`). It passes when
 * at least one gate was judged and every one passed; a suite that could not
 * run, a gate that failed or was not run, fails; a gate that cannot decide,
 * or suites that ran with no gate on them, are inconclusive: never a pass.
 */
function judgePreviewSuites(evidence, at) {
    const judged = judgeSuites(evidence, at);
    // A suite new in the release was judged on a test the release wrote: the verdict says so.
    const notes = evidence.suites.flatMap((run) => (run.note ? [run.note] : []));
    if (!notes.length)
        return judged;
    const reason = `${judged.reason}. Note: ${notes.join('; ')}`;
    return { ...judged, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason };
}
function judgeSuites(evidence, at) {
    const options = {
        ...DEFAULT_GATE_OPTIONS,
        confidence: evidence.confidence ?? DEFAULT_GATE_OPTIONS.confidence,
        minSamples: evidence.minSamples ?? DEFAULT_GATE_OPTIONS.minSamples,
    };
    const suites = evidence.suites.slice(0, MAX_KEPT).map((run) => ({
        name: run.name,
        ...(run.measured
            ? { accuracy: run.measured.value, ...(run.measured.n !== undefined ? { n: run.measured.n } : {}) }
            : {}),
        ...(run.errors !== undefined ? { errors: run.errors } : {}),
        ...(run.notRun ? { notRun: run.notRun } : {}),
    }));
    const base = {
        at,
        gatesFrom: evidence.gatesFrom,
        ...(evidence.baseline ? { baseline: evidence.baseline.label } : {}),
        suites,
    };
    if (!evidence.suites.length)
        return {
            ...base,
            verdict: 'none',
            reason: 'no eval suite is selected to run against the preview',
            gates: [],
        };
    const byName = new Map(evidence.suites.map((run) => [run.name, run]));
    const gates = [];
    for (const gate of evidence.gates) {
        const run = byName.get(gate.metric.split('/')[0] ?? '');
        if (!run)
            continue;
        const candidate = run.measured?.name === gate.metric ? run.measured : undefined;
        const trusted = evidence.baseline?.gates?.find((g) => g.metric === gate.metric && g.higher_is_better !== undefined);
        const result = judgeGate(gate, candidate, evidence.baseline?.metrics.get(gate.metric), options, {
            ...(run.notRun ? { notRun: run.notRun } : {}),
            ...(trusted ? { baselineGate: trusted.higher_is_better } : {}),
        });
        gates.push({
            metric: gate.metric,
            verdict: result.verdict,
            reason: result.reason,
            ...(result.candidate !== undefined ? { candidate: result.candidate } : {}),
            ...(result.baseline !== undefined ? { baseline: result.baseline } : {}),
            ...(result.comparison ? { ci: result.comparison.ci, confidence: result.comparison.confidence } : {}),
        });
    }
    const kept = gates.slice(0, MAX_KEPT);
    const notRun = evidence.suites.find((run) => run.notRun);
    if (notRun)
        return {
            ...base,
            gates: kept,
            verdict: 'fail',
            reason: `suite ${notRun.name} did not run: ${notRun.notRun}`,
        };
    const failed = gates.find((g) => g.verdict === 'fail' || g.verdict === 'not-run');
    if (failed)
        return { ...base, gates: kept, verdict: 'fail', reason: `gate ${failed.metric}: ${failed.reason}` };
    const ungated = evidence.suites.find((run) => !gates.some((g) => g.metric.split('/')[0] === run.name));
    if (ungated)
        return {
            ...base,
            gates: kept,
            verdict: 'inconclusive',
            reason: `no gate judges suite ${ungated.name} (add a gate on ${ungated.name}/accuracy to eval.gates): a suite nothing judges is not evidence`,
        };
    const open = gates.find((g) => g.verdict === 'inconclusive');
    if (open)
        return {
            ...base,
            gates: kept,
            verdict: 'inconclusive',
            reason: `gate ${open.metric} is inconclusive: ${open.reason}`,
        };
    return {
        ...base,
        gates: kept,
        verdict: 'pass',
        reason: `${gates.length} gate(s) on ${evidence.suites.length} suite(s) passed against the preview`,
    };
}

/** Fewer points than this in a window make a rate() unreliable (as for the canary). */
const POINTS_PER_WINDOW = 20;
const MIN_QUERY_STEP_SECONDS = 15;
/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
const queryStep = (lengthMs) => Math.max(MIN_QUERY_STEP_SECONDS, Math.round(lengthMs / 1000 / POINTS_PER_WINDOW));
/**
 * The next analysis window of a running blue-green rollout, or undefined when
 * there is nothing to judge now: finished, paused, waiting for the deployer
 * (the preview or the switch not reported live yet), or `ready` (waiting for
 * `/promote`). The pre-switch analysis judges the suites when the preview goes
 * live, then one health window of pre_switch.duration; the post-switch one
 * judges every post_switch.interval from the moment green went live until
 * post_switch.duration. Windows count from times in the state, never from now.
 */
function nextBlueGreenJudgment(state, policy) {
    const record = state.blueGreen;
    if (state.strategy !== 'blue_green' || !record)
        return undefined;
    if (state.status !== 'running' || state.awaiting !== undefined || state.paused)
        return undefined;
    const resolved = resolvedOrUndefined(policy);
    if (!resolved)
        return undefined;
    const stepStart = Date.parse(state.stepStartedAt);
    if (!Number.isFinite(stepStart))
        return undefined;
    if (record.phase === 'preview') {
        if (!record.suites) {
            const at = new Date(stepStart);
            return {
                analysis: 'pre-switch',
                suites: true,
                due: at,
                start: at,
                end: at,
                step: MIN_QUERY_STEP_SECONDS,
            };
        }
        const length = resolved.preSwitch.durationMs;
        if (length === 0 || state.intervals.some((i) => Date.parse(i.at) > stepStart))
            return undefined;
        return {
            analysis: 'pre-switch',
            suites: false,
            due: new Date(stepStart + length),
            start: new Date(stepStart),
            end: new Date(stepStart + length),
            step: queryStep(length),
        };
    }
    if (record.phase !== 'switching' && record.phase !== 'switched')
        return undefined;
    const requested = Date.parse(record.switchRequestedAt ?? '');
    if (!Number.isFinite(requested))
        return undefined;
    const post = postWindows(state, record, resolved);
    if (post.judged >= post.count)
        return undefined;
    const start = post.start + post.judged * resolved.postSwitch.intervalMs;
    const end = Math.min(start + resolved.postSwitch.intervalMs, post.start + resolved.postSwitch.durationMs);
    return {
        analysis: 'post-switch',
        suites: false,
        due: new Date(end),
        start: new Date(start),
        end: new Date(end),
        step: queryStep(end - start),
        baseline: { start: new Date(requested - (end - start)), end: new Date(requested) },
    };
}
/**
 * Plans one blue-green judgment: the pre-switch suites, the preview's health
 * window, or a post-switch window; decides (wait, switch, promote, roll
 * back) and lists the effects, `save-state` last. Pure. Not due, or nothing
 * to judge, plans nothing, so a duplicate or early job is harmless.
 */
function planBlueGreenStep(state, policy, canary, data, now, options) {
    const window = nextBlueGreenJudgment(state, policy);
    const record = state.blueGreen;
    if (!window || !record)
        return { kind: 'not-due' };
    if (now.getTime() < window.due.getTime())
        return { kind: 'not-due', due: window.due };
    const resolved = resolveBlueGreenPolicy(policy);
    const at = window.due.toISOString();
    const plan = new Plan(state, record, resolved, options);
    const metrics = canary?.metrics ?? [];
    if (window.analysis === 'post-switch')
        return plan.postSwitch(window, metrics.length ? canary : undefined, data, at);
    // Without metrics nothing could watch green after the switch: stop before any user reaches it.
    if (!metrics.length)
        return plan.preSwitchFailed(at, 'blue_green needs canary.metrics: after the switch nothing could tell a bad green from a good one');
    if (window.suites) {
        const suites = data.suites ? judgePreviewSuites(data.suites, at) : undefined;
        if (!suites)
            return plan.preSwitchFailed(at, 'the eval suites were not run against the preview');
        plan.record = { ...plan.record, suites };
        if (suites.verdict === 'fail' || suites.verdict === 'inconclusive')
            return plan.preSwitchFailed(at, `the eval suites did not pass: ${suites.reason}`);
        if (resolved.preSwitch.durationMs > 0)
            return plan.wait(at, `${suites.reason}; the preview's health window ends ${new Date(window.due.getTime() + resolved.preSwitch.durationMs).toISOString()}`);
        return suites.verdict === 'pass'
            ? plan.preSwitchPassed(at, suites.reason)
            : plan.preSwitchFailed(at, 'nothing was judged: no eval suite ran and pre_switch.duration is 0s');
    }
    // The preview has no users: only the thresholds apply, there is no baseline to compare with.
    const health = judgeInterval(metrics, data.metrics.map((d) => ({ metric: d.metric, canary: d.canary })), canary, at);
    plan.next.intervals = [...state.intervals, health];
    if (health.verdict !== 'pass')
        return plan.preSwitchFailed(at, `the preview's health window ${health.verdict === 'fail' ? 'failed' : `is ${health.verdict}, not a pass`}: ${why(health)}`);
    const suites = record.suites?.verdict === 'pass' ? `${record.suites.reason}; ` : '';
    return plan.preSwitchPassed(at, `${suites}the preview was healthy for ${formatBlueGreenDuration(resolved.preSwitch.durationMs)}`);
}
/** The post-switch windows: where they start, how many there are, how many are judged. */
function postWindows(state, record, policy) {
    // Green went live when the deployer said so (the step start); never before the switch was asked for.
    const start = Math.max(Date.parse(state.stepStartedAt), Date.parse(record.switchRequestedAt ?? ''));
    return {
        start,
        count: Math.ceil(policy.postSwitch.durationMs / policy.postSwitch.intervalMs),
        judged: state.intervals.filter((i) => Date.parse(i.at) > start).length,
        intervals: state.intervals.filter((i) => Date.parse(i.at) > start),
    };
}
function resolvedOrUndefined(policy) {
    try {
        return resolveBlueGreenPolicy(policy);
    }
    catch {
        // A policy the schema refuses never reaches a running rollout; if it did, nothing is judged.
        return undefined;
    }
}
/** The failing (else the undecided) measurements of an interval, in a sentence. */
function why(interval) {
    if (interval.reason)
        return interval.reason;
    const worst = interval.measurements.filter((m) => m.verdict === 'fail').length > 0
        ? interval.measurements.filter((m) => m.verdict === 'fail')
        : interval.measurements.filter((m) => m.verdict !== 'pass');
    return worst.map((m) => `${m.metric}: ${m.reason}`).join('; ') || 'no metric was judged';
}
/** The state, record and effects of one planned move, built up by the branches above. */
class Plan {
    policy;
    options;
    next;
    record;
    effects = [];
    release;
    constructor(state, record, policy, options) {
        this.policy = policy;
        this.options = options;
        this.next = { ...state };
        this.record = { ...record };
        this.release = `${state.model} ${state.version}`;
    }
    wait(_at, reason) {
        return this.done({ action: 'wait', reason });
    }
    preSwitchPassed(at, reason) {
        this.record.preSwitch = outcome('pass', reason, at);
        if (this.policy.autoSwitch)
            return this.switch(at, reason);
        this.record.phase = 'ready';
        this.record.readyAt = at;
        return this.done({
            action: 'wait',
            reason: `the pre-switch analysis passed (${reason}); /promote switches all traffic`,
        });
    }
    switch(at, reason) {
        const seconds = Math.round(this.policy.scaleDownDelayMs / 1000);
        this.record.phase = 'switching';
        this.record.switchRequestedAt = at;
        this.record.scaleDownDelaySeconds = seconds;
        this.effects.push({
            kind: 'switch',
            description: `Switch all traffic to ${this.release}; keep the previous version warm ${formatBlueGreenDuration(this.policy.scaleDownDelayMs)}`.slice(0, DESCRIPTION_LIMIT),
            scaleDownDelaySeconds: seconds,
        });
        return this.done({ action: 'switch', reason });
    }
    preSwitchFailed(at, reason) {
        this.record.preSwitch = outcome('fail', reason, at);
        this.next.status = 'failed';
        this.effects.push({
            kind: 'fail-deployment',
            deploymentId: this.next.deploymentId,
            description: `pre-switch analysis failed: ${reason}`.slice(0, DESCRIPTION_LIMIT),
        }, { kind: 'open-revert', autoMerge: this.options.autoMerge }, {
            kind: 'complete-check',
            conclusion: 'failure',
            title: `${this.release}: pre-switch analysis failed`,
            summary: `No user traffic reached ${this.release}. ${reason}`,
        });
        return this.done({ action: 'rollback', reason });
    }
    postSwitch(window, canary, data, at) {
        const state = this.next;
        const post = postWindows(state, this.record, this.policy);
        const interval = judgeInterval(canary?.metrics ?? [], data.metrics, canary ?? {}, at);
        state.intervals = [...state.intervals, interval];
        this.record.phase = 'switched';
        this.record.switchedAt = new Date(post.start).toISOString();
        const analysis = judgeAnalysis([...post.intervals, interval], canary ?? {}, post.count);
        if (analysis.status === 'failed')
            return this.switchBack(at, analysis.reason);
        if (window.end.getTime() < post.start + this.policy.postSwitch.durationMs)
            return this.done({ action: 'wait', reason: analysis.reason });
        if (analysis.status !== 'passed')
            return this.switchBack(at, `the post-switch window ended with ${analysis.reason}: not a pass, and blue is still warm to switch back to`);
        this.record.phase = 'done';
        this.record.postSwitch = outcome('pass', analysis.reason, at);
        state.status = 'promoted';
        this.effects.push({ kind: 'promote', live: true }, {
            kind: 'complete-check',
            conclusion: 'success',
            title: `${this.release} promoted`,
            summary: `Green held against blue for ${formatBlueGreenDuration(this.policy.postSwitch.durationMs)} after the switch: ${analysis.reason}`,
        });
        return this.done({ action: 'promote', reason: `the post-switch analysis passed (${analysis.reason})` });
    }
    switchBack(at, reason) {
        this.record.phase = 'switched-back';
        this.record.postSwitch = outcome('fail', reason, at);
        this.next.status = 'failed';
        this.effects.push({
            kind: 'switch-back',
            description: `Switch all traffic back from ${this.release}: ${reason}`.slice(0, DESCRIPTION_LIMIT),
        }, { kind: 'open-revert', autoMerge: this.options.autoMerge }, {
            kind: 'complete-check',
            conclusion: 'failure',
            title: `${this.release}: switched back`,
            summary: `The post-switch analysis failed, so all traffic went back to the previous version. ${reason}`,
        });
        return this.done({ action: 'rollback', reason });
    }
    done(decision) {
        this.next.blueGreen = this.record;
        this.effects.push({ kind: 'save-state' });
        return { kind: 'judged', state: this.next, decision, effects: this.effects };
    }
}
function outcome(verdict, reason, at) {
    return { verdict, reason: reason.slice(0, 4096), at };
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_WINDOWS = 10_000;
/**
 * Reads a recording:
 * `{ model?, green, blue?, previewLiveAt, preview: { metric: [..] | {error} }, switchLiveAt?,
 *    postSwitch: [ { metric: { green: [..] | {error}, blue?: [..] | {error} } } ] }`.
 * Values may be numbers or Prometheus' strings ("NaN", "+Inf"). Throws MalformedFileError naming the field.
 */
function readRecordedBlueGreen(json, file) {
    if (!isObject(json))
        throw bad(file, 'it must be a JSON object');
    if (typeof json.green !== 'string' || !json.green)
        throw bad(file, `"green" must be the version under test`);
    const time = (value, field) => {
        if (typeof value !== 'string' || !Number.isFinite(Date.parse(value)))
            throw bad(file, `"${field}" must be a time such as 2026-11-22T10:00:00Z`);
        return value;
    };
    if (!isObject(json.preview))
        throw bad(file, `"preview" must map each metric to its series on the preview`);
    const preview = Object.entries(json.preview).map(([metric, values]) => ({
        metric,
        canary: series(values, file, `preview.${metric}`),
    }));
    const windows = json.postSwitch ?? [];
    if (!Array.isArray(windows) || windows.length > MAX_WINDOWS)
        throw bad(file, `"postSwitch" must be a list of at most ${MAX_WINDOWS} windows`);
    const postSwitch = windows.map((window, index) => {
        if (!isObject(window))
            throw bad(file, `postSwitch[${index}] must map each metric to { "green": [..], "blue": [..] }`);
        return Object.entries(window).map(([metric, sides]) => {
            const where = `postSwitch[${index}].${metric}`;
            if (!isObject(sides))
                throw bad(file, `${where} must be { "green": [..], "blue": [..] }`);
            return {
                metric,
                canary: series(sides.green, file, `${where}.green`),
                ...(sides.blue !== undefined ? { baseline: series(sides.blue, file, `${where}.blue`) } : {}),
            };
        });
    });
    return {
        ...(typeof json.model === 'string' ? { model: json.model } : {}),
        green: json.green,
        ...(typeof json.blue === 'string' ? { blue: json.blue } : {}),
        previewLiveAt: time(json.previewLiveAt, 'previewLiveAt'),
        preview,
        ...(json.switchLiveAt !== undefined ? { switchLiveAt: time(json.switchLiveAt, 'switchLiveAt') } : {}),
        postSwitch,
    };
}
const bad = (file, problem) => new MalformedFileError(file, problem, 'Record the rollout as described in modelgate bluegreen --help.');
const series = (value, file, where) => recordedSeries(value, file, where, 'Record the rollout as described in modelgate bluegreen --help.');
/**
 * Replays a recording through the app's planner, judgment by judgment, with
 * the deployer reporting each deployment live as recorded: the same
 * decisions the app would take. Pure.
 */
function replayBlueGreen(recorded, model, policy, canary, suites) {
    let state = {
        v: 1,
        model,
        version: recorded.green,
        ref: `${model}@v${recorded.green}`,
        sha: '0'.repeat(40),
        manifest: '',
        trigger: 'recorded',
        pr: 1,
        environment: `${model}/preview`,
        productionEnvironment: `${model}/production`,
        ...(recorded.blue ? { baselineVersion: recorded.blue } : {}),
        deploymentId: 1,
        weight: 0,
        stepStartedAt: recorded.previewLiveAt,
        intervals: [],
        status: 'running',
        strategy: 'blue_green',
        blueGreen: startBlueGreenRecord(1),
    };
    const decisions = [];
    let post = 0;
    // Each judgment consumes a window or ends the rollout: bounded by the recording.
    for (let guard = 0; guard < recorded.postSwitch.length + 4; guard++) {
        const window = nextBlueGreenJudgment(state, policy);
        if (!window)
            return {
                state,
                decisions,
                ...(state.status === 'running'
                    ? {
                        stopped: state.blueGreen?.phase === 'ready'
                            ? 'the pre-switch analysis passed; with auto_switch: false the switch waits for /promote'
                            : 'nothing more to judge',
                    }
                    : {}),
            };
        let metrics = [];
        if (window.analysis === 'post-switch') {
            const recordedWindow = recorded.postSwitch[post++];
            if (!recordedWindow)
                return {
                    state,
                    decisions,
                    stopped: `the recording ends after ${post - 1} post-switch window(s), before the analysis decided`,
                };
            metrics = recordedWindow;
        }
        else if (!window.suites)
            metrics = recorded.preview;
        const step = planBlueGreenStep(state, policy, canary, { ...(window.suites && suites ? { suites } : {}), metrics }, window.due, { autoMerge: false });
        if (step.kind !== 'judged')
            return { state, decisions, stopped: 'nothing more to judge' };
        decisions.push(step.decision);
        state = step.state;
        if (step.effects.some((e) => e.kind === 'switch'))
            // The deployer reports the switch live (as recorded, else at once): green is production's deployment now.
            state = {
                ...state,
                deploymentId: state.deploymentId + 1,
                weight: 100,
                environment: state.productionEnvironment,
                stepStartedAt: recorded.switchLiveAt ?? state.blueGreen.switchRequestedAt,
            };
    }
    return { state, decisions, stopped: 'the recording ends before the analysis decided' };
}

const PHASE = {
    preview: '🔍 pre-switch analysis on the preview',
    ready: '⏸️ ready: waiting for `/promote` to switch',
    switching: '🔀 switching: waiting for the deployer',
    switched: '👀 switched: post-switch analysis, previous version warm',
    done: '🚀 promoted',
    'switched-back': '↩️ switched back to the previous version',
};
const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    error: '⛔ error',
    'not-run': '⛔ not run',
    none: '— none selected',
};
const num = (v) => v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(4)).toString();
const md = (text) => inertMarkdown(text);
/** The headline of a blue-green rollout: where it stands, in one line of plain words. */
function blueGreenHeadline(state) {
    const record = state.blueGreen;
    if (!record)
        return 'no blue-green record';
    if (state.status === 'failed' && record.phase === 'preview')
        return '❌ pre-switch analysis failed: no user traffic reached it';
    if (state.status === 'aborted')
        return `⏹️ aborted (${PHASE[record.phase]})`;
    return PHASE[record.phase];
}
/**
 * The blue-green part of the sticky comment: the phase, the pre-switch
 * suites (gates with their confidence intervals), the preview's health
 * window, the post-switch windows against blue, and the outcome. Every
 * string from a manifest, a results file or a metric goes through inertMarkdown.
 */
function renderBlueGreenSection(state, policy) {
    const record = state.blueGreen ?? { };
    let resolved;
    try {
        resolved = resolveBlueGreenPolicy(policy);
    }
    catch (error) {
        return `## Blue-green: ${md(state.model)} ${md(state.version)}\n\n❌ ${md(error.message)}\n`;
    }
    const out = [
        `## Blue-green: ${md(state.model)} ${md(state.version)}${state.baselineVersion ? ` replacing ${md(state.baselineVersion)}` : ''}`,
        '',
        `**${blueGreenHeadline(state)}**`,
        '',
        `Policy: pre-switch health ${formatBlueGreenDuration(resolved.preSwitch.durationMs)}` +
            `${resolved.preSwitch.suites ? ` · suites ${resolved.preSwitch.suites.map(md).join(', ') || 'none'}` : ' · every eval suite'}` +
            ` · ${resolved.autoSwitch ? 'switches automatically' : 'switch by `/promote`'}` +
            ` · post-switch ${formatBlueGreenDuration(resolved.postSwitch.durationMs)} every ${formatBlueGreenDuration(resolved.postSwitch.intervalMs)}` +
            ` · previous version warm ${formatBlueGreenDuration(resolved.scaleDownDelayMs)} after the switch`,
        '',
        '### Pre-switch analysis',
        '',
    ];
    out.push(...suitesSection(record.suites));
    const switchedFrom = Date.parse(record.switchRequestedAt ?? '');
    const preview = state.intervals.filter((i) => !Number.isFinite(switchedFrom) || Date.parse(i.at) <= switchedFrom);
    const post = Number.isFinite(switchedFrom)
        ? state.intervals.filter((i) => Date.parse(i.at) > switchedFrom)
        : [];
    if (preview.length)
        out.push('**Preview health** (thresholds only: the preview has no users to compare)', '', ...windows(preview, false));
    if (record.preSwitch)
        out.push(`Pre-switch: **${ICON[record.preSwitch.verdict]}** (${md(record.preSwitch.reason)})`, '');
    if (record.switchRequestedAt) {
        out.push('### Switch', '', `Asked for at ${md(record.switchRequestedAt)}${record.switchedBy ? ` by @${md(record.switchedBy.by)}` : ' (auto_switch)'}` +
            `${record.switchedAt ? `; live at ${md(record.switchedAt)}` : ''}` +
            `${record.scaleDownDelaySeconds !== undefined ? `; previous version kept warm ${formatBlueGreenDuration(record.scaleDownDelaySeconds * 1000)}` : ''}.`, '');
    }
    if (post.length || record.postSwitch) {
        out.push('### Post-switch analysis', '', 'Green over each window against blue over the same length just before the switch.', '');
        if (post.length)
            out.push(...windows(post, true));
        if (record.postSwitch)
            out.push(`Post-switch: **${ICON[record.postSwitch.verdict]}** (${md(record.postSwitch.reason)})`, '');
    }
    if (state.revertUrl)
        out.push(`Revert pull request: ${md(state.revertUrl)}`, '');
    return `${out.join('\n').trimEnd()}\n`;
}
function suitesSection(suites) {
    if (!suites)
        return ['Eval suites: not run yet.', ''];
    const out = [`**Eval suites against the preview: ${ICON[suites.verdict]}** (${md(suites.reason)})`, ''];
    if (suites.verdict !== 'none')
        out.push(`Gates from ${md(suites.gatesFrom)}${suites.baseline ? `, compared with ${md(suites.baseline)}` : ', no baseline results'}.`, '');
    if (suites.suites.length) {
        out.push('| suite | accuracy | samples | errors | |', '|---|---|---|---|---|');
        for (const s of suites.suites)
            out.push(`| ${md(s.name)} | ${num(s.accuracy)} | ${s.n ?? '—'} | ${s.errors ?? '—'} | ${s.notRun ? md(s.notRun) : ''} |`);
        out.push('');
    }
    if (suites.gates.length) {
        out.push('| gate | verdict | preview | production | change (CI) | why |', '|---|---|---|---|---|---|');
        for (const g of suites.gates) {
            const ci = g.ci ? `[${num(g.ci[0])}, ${num(g.ci[1])}] at ${num((g.confidence ?? 0.95) * 100)} %` : '—';
            out.push(`| ${md(g.metric)} | ${ICON[g.verdict]} | ${num(g.candidate)} | ${num(g.baseline)} | ${ci} | ${md(g.reason)} |`);
        }
        out.push('');
    }
    return out;
}
function windows(intervals, withBaseline) {
    const out = [
        withBaseline
            ? '| window end | verdict | metric | green | blue | threshold | test |'
            : '| window end | verdict | metric | preview | threshold |',
        withBaseline ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|',
    ];
    for (const interval of intervals)
        for (const m of interval.measurements) {
            const threshold = [
                m.threshold?.min !== undefined ? `≥ ${m.threshold.min}` : '',
                m.threshold?.max !== undefined ? `≤ ${m.threshold.max}` : '',
            ]
                .filter(Boolean)
                .join(', ') || '—';
            const side = (s) => (s ? `${num(s.median)} (n=${s.n})` : '—');
            const test = m.test ? `p = ${num(m.test.p)}, shift ${num(m.test.effect)}` : '—';
            out.push(withBaseline
                ? `| ${md(interval.at)} | ${ICON[m.verdict]} | ${md(m.metric)} | ${side(m.canary)} | ${side(m.baseline)} | ${threshold} | ${test} |`
                : `| ${md(interval.at)} | ${ICON[m.verdict]} | ${md(m.metric)} | ${side(m.canary)} | ${threshold} |`);
        }
    if (intervals.some((i) => !i.measurements.length))
        out.push(`| | ${ICON.inconclusive} | no metric | | |`);
    out.push('');
    return out;
}
/** The same report as plain text for a terminal: one line per fact, untrusted text made inert. */
function renderBlueGreenText(state) {
    const record = state.blueGreen;
    const lines = [
        `blue-green ${inertText(state.model)} ${inertText(state.version)}: ${blueGreenHeadline(state)}`,
    ];
    if (record?.suites) {
        lines.push(`  suites: ${record.suites.verdict} (${inertText(record.suites.reason)})`);
        for (const g of record.suites.gates)
            lines.push(`    ${g.verdict.padEnd(12)} ${inertText(g.metric)}  preview ${num(g.candidate)}  production ${num(g.baseline)}  ${inertText(g.reason)}`);
    }
    const switchedFrom = Date.parse(record?.switchRequestedAt ?? '');
    for (const interval of state.intervals) {
        const phase = Number.isFinite(switchedFrom) && Date.parse(interval.at) > switchedFrom
            ? 'post-switch'
            : 'preview health';
        lines.push(`  ${phase} ${inertText(interval.at)}: ${interval.verdict}${interval.reason ? ` (${inertText(interval.reason)})` : ''}`);
        for (const m of interval.measurements)
            lines.push(`    ${m.verdict.padEnd(12)} ${inertText(m.metric)}  ${inertText(m.reason)}`);
    }
    if (record?.preSwitch)
        lines.push(`  pre-switch: ${record.preSwitch.verdict} (${inertText(record.preSwitch.reason)})`);
    if (record?.postSwitch)
        lines.push(`  post-switch: ${record.postSwitch.verdict} (${inertText(record.postSwitch.reason)})`);
    return `${lines.join('\n')}\n`;
}

/** `modelgate bluegreen analyze`: the app's blue-green planner replayed on a recording. */
async function runBlueGreen(args, out) {
    requireAnalyze(args, 'bluegreen', 'modelgate bluegreen analyze --metrics FILE [--suites RESULTS]');
    const format = formatOf(args, ['text', 'json', 'markdown']);
    const { recorded, name, root } = await readRecordedAnalysis(args, { name: 'bluegreen', option: 'metrics', records: 'rollout' }, readRecordedBlueGreen);
    const found = await findModelManifest(args, name);
    if (!found)
        throw new CommandError(`no manifest of ${name} under ${root}`, 'Pass --root, the registry the model is in.');
    const settings = await readSettings(root);
    const repo = new GitRepository(root);
    const policy = blueGreenBlockOf(found.manifest);
    const problems = blueGreenPolicyProblems(policy);
    if (problems.length)
        throw new CommandError(`${found.path}: rollout.blue_green.${problems[0].path}: ${problems[0].message}`, 'Fix the blue_green block (docs/blue-green.md lists every field and its bounds).');
    const results = await Promise.all(listOf(args, 'suites').map((path) => readUserJsonFile({
        path,
        label: `--suites ${path}`,
        root,
        maxBytes: RESULTS_MAX_BYTES,
        read: readResultsFile,
        parse: parsePythonJson,
        fix: "Pass the results file modelgate's runner wrote for a suite run against the preview (format modelgate-eval/v1).",
    })));
    const suites = await suiteEvidence(repo, found, policy, results, settings.stages.at(-1) ?? 'production', settings.manifests);
    const replay = replayBlueGreen(recorded, name, policy, found.manifest.canary, suites);
    const { state } = replay;
    if (format === 'json')
        out.stdout(`${inertJson({
            model: name,
            green: recorded.green,
            ...(recorded.blue ? { blue: recorded.blue } : {}),
            status: state.status,
            blueGreen: state.blueGreen,
            intervals: state.intervals,
            decisions: replay.decisions,
            ...(replay.stopped ? { stopped: replay.stopped } : {}),
        })}\n`);
    else
        out.stdout(format === 'markdown' ? renderBlueGreenSection(state, policy) : renderBlueGreenText(state));
    if (replay.stopped && state.status === 'running')
        out.stderr(`modelgate: the rollout did not finish: ${inertText(replay.stopped)} (not a pass)\n`);
    return state.status === 'promoted' ? 0 : 1;
}
/** The manifest's `rollout.blue_green` block, or the defaults. */
function blueGreenBlockOf(manifest) {
    return manifest.rollout?.blue_green ?? {};
}
/**
 * What the app would have judged the pre-switch suites with: each selected
 * suite's recorded accuracy (from --suites), the gates and judging settings
 * of the version in production (found by the model's name at its tag, else
 * the working tree's) and production's recorded results.
 */
async function suiteEvidence(repo, found, policy, results, productionStage, manifestGlobs) {
    const measured = new Map();
    for (const file of results)
        for (const series of file.metrics)
            measured.set(series.name, series);
    const selected = policy.pre_switch?.suites ?? (found.manifest.eval?.suites ?? []).map((s) => s.name);
    const suites = selected.map((name) => {
        const series = measured.get(`${name}/accuracy`);
        return series
            ? { name, measured: series }
            : { name, notRun: `not run: no --suites results file holds ${name}/accuracy` };
    });
    if (!suites.length)
        return { suites: [], gates: [], gatesFrom: "the release's manifest" };
    let tags = [];
    let registry;
    try {
        tags = await repo.readTags();
        registry = readRegistry(tags);
    }
    catch (error) {
        if (!(error instanceof CommandError))
            throw error;
        registry = new Map();
    }
    const loaded = await loadModel(repo.worktree, found.path);
    const manifests = new ModelManifests(repo, { globs: manifestGlobs, tags });
    const baseline = loaded.facts
        ? await resolveBaseline(manifests, loaded.facts, registry, productionStage)
        : undefined;
    if (baseline?.unreadable !== undefined)
        throw new CommandError(`cannot judge the pre-switch suites of ${found.manifest.name} against ${baseline.label}: ${inertText(baseline.unreadable)}`, `Make ${baseline.label} hold exactly one readable manifest declaring name ${found.manifest.name}.`);
    const gatesOf = baseline?.gates ? baseline : undefined;
    const evalBlock = found.manifest.eval;
    return {
        suites,
        gates: gatesOf?.gates ?? evalBlock?.gates ?? [],
        gatesFrom: gatesOf
            ? `${baseline.label}'s manifest`
            : "the release's manifest (no version in production)",
        ...(baseline
            ? { baseline: { label: baseline.label, metrics: baseline.data.metrics, gates: baseline.gates ?? [] } }
            : {}),
        // The judging settings of the manifest whose gates judge: production's when it is the baseline.
        ...judgingOptions(baseline?.judging ?? evalBlock),
    };
}
/** `eval.confidence` and `eval.min_samples` of the manifest whose gates judge, as the preview evidence takes them. */
function judgingOptions(judging) {
    return {
        ...(judging?.confidence !== undefined ? { confidence: judging.confidence } : {}),
        ...(judging?.min_samples !== undefined ? { minSamples: judging.min_samples } : {}),
    };
}

export { runBlueGreen };
