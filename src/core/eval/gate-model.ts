import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import type { EvalData } from './load-eval.js';
import { DEFAULT_GATE_OPTIONS, judgeGate, type GateResult } from './gates.js';
import { checkProvenance } from './provenance.js';
import type { MetricSeries } from './results.js';

/** The version a candidate is compared with, and its results. */
export interface Baseline {
  /** "production 1.2.0", "the base ref 4be1d2a". */
  label: string;
  version?: string;
  data: EvalData;
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
}

/** Judges every gate of a model's manifest and turns the outcome into findings (EVAL-GATE, EVAL-VERSION, provenance). */
export function gateModel({
  facts,
  candidate,
  baseline,
  measured = [],
  notRun = new Map(),
}: GateInputs): ModelGates {
  const evalBlock = facts.manifest.eval;
  const options = {
    ...DEFAULT_GATE_OPTIONS,
    confidence: evalBlock?.confidence ?? DEFAULT_GATE_OPTIONS.confidence,
    minSamples: evalBlock?.min_samples ?? DEFAULT_GATE_OPTIONS.minSamples,
  };
  const metrics = new Map(candidate.metrics);
  for (const series of measured) metrics.set(series.name, series);
  const findings: Finding[] = [...candidate.findings, ...checkProvenance(facts, candidate.results)];
  const gates = (evalBlock?.gates ?? []).map((gate, index) => {
    const suite = gate.metric.split('/')[0] ?? '';
    const result = judgeGate(
      gate,
      metrics.get(gate.metric),
      baseline?.data.metrics.get(gate.metric),
      options,
      metrics.has(gate.metric) ? undefined : notRun.get(suite),
    );
    const finding = (rule: Finding['rule'], severity: Finding['severity'], message: string, fix: string) =>
      findings.push({
        rule,
        severity,
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(['eval', 'gates', index]),
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
        'Run the check where the evaluation endpoint and its key are available.',
      );
    if (result.verdict === 'inconclusive') {
      const rule = result.reason.includes('task version') ? 'EVAL-VERSION' : 'EVAL-GATE';
      finding(
        rule,
        evalBlock?.on_inconclusive === 'fail' ? 'error' : 'warning',
        `gate ${gate.metric} is inconclusive: ${result.reason}`,
        inconclusiveFix(result.reason),
      );
    }
    return result;
  });
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

function inconclusiveFix(reason: string): string {
  if (reason.startsWith('no baseline'))
    return 'Compare with a version in production (released with modelgate), a --base ref, or --baseline-results.';
  if (reason.includes('task version')) return 'Run candidate and baseline on the same task versions.';
  if (reason.startsWith('only')) return 'Evaluate on more documents, or lower eval.min_samples.';
  return 'Record per-document samples (samples_<task>.jsonl) or standard errors for both versions.';
}
