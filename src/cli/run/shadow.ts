import { resolve } from 'node:path';
import type { CanaryDecision } from '../../core/canary/decide.js';
import { readRecordedCanary, type RecordedCanary } from '../../core/canary/recorded.js';
import type { CanaryState } from '../../core/canary/state.js';
import type { Manifest } from '../../core/manifest/schema.js';
import { inertJson, inertText } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { judgeOutputs, type OutputsVerdict } from '../../core/shadow/checks.js';
import { resolveShadowPolicy, shadowIntervalCount, type ShadowPolicy } from '../../core/shadow/policy.js';
import { readPairsJsonl, type RecordedPair, type RecordedPairs } from '../../core/shadow/recorded.js';
import { MalformedFileError } from '../../core/user-file-error.js';
import { renderShadowSection } from '../../core/shadow/report.js';
import { newShadowRecord, type ShadowRecord } from '../../core/shadow/state.js';
import { nextShadowJudgment, planShadowStep } from '../../core/shadow/step.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { PAIRS_MAX_BYTES, readUserFile, readUserJsonFile, RECORDING_MAX_BYTES } from '../user-file.js';
import { findModelManifest, requireAnalyze } from './recorded-analysis.js';

/** Where a recording with no time in it starts: any fixed time will do, intervals are relative. */
const UNTIMED_START = Date.UTC(2000, 0, 1);

/** What `shadow analyze --format json` prints. */
interface ShadowAnalysisReport {
  model: string;
  version: string;
  productionVersion?: string;
  servingJudged: boolean;
  unmatchedAnswers: number;
  decision?: CanaryDecision;
  record: ShadowRecord;
  outputs?: OutputsVerdict;
}

/** `modelgate shadow analyze`: the app's shadow analysis on recorded answers (and metrics). */
export async function runShadow(args: CommandArgs, out: Output): Promise<number> {
  requireAnalyze(args, 'shadow', 'modelgate shadow analyze --pairs FILE.jsonl');
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const pairsFile = stringOf(args, 'pairs');
  if (!pairsFile)
    throw new CommandError(
      '--pairs FILE is required',
      'Record the answers as described in modelgate shadow --help.',
    );
  const root = stringOf(args, 'root') ?? '.';
  const recorded = await readPairs(pairsFile, root);
  const metricsFile = stringOf(args, 'metrics');
  const metrics = metricsFile
    ? await readUserJsonFile<RecordedCanary>({
        path: metricsFile,
        label: `--metrics ${metricsFile}`,
        root,
        maxBytes: RECORDING_MAX_BYTES,
        read: readRecordedCanary,
        fix: 'Record the serving metrics as described in modelgate canary --help.',
      })
    : undefined;
  const name = stringOf(args, 'model') ?? metrics?.model;
  if (!name) throw new CommandError('which model? Pass --model NAME (or put "model" in the --metrics file)');
  const found = await findModelManifest(args, name);
  if (!found)
    throw new CommandError(
      `no manifest of ${name} under ${resolve(stringOf(args, 'root') ?? '.')}`,
      'Pass --root DIR of the registry, or --model NAME.',
    );
  const manifest = found.manifest;
  const policy = shadowPolicyOf(manifest, found.path);

  const resolved = resolveShadowPolicy(policy);
  const total = shadowIntervalCount(resolved);
  const firstTimed = recorded.pairs.reduce<number | undefined>(
    (min, p) => (p.at !== undefined && (min === undefined || p.at < min) ? p.at : min),
    undefined,
  );
  const metricsStart = metrics?.intervals[0]
    ? Date.parse(metrics.intervals[0].at) - resolved.intervalMs
    : Number.NaN;
  const start = Number.isFinite(metricsStart) ? metricsStart : (firstTimed ?? UNTIMED_START);
  let state: CanaryState = {
    v: 1,
    model: name,
    version: metrics?.canaryVersion ?? manifest.version,
    ref: `${name}@v${manifest.version}`,
    sha: '0'.repeat(40),
    manifest: found.path,
    trigger: 'recorded',
    pr: 1,
    environment: 'canary',
    productionEnvironment: 'production',
    ...(metrics?.baselineVersion ? { baselineVersion: metrics.baselineVersion } : {}),
    deploymentId: 1,
    weight: 0,
    stepStartedAt: new Date(start).toISOString(),
    intervals: [],
    status: 'running',
    strategy: 'shadow',
    shadow: newShadowRecord(),
  };
  const untimed = recorded.pairs.filter((p) => p.at === undefined);
  const cap = resolved.outputs?.sample ?? 0;
  let decision: CanaryDecision | undefined;
  for (let index = 0; index < total; index += 1) {
    const window = nextShadowJudgment(state, policy);
    if (!window) break;
    const inWindow = recorded.pairs.filter(
      (p) => p.at !== undefined && p.at >= window.start.getTime() && p.at < window.end.getTime(),
    );
    const pairs: RecordedPair[] = [...inWindow, ...untimed.slice(index * cap, (index + 1) * cap)];
    const step = planShadowStep(
      state,
      policy,
      metrics ? manifest.canary : undefined,
      { metrics: metrics?.intervals[index]?.data ?? [], outputs: { pairs } },
      window.due,
      { autoMerge: false },
    );
    if (step.kind !== 'judged') break;
    state = step.state;
    decision = step.decision;
    if (state.status !== 'running' || state.shadow?.phase !== 'shadow') break;
  }
  const record = state.shadow!;
  const report: ShadowAnalysisReport = {
    model: name,
    version: state.version,
    ...(state.baselineVersion ? { productionVersion: state.baselineVersion } : {}),
    servingJudged: metrics !== undefined,
    unmatchedAnswers: recorded.unmatched,
    ...(decision ? { decision } : {}),
    record,
    ...(resolved.outputs && record.outputs
      ? { outputs: judgeOutputs(record.outputs, resolved.outputs) }
      : {}),
  };
  out.stdout(
    format === 'json'
      ? `${inertJson(report)}\n`
      : format === 'markdown'
        ? renderShadowSection(state, policy)
        : shadowText(report),
  );
  if (!metrics)
    out.stderr(
      'modelgate: the serving metrics were not judged (no --metrics): only the answers were compared\n',
    );
  if (recorded.unmatched)
    out.stderr(
      `modelgate: ${recorded.unmatched} answer(s) in ${inertText(pairsFile)} had no partner with the same id and were not compared\n`,
    );
  const passed = record.outcome?.verdict === 'pass';
  if (!passed && record.outcome?.verdict !== 'fail')
    out.stderr(
      `modelgate: the shadow did not pass: ${inertText(record.outcome?.reason ?? `${record.judged} of ${total} interval(s) judged`)} (not enough evidence)\n`,
    );
  return passed ? 0 : 1;
}

