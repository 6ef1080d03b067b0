import { HARNESS_DIRECTIONS } from './lm-eval-metrics.js';
import type { MetricSeries } from './results.js';

/** `arc_easy/acc_norm` -> `acc_norm`; `gsm8k/exact_match,strict-match` -> `exact_match`. */
export function metricKey(name: string): string {
  const afterTask = name.slice(name.lastIndexOf('/') + 1);
  return afterTask.split(',')[0] ?? afterTask;
}

/** The direction a comparison uses, where it came from, and any statement it overruled. */
export interface MetricDirection {
  higherIsBetter: boolean;
  /** "the baseline's results", "lm-evaluation-harness's default for acc", ... */
  source: string;
  /** A statement from the candidate's side that disagrees, and was not followed. */
  overruled?: string;
  /**
   * Nothing states the direction: not the baseline's gate or results, not
   * the harness's defaults, not the candidate's gate. `higherIsBetter` is
   * then only a placeholder: a comparison must not be judged on it, and
   * this sentence says why and what to add.
   */
  unstated?: string;
}

/** What each side says about a metric's direction. */
export interface DirectionStatements {
  metric: string;
  /** `higher_is_better` of the gate in the baseline's manifest (trusted). */
  baselineGate?: boolean;
  /** `higher_is_better` of the gate in the candidate's manifest (the pull request). */
  candidateGate?: boolean;
  baseline?: MetricSeries;
  candidate?: MetricSeries;
}

const word = (higher: boolean) => (higher ? 'higher is better' : 'lower is better');

/**
 * Which way is "worse" for a metric. The trusted side decides, in this order:
 * the gate in the baseline's manifest, the baseline's results file, the
 * harness's registered default. Only when none of them says anything may
 * the candidate's gate decide; otherwise higher is better. The candidate's
 * results file never decides (a pull request could flip a drop into a gain):
 * when it, or the candidate's gate, disagrees with the direction used, the
 * disagreement is returned so the gate can say so.
 */
export function metricDirection(statements: DirectionStatements): MetricDirection {
  const key = metricKey(statements.metric);
  const trusted: [boolean | undefined, string][] = [
    [statements.baselineGate, "the gate in the baseline's manifest"],
    [statements.baseline?.higherIsBetter, `the baseline's results (${statements.baseline?.source})`],
    [HARNESS_DIRECTIONS.get(key), `lm-evaluation-harness's default for ${key}`],
  ];
  let higherIsBetter = statements.candidateGate ?? true;
  let source = 'the gate';
  if (statements.candidateGate === undefined && trusted.every(([stated]) => stated === undefined)) {
    // The candidate's own results may not decide how they are judged, so they cannot fill the gap.
    const claimed = statements.candidate?.higherIsBetter;
    const claim =
      claimed === undefined
        ? ''
        : ` (the candidate's results say ${word(claimed)}, but they cannot decide how they are judged)`;
    return {
      higherIsBetter,
      source: 'nothing',
      unstated: `nothing states whether higher or lower is better for ${statements.metric}: not the baseline's gate or results, and lm-evaluation-harness has no default for ${key}${claim}; add higher_is_better to the gate`,
    };
  }
  for (const [stated, who] of trusted) {
    if (stated === undefined) continue;
    higherIsBetter = stated;
    source = who;
    break;
  }
  const claims: [boolean | undefined, string][] = [
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
