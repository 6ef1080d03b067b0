import { inertJson } from '../../core/report/escape.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decideCanary, DEFAULT_STEPS } from '../../core/canary/decide.js';
import { DEFAULT_JUDGE_OPTIONS, judgeAnalysis, judgeInterval } from '../../core/canary/judge.js';
import { readRecordedCanary } from '../../core/canary/recorded.js';
import { decodeUtf8 } from '../../core/bytes.js';
import { canaryMarkdown, canaryText, type CanaryReport } from '../../core/report/canary.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';

/** `modelgate canary analyze`: the app's canary judge on recorded metric series. */
export async function runCanary(args: CommandArgs, out: Output): Promise<number> {
  if (args.positionals[0] !== 'analyze')
    throw new CommandError(
      `unknown canary command "${args.positionals[0]}"`,
      'Use: modelgate canary analyze --metrics FILE',
    );
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const metricsFile = stringOf(args, 'metrics');
  if (!metricsFile)
    throw new CommandError(
      '--metrics FILE is required',
      'Record the series as described in modelgate canary --help.',
    );
  let recorded;
  try {
    recorded = readRecordedCanary(JSON.parse(await readFile(metricsFile, 'utf8')), metricsFile);
  } catch (error) {
    throw new CommandError(`${metricsFile} cannot be used: ${(error as Error).message}`);
  }
  const name = stringOf(args, 'model') ?? recorded.model;
  if (!name) throw new CommandError('which model? Pass --model NAME or put "model" in the file');
  const root = resolve(stringOf(args, 'root') ?? '.');
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  const manifests = await repo.findManifests(settings.manifests);
  let policy;
  for (const file of manifests) {
    const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
    const parsed = read.ok ? parseManifest(decodeUtf8(read.value), file) : undefined;
    if (parsed?.manifest?.name === name) policy = parsed.manifest.canary;
    // The model's own manifest is broken: its policy cannot be trusted to judge anything.
    else if (parsed && !parsed.manifest && parsed.rawName === name)
      throw new CommandError(
        `the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`,
        `Run modelgate validate --root ${stringOf(args, 'root') ?? '.'} for every problem.`,
      );
  }
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
