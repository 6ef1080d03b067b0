import type { ModelGates } from '../eval/gate-model.js';
import type { GateComparison, GateResult } from '../eval/gates.js';
import { inertCode, inertMarkdown, inertText } from './escape.js';

const ICON: Record<GateResult['verdict'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  'not-run': '⛔ not run',
};
const num = (v: number | undefined) => (v === undefined ? '—' : Number(v.toPrecision(4)).toString());
const signed = (v: number | undefined) => (v === undefined ? '—' : `${v >= 0 ? '+' : ''}${num(v)}`);

function row(g: GateResult) {
  const c = g.comparison;
  return {
    metric: g.metric,
    baseline: num(g.baseline),
    candidate: num(g.candidate),
    delta: signed(
      c?.delta ??
        (g.candidate !== undefined && g.baseline !== undefined ? g.candidate - g.baseline : undefined),
    ),
    ci: c ? `[${signed(c.ci[0])}, ${signed(c.ci[1])}]` : '—',
    bound: c ? boundCell(g, c) : '—',
    p: c ? c.pWorse.toPrecision(2) : '—',
    method: c ? `${c.method}, n=${c.n}` : '—',
  };
}

/**
 * The one-sided bound the gate checked against the tolerance: "≥ -0.0146
 * (allowed -0.02)" when higher is better, "≤ +0.03 (allowed +0.05)" when lower is.
 */
function boundCell(g: GateResult, c: GateComparison): string {
  const lower = g.higherIsBetter !== false;
  const allowed = g.tolerance === undefined ? '' : ` (allowed ${signed(lower ? -g.tolerance : g.tolerance)})`;
  return `${lower ? '≥' : '≤'} ${signed(c.bound)}${allowed}`;
}

/** One table per model: metric, baseline, candidate, delta, CI, the bound checked, p, verdict and why. */
export function gatesMarkdown(models: readonly ModelGates[]): string {
  const out: string[] = [];
  for (const m of models) {
    out.push(
      `### ${inertMarkdown(m.model)} ${inertMarkdown(m.version)} — evaluation gates`,
      '',
      `Baseline: ${m.baseline ? inertMarkdown(m.baseline.label) : 'none (thresholds only)'}`,
      '',
    );
    const confidence = m.gates.find((g) => g.comparison)?.comparison?.confidence;
    const boundHeader =
      confidence === undefined ? 'bound' : `${Number((confidence * 100).toPrecision(4))} % bound`;
    out.push(
      `| metric | baseline | candidate | Δ | CI | ${boundHeader} | p (worse) | test | verdict |`,
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const g of m.gates) {
      const r = row(g);
      out.push(
        `| ${inertCode(r.metric)} | ${r.baseline} | ${r.candidate} | ${r.delta} | ${r.ci} | ${r.bound} | ${r.p} | ${r.method} | ${ICON[g.verdict]}: ${inertMarkdown(g.reason)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** The same, for a terminal. */
export function gatesText(models: readonly ModelGates[]): string {
  const lines: string[] = [];
  for (const m of models) {
    lines.push(
      '',
      `Gates of ${inertText(m.model)} ${inertText(m.version)} (baseline: ${m.baseline ? inertText(m.baseline.label) : 'none, thresholds only'}):`,
    );
    for (const g of m.gates) {
      const r = row(g);
      const values = g.baseline !== undefined ? `${r.baseline} -> ${r.candidate}` : r.candidate;
      // The bound the gate checked is in its reason ("at 95 % confidence the drop is at most …").
      const evidence = g.comparison ? ` (${r.delta}, CI ${r.ci}, p ${r.p}, ${r.method})` : '';
      lines.push(
        `  ${g.verdict.padEnd(12)} ${inertText(r.metric)}  ${values}${evidence}: ${inertText(g.reason)}`,
      );
    }
  }
  return lines.join('\n');
}
