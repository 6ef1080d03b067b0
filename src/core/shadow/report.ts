import type { CanaryState } from '../canary/state.js';
import { inertMarkdown } from '../report/escape.js';
import { judgeOutputs, type OutputCheck } from './checks.js';
import { resolveShadowPolicy, shadowIntervalCount, type ShadowPolicy } from './policy.js';
import { shadowRecordOf } from './step.js';

const ICON = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⛔ error',
  none: '—',
} as const;

const num = (v: number) =>
  Number.isNaN(v) ? '—' : Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : v > 0 ? '∞' : '−∞';
const pct = (v: number) => (Number.isNaN(v) ? '—' : `${Number((v * 100).toPrecision(3))}%`);

const CHECK_LABEL: Record<OutputCheck['check'], string> = {
  exact_agreement: 'exact agreement',
  similarity: 'similarity (median)',
  json_validity: 'JSON answers (shadow − production)',
  refusal_rate: 'refusals (shadow − production)',
  length_ratio: 'length ratio (median)',
  judge: 'LLM judge (shadow share)',
};

const METHOD: Record<OutputCheck['method'], string> = {
  wilson: 'Wilson',
  'newcombe-paired': 'Newcombe, paired',
  'order-statistic': 'order statistics',
};

function limitText(check: OutputCheck, show: (v: number) => string): string {
  const { min, max } = check.limit;
  if (min !== undefined && max !== undefined) return `${show(min)} … ${show(max)}`;
  if (min !== undefined) return `≥ ${show(min)}`;
  if (max !== undefined) return `≤ ${show(max)}`;
  return '—';
}

function checkRow(check: OutputCheck, confidence: number): string {
  const show = check.check === 'similarity' || check.check === 'length_ratio' ? num : pct;
  return `| ${CHECK_LABEL[check.check]} | ${check.n} | ${show(check.estimate)} | [${show(check.low)}, ${show(check.high)}] (${Math.round(confidence * 1000) / 10}%, ${METHOD[check.method]}) | ${limitText(check, show)} | ${ICON[check.verdict]} |`;
}

/**
 * The shadow's part of the sticky comment: where it stands, the output
 * checks with their confidence intervals, the latest serving metrics, and
 * the decision. Everything a source or a metric wrote goes through
 * inertMarkdown; no answer or prompt is ever shown (the record holds none).
 */
export function renderShadowSection(state: CanaryState, policy: ShadowPolicy): string {
  const resolved = resolveShadowPolicy(policy);
  const record = shadowRecordOf(state);
  const total = shadowIntervalCount(resolved);
  const out: string[] = [
    `### Shadow: ${inertMarkdown(state.model)} ${inertMarkdown(state.version)}${state.baselineVersion ? ` vs production ${inertMarkdown(state.baselineVersion)}` : ''}`,
    '',
  ];
  const progress = `${record.judged} of ${total} interval(s) of ${resolved.text.interval} judged · ${resolved.mirror}% of requests mirrored · then ${resolved.then}`;
  if (record.outcome) {
    const head =
      record.outcome.verdict === 'pass'
        ? '✅ passed'
        : record.outcome.verdict === 'fail'
          ? '❌ failed'
          : '⚠️ inconclusive (fails closed)';
    out.push(`**${head}**: ${inertMarkdown(record.outcome.reason)}`, '', progress, '');
  } else {
    out.push(`**⏳ running**: ${progress}`, '');
  }
  if (resolved.outputs) {
    const tally = record.outputs;
    if (tally) {
      const verdict = judgeOutputs(tally, resolved.outputs);
      out.push(
        `#### Outputs: ${ICON[verdict.verdict]} (${inertMarkdown(verdict.reason)})`,
        '',
        `${tally.pairs} pair(s) compared${tally.overCap ? `, ${tally.overCap} over the sampling cap of ${resolved.outputs.sample} per interval` : ''}${tally.duplicates ? `, ${tally.duplicates} duplicate request id(s) ignored` : ''}; source ${resolved.outputs.source}.`,
        '',
        '| check | n | estimate | confidence interval | limit | verdict |',
        '|---|---|---|---|---|---|',
        ...verdict.checks.map((c) => checkRow(c, resolved.outputs!.confidence)),
        '',
      );
    } else {
      out.push('#### Outputs: no pairs yet', '');
    }
    if (record.sourceErrors)
      out.push(
        `⛔ the output source failed in ${record.sourceErrors} interval(s)${record.lastSourceError ? `; latest: ${inertMarkdown(record.lastSourceError)}` : ''}`,
        '',
      );
  }
  const latest = record.recent.at(-1);
  if (latest) {
    out.push(
      `#### Serving metrics, interval ending ${inertMarkdown(latest.at)}: ${ICON[latest.verdict]}`,
      '',
      `Intervals so far: ${record.serving.passed} passed, ${record.serving.failed} failed, ${record.serving.inconclusive} inconclusive, ${record.serving.errors} with errors.`,
      '',
      '| metric | shadow | production | p | verdict |',
      '|---|---|---|---|---|',
      ...latest.measurements.map(
        (m) =>
          `| ${inertMarkdown(m.metric)} | ${m.canary ? `${num(m.canary.median)} (n=${m.canary.n})` : '—'} | ${m.baseline ? `${num(m.baseline.median)} (n=${m.baseline.n})` : '—'} | ${m.test ? m.test.p.toPrecision(2) : '—'} | ${ICON[m.verdict]}: ${inertMarkdown(m.reason)} |`,
      ),
      '',
    );
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

function decisionText(state: CanaryState, then: 'canary' | 'promote'): string {
  const record = shadowRecordOf(state);
  if (!record.outcome) return '**⏳ keep watching**';
  if (record.outcome.verdict !== 'pass') return '**↩️ roll back (revert pull request)**';
  return then === 'promote' ? '**🚀 promote to production**' : '**➡️ hand over to the canary steps**';
}
