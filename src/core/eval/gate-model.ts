import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import type { EvalData } from './load-eval.js';
import type { BaselineSuites } from './suite-plan.js';
import { DEFAULT_GATE_OPTIONS, judgeGate, type Gate, type GateResult, type GateVerdict } from './gates.js';
import { checkProvenance } from './provenance.js';
import type { MetricSeries } from './results.js';
import { runMetricOf } from '../tracking/run-ref.js';
import { UNREAD_PRODUCTION_FIX } from '../tracking/training-check.js';
import { jsonEqual } from '../json-equal.js';

/** The version a candidate is compared with, and its results. */
export interface Baseline {
  /** "production 1.2.0", "the base ref 4be1d2a". */
  label: string;
  version?: string;
  data: EvalData;
  /** The gates of the baseline's manifest (trusted statements of each metric's direction), then any `gateFrom` names. */
  gates?: readonly Gate[];
  /**
   * Who stated each gate of `gates` that is not the baseline manifest's own: with production as the
   * baseline, the base ref's (`the base ref 4be1d2a`). They judge, and are reported under that name,
   * but state no direction: only the baseline's own side does.
   */
  gateFrom?: ReadonlyMap<Gate, string>;
  /**
   * The suite names of the baseline's manifest (`eval.suites`): their metrics stay the built-in
   * runner's even when a candidate drops the suite from its own manifest.
   */
  suites?: readonly string[];
  /** The baseline's manifest's suites and its files at its commit: a suite it declares runs on them. */
  suiteFiles?: BaselineSuites;
  /**
   * With production as the baseline, the base ref's suites and files: a suite a version merged since
   * declares runs as it declares it (when production's does not), and its metrics are the runner's.
   */
  baseSuiteFiles?: BaselineSuites;
  /**
   * How the baseline's manifest judges (`eval.confidence`, `min_samples`, `on_inconclusive`), set when
   * the baseline is a manifest: the change's own settings never loosen them.
   */
  judging?: JudgingSettings;
  /**
   * With production as the baseline, the base ref's `on_inconclusive` when it states one: a version
   * merged since that made inconclusive gates fail is reviewed, and a change must not undo it unseen.
   */
  baseJudging?: { label: string; onInconclusive: 'fail' | 'warn' };
  /**
   * Why the baseline's manifest cannot be read (several manifests declare the name, or the one that
   * does cannot be loaded): the change is not judged as though it had none.
   */
  unreadable?: string;
}

/** The settings of an `eval` block that decide how its gates judge, as the manifest writes them. */
export type JudgingSettings = Pick<
  NonNullable<ModelFacts['manifest']['eval']>,
  'confidence' | 'min_samples' | 'on_inconclusive'
>;

/** The settings keys that decide how gates judge, in the order the report lists their changes. */
const JUDGING_KEYS = ['on_inconclusive', 'confidence', 'min_samples'] as const;

/**
 * How a change is judged when its baseline is a manifest: `confidence` and `min_samples` are the
 * baseline's (a change that raises either could turn a clear failure into an inconclusive warning;
 * its values count once it is released), and an inconclusive gate fails when either side says so (or
 * the base ref, when production is the baseline: `baseJudging`).
 * Without a baseline manifest, nothing trusted states any, so the change's own settings apply.
 */
function judgingOf(own: JudgingSettings | undefined, baseline: Baseline | undefined) {
  const from = baseline?.judging ?? own;
  return {
    confidence: from?.confidence ?? DEFAULT_GATE_OPTIONS.confidence,
    minSamples: from?.min_samples ?? DEFAULT_GATE_OPTIONS.minSamples,
    onInconclusive:
      own?.on_inconclusive === 'fail' ||
      baseline?.judging?.on_inconclusive === 'fail' ||
      baseline?.baseJudging?.onInconclusive === 'fail'
        ? ('fail' as const)
        : ('warn' as const),
  };
}

/** Gates of one model: verdicts with evidence, and the findings they raise. */
export interface ModelGates {
  model: string;
  version: string;
  baseline?: { label: string; version?: string };
  gates: GateResult[];
  findings: Finding[];
}

