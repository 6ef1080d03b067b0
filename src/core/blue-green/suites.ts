import { DEFAULT_GATE_OPTIONS, judgeGate, type Gate } from '../eval/gates.js';
import type { MetricSeries } from '../eval/results.js';
import type { SuiteGateSummary, SuiteJudgment, SuiteRunSummary } from './state.js';

/** One suite as the runner ran it against the preview endpoint. */
export interface PreviewSuiteRun {
  name: string;
  /** `<suite>/accuracy`, with per-document scores for a paired comparison. */
  measured?: MetricSeries;
  errors?: number;
  /** Why it could not run (dataset unreadable, every request failed, not in eval.suites…). */
  notRun?: string;
  /** Whose definition and dataset ran, when production declares the suite ("production 1.2.0"). */
  definedBy?: string;
  /** Set when the suite is new in the release: it ran on the release's own dataset, a test the release wrote. */
  note?: string;
}

/** What the pre-switch suites produced, gathered by an adapter (src/io/eval/preview-suites.ts). */
export interface PreviewSuiteEvidence {
  suites: PreviewSuiteRun[];
  /**
   * The gates to judge by: production's manifest's when there is a production
   * version (the candidate never decides how it is judged), else the release's.
   */
  gates: readonly Gate[];
  gatesFrom: string;
  /** Production's recorded results: what each suite's accuracy must not drop below. */
  baseline?: {
    label: string;
    metrics: ReadonlyMap<string, MetricSeries>;
    /** The gates of production's manifest: trusted statements of each metric's direction. */
    gates?: readonly Gate[];
  };
  /** `eval.confidence` and `eval.min_samples` of the manifest the gates come from. */
  confidence?: number;
  minSamples?: number;
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
export function judgePreviewSuites(evidence: PreviewSuiteEvidence, at: string): SuiteJudgment {
  const judged = judgeSuites(evidence, at);
  // A suite new in the release was judged on a test the release wrote: the verdict says so.
  const notes = evidence.suites.flatMap((run) => (run.note ? [run.note] : []));
  if (!notes.length) return judged;
  const reason = `${judged.reason}. Note: ${notes.join('; ')}`;
  return { ...judged, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason };
}

function judgeSuites(evidence: PreviewSuiteEvidence, at: string): SuiteJudgment {
  const options = {
    ...DEFAULT_GATE_OPTIONS,
    confidence: evidence.confidence ?? DEFAULT_GATE_OPTIONS.confidence,
    minSamples: evidence.minSamples ?? DEFAULT_GATE_OPTIONS.minSamples,
  };
  const suites: SuiteRunSummary[] = evidence.suites.slice(0, MAX_KEPT).map((run) => ({
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
  const gates: SuiteGateSummary[] = [];
  for (const gate of evidence.gates) {
    const run = byName.get(gate.metric.split('/')[0] ?? '');
    if (!run) continue;
    const candidate = run.measured?.name === gate.metric ? run.measured : undefined;
    const trusted = evidence.baseline?.gates?.find(
      (g) => g.metric === gate.metric && g.higher_is_better !== undefined,
    );
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