/** The `--pairs` JSONL file: read under the same rule as every file named on the command line, every malformed line named. */
async function readPairs(file: string, root: string): Promise<RecordedPairs> {
  const label = `--pairs ${file}`;
  const bytes = await readUserFile({
    path: file,
    label,
    root,
    maxBytes: PAIRS_MAX_BYTES,
    fix: 'Sample the outputs first (outputs.sample pairs per interval are all the analysis reads).',
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CommandError(`${label} cannot be used: not UTF-8 text`, 'Write the file as UTF-8 JSON lines.');
  }
  try {
    return readPairsJsonl(text, file);
  } catch (error) {
    if (!(error instanceof MalformedFileError)) throw error;
    throw new CommandError(`${label} cannot be used: ${error.problem}`, error.fix);
  }
}

/** The manifest's shadow policy; a manifest that does not roll out as a shadow with outputs cannot judge answers. */
function shadowPolicyOf(manifest: Manifest, path: string): ShadowPolicy {
  const rollout = manifest.rollout;
  if (rollout?.strategy !== 'shadow')
    throw new CommandError(
      `${path}: ${manifest.name} does not roll out as a shadow (rollout.strategy is ${rollout?.strategy ?? 'canary, the default'})`,
      'Set rollout.strategy: shadow with a rollout.shadow block (docs/shadow.md).',
    );
  const policy: ShadowPolicy = rollout.shadow ?? {};
  if (!policy.outputs)
    throw new CommandError(
      `${path}: rollout.shadow has no outputs block, so the answers in --pairs would not be judged`,
      'Add rollout.shadow.outputs (source and checks, docs/shadow.md).',
    );
  return policy;
}

function shadowText(report: ShadowAnalysisReport): string {
  const { record } = report;
  const verdict = record.outcome ? record.outcome.verdict : 'running';
  const lines = [
    `shadow ${inertText(report.model)} ${inertText(report.version)}${report.productionVersion ? ` vs ${inertText(report.productionVersion)}` : ''}: ${verdict}${record.outcome ? ` (${inertText(record.outcome.reason)})` : ''}`,
  ];
  for (const h of record.history)
    lines.push(
      `  ${inertText(h.at)}  serving ${h.serving.padEnd(12)} pairs ${String(h.pairs).padStart(5)}  outputs so far ${h.outputs}`,
    );
  for (const c of report.outputs?.checks ?? [])
    lines.push(`    ${c.verdict.padEnd(12)} ${c.check}: ${inertText(c.reason)}`);
  if (report.decision) lines.push(`  next: ${report.decision.action} (${inertText(report.decision.reason)})`);
  return `${lines.join('\n')}\n`;
}