export interface GateInputs {
  facts: ModelFacts;
  candidate: EvalData;
  baseline?: Baseline;
  /** Metrics measured now by the built-in runner (suite/accuracy). */
  measured?: readonly MetricSeries[];
  /** Suites that could not run, and why ("not run: no credentials"). */
  notRun?: ReadonlyMap<string, string>;
  /** The version restores a release exactly (validate's `restored`): judged by the gates it was released with. */
  restored?: boolean;
  /** It restores a release that ran in production (a rollback): its drop gates judge no drop against the version it replaces. */
  rollsBack?: boolean;
}

/**
 * The gates that judge a version: its own, then each of the baseline's it
 * does not keep as it was. A change adds or tightens gates at once; the gates
 * it loosens or removes take effect once it is the baseline, as its
 * `confidence` and `min_samples` do. A version that restores a release
 * exactly (`restored`: its content is that release's, checked by its digests)
 * is judged by the gates it was released with, its own: a rollback is never
 * held to gates a later version brought. With a baseline that cannot be read,
 * only the version's own gates (and an error: changedBaselineGates). A gate
 * the change keeps exactly as released is still the released one (`released`:
 * the baseline's gate it judges as, for its direction and who stated it): a
 * copy in the pull request lends it nothing the release did not state.
 */
export function judgedGates(
  facts: ModelFacts,
  baseline: Baseline | undefined,
  restored = false,
): JudgedGate[] {
  const releasedGates = restored || baseline?.unreadable !== undefined ? [] : (baseline?.gates ?? []);
  const ownGates = facts.manifest.eval?.gates ?? [];
  const own = ownGates.map((gate, index): JudgedGate => {
    const released = releasedGates.find((r) => jsonEqual(gate, r));
    return released ? { gate, released, index } : { gate, index };
  });
  const kept = releasedGates.filter((released) => !ownGates.some((gate) => jsonEqual(gate, released)));
  return [...own, ...kept.map((gate) => ({ gate, released: gate }))];
}

/** A gate that judges a change: its own (`index` in its eval.gates), a released one, or both at once. */
export interface JudgedGate {
  gate: Gate;
  /** The baseline's gate it is, when the baseline (or the base ref) released it. */
  released?: Gate;
  index?: number;
}

/** Verdicts from the worst to the best: a gate judged twice keeps the worse. */
const WORST_FIRST: readonly GateVerdict[] = ['fail', 'not-run', 'inconclusive', 'pass'];

/**
 * A released gate judged as the baseline wrote it. One that states no direction,
 * where nothing on the baseline's side states one either, is judged both ways and
 * keeps the worse verdict: the change must be within its tolerance whichever way
 * is better. The change's own gate never lends it a direction, which would let a
 * pull request turn a drop into a gain. A release that states `higher_is_better`
 * (with the same evidence, so within tolerance both ways) makes it one-way.
 */
function judgeReleasedGate(judge: (gate: Gate) => GateResult, gate: Gate): GateResult {
  const result = judge(gate);
  if (result.higherIsBetter !== undefined || gate.higher_is_better !== undefined) return result;
  // Each way is forced through the gate's own field, which no one wrote: what the candidate's results
  // say against it is no overruling, and the direction is neither way's.
  const way = (higherIsBetter: boolean): GateResult => {
    const { overruled, ...judged } = judge({ ...gate, higher_is_better: higherIsBetter });
    const reason = overruled ? judged.reason.replace(`; ${overruled}`, '') : judged.reason;
    return { ...judged, reason, direction: 'judged both ways' };
  };
  const ways = [way(true), way(false)];
  if (ways.some((r) => r.higherIsBetter === undefined)) return result;
  const [worse] = ways.sort((a, b) => WORST_FIRST.indexOf(a.verdict) - WORST_FIRST.indexOf(b.verdict));
  return {
    ...worse!,
    reason: `${worse!.reason} (judged both ways: nothing on the baseline's side states whether higher or lower is better)`,
  };
}

