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
import { FORMAT_OPTION, formatOf, ROOT_OPTION, stringOf, type CliCommand } from '../command.js';

export const canary: CliCommand = {
  name: 'canary',
  summary: 'judge a canary from recorded metric series (canary analyze)',
  usage: 'modelgate canary analyze --metrics FILE [--model NAME] [--root DIR] [--format text|json|markdown]',
  help: `Runs the canary judge of the app on recorded series, interval by interval,
with the model's canary policy from its manifest (metrics, thresholds,
direction, failure_limit, consecutive_error_limit, on_no_data), and prints
the same report the app posts on the pull request.

The file: { "model"?, "canary"?, "baseline"?, "step"?, "weight"?,
  "intervals": [ { "at": "2026-11-22T10:00:00Z",
    "metrics": { "error_rate": { "canary": [0.01, ...], "baseline": [0.01, ...] } } } ] }
A side may be { "error": "why the query failed" }; values may be "NaN" or "+Inf".
"weight", when given, is the step's traffic percentage: one of canary.steps.
Exit 0 only when the analysis passed. Exit 1 when it failed, and when the
recording ends before enough intervals were judged: intervals that are
inconclusive, erroring or without data never make a pass.`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, metrics: { type: 'string' }, model: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args, out) {
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
  },
};
