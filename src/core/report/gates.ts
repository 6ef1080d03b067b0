import type { ModelGates } from '../eval/gate-model.js';
import type { GateResult } from '../eval/gates.js';
import { cell } from './escape.js';

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
    p: c ? c.pWorse.toPrecision(2) : '—',
    method: c ? `${c.method}, n=${c.n}` : '—',
  };
}

/** One table per model: metric, baseline, candidate, delta, CI, p, verdict and why. */
export function gatesMarkdown(models: readonly ModelGates[]): string {
  const out: string[] = [];
  for (const m of models) {
    out.push(
      `### ${cell(m.model)} ${cell(m.version)} — evaluation gates`,
      '',
      `Baseline: ${m.baseline ? cell(m.baseline.label) : 'none (thresholds only)'}`,
      '',
    );
    out.push(
      '| metric | baseline | candidate | Δ | CI | p (worse) | test | verdict |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const g of m.gates) {
      const r = row(g);
      out.push(
        `| \`${cell(r.metric)}\` | ${r.baseline} | ${r.candidate} | ${r.delta} | ${r.ci} | ${r.p} | ${r.method} | ${ICON[g.verdict]}: ${cell(g.reason)} |`,
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
      `Gates of ${m.model} ${m.version} (baseline: ${m.baseline?.label ?? 'none, thresholds only'}):`,
    );
    for (const g of m.gates) {
      const r = row(g);
      const values = g.baseline !== undefined ? `${r.baseline} -> ${r.candidate}` : r.candidate;
      const evidence = g.comparison ? ` (${r.delta}, CI ${r.ci}, p ${r.p}, ${r.method})` : '';
      lines.push(`  ${g.verdict.padEnd(12)} ${r.metric}  ${values}${evidence}: ${g.reason}`);
    }
  }
  return lines.join('\n');
}