/** What to do about results of the candidate that cannot serve as evidence, by what is wrong with them. */
function candidateFix(invalid: NonNullable<GateResult['invalidCandidate']>): string {
  if (invalid.missing)
    return `The baseline's results carry the evidence a drop is judged on; this version's must too: keep the standard error the harness writes next to the value (lm-evaluation-harness: "<metric>_stderr,<filter>"), or record per-document scores (--log_samples) under eval.results[].samples.`;
  if (invalid.partial)
    return 'Run the whole task, as the baseline was (no --limit), and keep every document: a drop is judged on the documents the baseline was measured on.';
  if (invalid.uncounted)
    return 'Keep the document count the harness writes (lm-evaluation-harness 0.4.3 and later: "n-samples"), or record per-document scores (--log_samples) under eval.results[].samples: the baseline states its count, so the stderr is checked against it.';
  if (invalid.inflated)
    return "Keep the stderr the harness computed, or record per-document scores (--log_samples): on the same documents, a worse score's standard error is not many times the baseline's. If the task really became that noisy, say so in the pull request and release the change to the gate first.";
  return 'Regenerate the results with the harness: a standard error is a finite number ≥ 0 that fits the value and the document count.';
}

const hasDrop = (gate: Gate) => gate.max_drop !== undefined || gate.max_drop_pct !== undefined;

/**
 * A drop gate of a version that restores exactly a release that ran in
 * production (a rollback): its thresholds judge its values, but no drop
 * against the version it replaces does. That version is the one being rolled
 * back, better on some metric or not; the restored content ran in production,
 * and a rollback that could never pass would have no way forward. A release
 * that never ran there is held to production's values like any change.
 */
function judgeRestoredDrop(judge: (gate: Gate) => GateResult, gate: Gate): GateResult {
  const { max_drop: _, max_drop_pct: __, ...thresholds } = gate;
  const result = judge(thresholds);
  if (result.verdict !== 'pass') return result;
  const note =
    'no drop is judged against the version a rollback replaces: this version restores exactly a release that ran in production';
  return { ...result, reason: result.reason.trim() ? `${result.reason.trim()}; ${note}` : note };
}

/** A gate without its `higher_is_better`: a gate the base ref adds judges, but states no direction. */
const withoutDirection = ({ higher_is_better: _, ...gate }: Gate): Gate => gate;

