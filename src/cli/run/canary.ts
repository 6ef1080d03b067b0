import { inertJson } from '../../core/report/escape.js';
import { decideCanary, DEFAULT_STEPS } from '../../core/canary/decide.js';
import { DEFAULT_JUDGE_OPTIONS, judgeAnalysis, judgeInterval } from '../../core/canary/judge.js';
import { readRecordedCanary } from '../../core/canary/recorded.js';
import { canaryMarkdown, canaryText, type CanaryReport } from '../../core/report/canary.js';
import { CommandError } from '../../core/repository.js';
import { formatOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { readRecordedAnalysis, requireAnalyze } from './recorded-analysis.js';

/** `modelgate canary analyze`: the app's canary judge on recorded metric series. */
export async function runCanary(args: CommandArgs, out: Output): Promise<number> {
  requireAnalyze(args, 'canary', 'modelgate canary analyze --metrics FILE');
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const {
    file: metricsFile,
    recorded,
    name,
    root,
    manifest,
  } = await readRecordedAnalysis(
    args,
    { name: 'canary', option: 'metrics', records: 'series' },
    readRecordedCanary,
  );
  const policy = manifest?.canary;
  if (!policy?.metrics?.length)
    throw new CommandError(
      `no manifest of ${name} with canary.metrics under ${root}`,
      'Add a canary block with metrics to the manifest.',
    );
  const steps: readonly number[] = policy.steps?.length ? policy.steps : DEFAULT_STEPS;
  if (recorded.weight !== undefined && !steps.includes(recorded.weight))
    throw new CommandError(
      `${metricsFile}: "weight" ${recorded.weight} is not one of ${name}'s canary.steps (${steps.join(', ')})`,
      'Record the traffic weight the step ran at.',
    );
  const intervals = recorded.intervals.map((interval) =>
    judgeInterval(policy.metrics!, interval.data, policy, interval.at, DEFAULT_JUDGE_OPTIONS),
  );
  const report: CanaryReport = {
    model: name,
    canaryVersion: recorded.canaryVersion,
    baselineVersion: recorded.baselineVersion,
    step: recorded.step,
    weight: recorded.weight,
    intervals,
    state: judgeAnalysis(intervals, policy, recorded.intervals.length),
  };
  if (recorded.weight !== undefined) report.decision = decideCanary(policy, recorded.weight, report.state);
  out.stdout(
    format === 'json'
      ? `${inertJson(report)}\n`
      : format === 'markdown'
        ? canaryMarkdown(report)
        : canaryText(report),
  );
  if (report.state.status === 'running')
    out.stderr(`modelgate: the canary did not pass: ${report.state.reason} (not enough evidence)\n`);
  return report.state.status === 'passed' ? 0 : 1;
}