/** Judges every gate of a model's manifest and turns the outcome into findings (EVAL-GATE, EVAL-VERSION, provenance). */
export function gateModel({
  facts,
  candidate,
  baseline,
  measured = [],
  notRun = new Map(),
  restored = false,
  rollsBack = false,
}: GateInputs): ModelGates {
  const evalBlock = facts.manifest.eval;
  const judging = judgingOf(evalBlock, baseline);
  const options = { ...DEFAULT_GATE_OPTIONS, confidence: judging.confidence, minSamples: judging.minSamples };
  // A training run's metrics come from its tracker only: a number under `mlflow/…` or `wandb/…` in a
  // results file the pull request commits is not the run's, and must not stand in when the run cannot be read.
  // Likewise a suite's metrics (`<suite>/…`) come only from its run in this check: the pull request writes its
  // results files, and a number it commits under a suite's name is a claim, not a measurement.
  const suites = suiteNames(facts, baseline);
  const committed = new Map<string, MetricSeries>();
  const metrics = new Map<string, MetricSeries>();
  for (const [name, series] of candidate.metrics) {
    if (runMetricOf(name) !== undefined) continue;
    if (suites.has(suiteOf(name))) committed.set(name, series);
    else metrics.set(name, series);
  }
  for (const series of measured) metrics.set(series.name, series);
  const findings: Finding[] = [...candidate.findings, ...checkProvenance(facts, candidate.results)];
  const judged = judgedGates(facts, baseline, restored).map(({ gate, released, index }) => ({
    gate,
    released,
    at: index === undefined ? ['eval'] : ['eval', 'gates', index],
  }));
  // A baseline results file that cannot be read (a Git LFS pointer, a broken file at the tag) holds the
  // values a drop is judged against: the gates that need them are not run, never inconclusive warnings.
  const unread = baseline?.data.findings.find((f) => f.severity === 'error');
  const baselineUnread = unread && `${baseline!.label}'s results cannot be read: ${unread.message}`;
  const gates = judged.map(({ gate, released, at }) => {
    const suite = suiteOf(gate.metric);
    const trusted = baseline?.gates?.find(
      (g) => g.metric === gate.metric && g.higher_is_better !== undefined && !baseline.gateFrom?.has(g),
    );
    const unmeasured = metrics.has(gate.metric)
      ? undefined
      : unmeasuredSuite(gate.metric, suites.get(suite), notRun.get(suite), committed.get(gate.metric));
    const judge = (judged: Gate) =>
      judgeGate(judged, metrics.get(gate.metric), baseline?.data.metrics.get(gate.metric), options, {
        ...(unmeasured ? { notRun: unmeasured.reason } : {}),
        ...(trusted ? { baselineGate: trusted.higher_is_better } : {}),
        ...(baselineUnread ? { baselineUnread } : {}),
      });
    const result = released
      ? judgeReleasedGate(judge, baseline?.gateFrom?.has(released) ? withoutDirection(released) : released)
      : rollsBack && hasDrop(gate)
        ? judgeRestoredDrop(judge, gate)
        : judge(gate);
    const finding = (rule: Finding['rule'], severity: Finding['severity'], message: string, fix: string) =>
      findings.push({
        rule,
        severity,
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(at),
        message,
        fix,
      });
    if (result.verdict === 'fail')
      finding(
        'EVAL-GATE',
        'error',
        `gate ${gate.metric}: ${result.reason}`,
        'Improve the model, or change the gate with a reason in the pull request.',
      );
    if (result.verdict === 'not-run')
      finding(
        'EVAL-GATE',
        'error',
        `gate ${gate.metric} did not run: ${result.reason}`,
        notRunFix(unmeasured?.cause ?? result.reason, unmeasured?.committed !== undefined),
      );
    if (result.invalidCandidate)
      findings.push({
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(at),
        message: `${result.invalidCandidate.file}: ${result.invalidCandidate.problem}, so gate ${gate.metric} cannot compare`,
        artifact: result.invalidCandidate.file,
        fix: candidateFix(result.invalidCandidate),
      });
    if (result.overruled)
      finding(
        'EVAL-GATE',
        'warning',
        `gate ${gate.metric}: ${result.overruled}`,
        "A metric's direction comes from the baseline's side (its manifest's gate, its results, the harness's defaults); the gate's higher_is_better decides only when none of them states one.",
      );
    if (result.verdict === 'inconclusive') {
      const rule = result.reason.includes('task version') ? 'EVAL-VERSION' : 'EVAL-GATE';
      // A drop that could not be compared on the same dataset is never a warning the check passes with:
      // the baseline it would be judged against is another test (or cannot be shown to be the same one).
      const otherDataset = result.reason.startsWith('not like-for-like') && result.reason.includes('sha256');
      // Another task version is another test, too: the candidate's own file says which it ran.
      const notLikeForLike = otherDataset || rule === 'EVAL-VERSION';
      finding(
        rule,
        notLikeForLike || judging.onInconclusive === 'fail' ? 'error' : 'warning',
        `gate ${gate.metric} is inconclusive: ${result.reason}`,
        inconclusiveFix(result.reason),
      );
    }
    return result;
  });
  findings.push(...changedBaselineGates(facts, evalBlock?.gates ?? [], baseline, restored));
  return {
    model: facts.name,
    version: facts.manifest.version,
    ...(baseline
      ? { baseline: { label: baseline.label, ...(baseline.version ? { version: baseline.version } : {}) } }
      : {}),
    gates,
    findings,
  };
}

const DECLARED_HERE = 'a suite in eval.suites';

/** The suite a metric name belongs to: the part before the first `/` (suite names have none). */
function suiteOf(metric: string): string {
  return metric.split('/')[0] ?? '';
}

/**
 * The declared suites whose metrics only the built-in runner may supply, and where each is declared:
 * this version's `eval.suites`, else the baseline's (trusted), so dropping a suite from the manifest
 * does not turn its name over to a committed file.
 */
function suiteNames(facts: ModelFacts, baseline: Baseline | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const suite of baseline?.baseSuiteFiles?.suites ?? [])
    names.set(suite.name, `a suite of ${baseline!.baseSuiteFiles!.label}`);
  for (const name of baseline?.suites ?? []) names.set(name, `a suite of ${baseline!.label}`);
  for (const suite of facts.manifest.eval?.suites ?? []) names.set(suite.name, DECLARED_HERE);
  return names;
}

/** Why a gate has no measurement: the suite's own cause, and the committed file that did not stand in for it. */
interface Unmeasured {
  reason: string;
  cause: string;
  committed?: string;
}

/**
 * Why a gate has no measurement: its suite did not run, was dropped from this version's manifest, or
 * does not measure that metric while a committed file holds it. Undefined when the gate is simply
 * missing its metric (judgeGate fails it) or nothing says its source did not run.
 */
function unmeasuredSuite(
  metric: string,
  declared: string | undefined,
  notRun: string | undefined,
  committed: MetricSeries | undefined,
): Unmeasured | undefined {
  const suite = suiteOf(metric);
  const cause =
    notRun ??
    (declared === undefined
      ? undefined
      : declared !== DECLARED_HERE
        ? `not run: ${suite} is ${declared} but not in this version's eval.suites, so nothing ran it`
        : committed
          ? `not measured: the built-in runner measures ${suite}/accuracy, not ${metric}`
          : undefined);
  if (cause === undefined) return undefined;
  if (declared === undefined || !committed) return { reason: cause, cause };
  return {
    reason: `${cause}; ${committed.source} holds ${metric}, but ${suite} is ${declared}, and a suite's metrics count only from its run in this check`,
    cause,
    committed: committed.source,
  };
}

function inconclusiveFix(reason: string): string {
  if (reason.startsWith('nothing states'))
    return "Add higher_is_better to the gate; once released, the baseline manifest's gate decides it for later versions.";
  if (reason.startsWith('no baseline'))
    return 'Compare with a version in production (released with modelgate), a --base ref, or --baseline-results.';
  if (reason.includes('task version')) return 'Run candidate and baseline on the same task versions.';
  if (reason.includes('not like-for-like') && reason.includes('sha256'))
    return "Compare with a results file of the built-in runner from a run of the same dataset: for a suite the baseline declares, the check runs the baseline's dataset, so the baseline's own run of it (kept under eval.results at the baseline) is the one to compare with.";
  if (reason.startsWith('only')) return 'Evaluate on more documents, or lower eval.min_samples.';
  if (reason.includes('stderr of'))
    return 'Regenerate the results with the harness: a standard error is a finite number ≥ 0 that fits the value and the document count.';
  if (reason.startsWith('cannot compare'))
    return 'Record per-document samples (samples_<task>.jsonl) with matching document ids, or standard errors, for both versions.';
  return 'Evaluate on more documents (the reason says about how many), record per-document samples for a paired test, or widen the tolerance with a reason in the pull request.';
}

function notRunFix(cause: string, committed: boolean): string {
  // A committed file under a suite's name is never the fix: say so next to whatever would be.
  const instead = committed
    ? " A committed results file cannot stand in for a suite's run; the runner's own file, kept under eval.results, is the next version's baseline."
    : '';
  if (cause.startsWith('not measured'))
    return `Gate <suite>/accuracy, what a suite measures, or give the suite a name its results files do not use.${instead}`;
  if (cause.includes("not in this version's eval.suites"))
    return `Keep the suite in eval.suites so the check runs it, or gate a metric that is not under its name.${instead}`;
  if (cause.includes('pattern'))
    return `Rewrite the pattern without backreferences or lookaround (RE2 syntax: https://github.com/google/re2/wiki/Syntax).${instead}`;
  if (cause.includes(' in production cannot be read at its tag')) return UNREAD_PRODUCTION_FIX;
  if (cause.includes("'s results cannot be read: "))
    return `The baseline's results are read at its commit: make them readable there (fetch Git LFS files: actions/checkout with lfs: true), or compare with results you trust (--baseline-results).${instead}`;
  if (cause.includes(' cannot be read at '))
    return `The baseline declares this suite, so its files are read at the baseline's commit, and the change's own copy cannot stand in: compare with a baseline that has them (--base), or remove the suite's gates with a reason in the pull request.${instead}`;
  if (cause.includes('dataset') || cause.includes('schema'))
    return `Fix the file the reason names: it must exist in the repository and parse.${instead}`;
  return `Run the check where the evaluation endpoint and its key are available (--endpoint or MODELGATE_EVAL_BASE_URL; the Action's eval-endpoint).${instead}`;
}

/**
 * The gates of the released version this change removes or changes, said in
 * the report: the released gate still judges this version (next to the
 * change's own), so a loosened `min`, a larger `max_drop` or a removed gate
 * takes effect only once this version is the baseline. So does a change to
 * how gates judge (`on_inconclusive`, `confidence`, `min_samples`), said with
 * the value this version is judged by. A baseline whose manifest cannot be
 * read is an error: what it would judge by is unknown.
 */
export function changedBaselineGates(
  facts: ModelFacts,
  own: readonly Gate[],
  baseline: Baseline | undefined,
  restored = false,
): Finding[] {
  if (baseline?.unreadable !== undefined)
    return [
      {
        rule: 'EVAL-GATE',
        severity: 'error',
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(['name']),
        message: `cannot judge ${facts.name} against its baseline, ${baseline.label}: ${baseline.unreadable}`,
        fix: `Make ${baseline.label} hold exactly one readable manifest declaring name ${facts.name}, or compare with another --base.`,
      },
    ];
  const findings: Finding[] = [...changedJudging(facts, baseline)];
  // A restored release keeps the gates it was released with: nothing of the baseline's is changed by it.
  if (restored || !baseline?.gates?.length) return findings;
  const shown = (gate: Gate) => JSON.stringify(gate);
  for (const released of baseline.gates) {
    const label = baseline.gateFrom?.get(released) ?? baseline.label;
    const now = own.filter((g) => g.metric === released.metric);
    if (now.some((g) => jsonEqual(g, released))) continue;
    const index = own.findIndex((g) => g.metric === released.metric);
    findings.push({
      rule: 'EVAL-GATE',
      severity: 'warning',
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(index >= 0 ? ['eval', 'gates', index] : ['eval']),
      message: now.length
        ? `gate ${released.metric} is changed from ${label}'s ${shown(released)} to ${now.map(shown).join(', ')}: this version is judged by both; the change applies once this version is the baseline`
        : `gate ${released.metric} of ${label} (${shown(released)}) is removed: this version is still judged by it; the removal applies once this version is the baseline`,
      fix: 'A version is never judged by gates it loosens. To loosen or remove a gate, release that change on its own first (a version whose evidence still passes the released gates), then the change it makes room for.',
    });
  }
  return findings;
}

/** Changes to the baseline manifest's judging settings, each with the value this version is judged by. */
function changedJudging(facts: ModelFacts, baseline: Baseline | undefined): Finding[] {
  const released = baseline?.judging;
  if (!baseline || !released) return [];
  const own = facts.manifest.eval;
  const applied = judgingOf(own, baseline);
  const defaults = {
    on_inconclusive: 'warn',
    confidence: DEFAULT_GATE_OPTIONS.confidence,
    min_samples: DEFAULT_GATE_OPTIONS.minSamples,
  } as const;
  const judgedBy = {
    on_inconclusive: applied.onInconclusive,
    confidence: applied.confidence,
    min_samples: applied.minSamples,
  };
  const findings: Finding[] = [];
  for (const key of JUDGING_KEYS) {
    // Compared as they take effect: an unset value is the default.
    const before = released[key] ?? defaults[key];
    const after = own?.[key] ?? defaults[key];
    if (before === after) continue;
    const ownApplies = after === judgedBy[key];
    findings.push({
      rule: 'EVAL-GATE',
      severity: ownApplies ? 'info' : 'warning',
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(own?.[key] !== undefined ? ['eval', key] : ['eval']),
      message: `eval.${key} is changed from ${baseline.label}'s ${before} to ${after}: this version is judged with ${judgedBy[key]}${ownApplies ? '' : `, the baseline's; the change applies once this version is the baseline`}`,
      fix: JUDGING_FIX,
    });
  }
  // The base ref's on_inconclusive, where it differs from the baseline's: undoing it is a loosening too.
  const base = baseline.baseJudging;
  const after = own?.on_inconclusive ?? defaults.on_inconclusive;
  if (
    base &&
    base.onInconclusive !== (released.on_inconclusive ?? defaults.on_inconclusive) &&
    base.onInconclusive !== after
  )
    findings.push({
      rule: 'EVAL-GATE',
      severity: after === applied.onInconclusive ? 'info' : 'warning',
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(own?.on_inconclusive !== undefined ? ['eval', 'on_inconclusive'] : ['eval']),
      message: `eval.on_inconclusive is changed from ${base.label}'s ${base.onInconclusive} to ${after}: this version is judged with ${applied.onInconclusive}${after === applied.onInconclusive ? '' : `, the base ref's; the change applies once this version is the baseline`}`,
      fix: JUDGING_FIX,
    });
  return findings;
}

const JUDGING_FIX =
  "How a version is judged comes from its baseline's manifest; a change may make an inconclusive gate fail, nothing more, before it is released. Say in the pull request why the setting changes.";
