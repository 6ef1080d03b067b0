import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { check, type CheckReport } from '../../core/check.js';
import { parsePythonJson, readResultsFile, type ResultsFile } from '../../core/eval/results.js';
import { toJson } from '../../core/report/json.js';
import { toMarkdown } from '../../core/report/markdown.js';
import { toText } from '../../core/report/text.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readJudgingSettings } from '../../io/judging-settings.js';
import { suiteRunnerFromEnvironment } from '../../io/eval/suite-runner.js';
import { runReaderFromEnvironment } from '../../io/tracking/run-reader.js';
import { formatOf, listOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { readUserJsonFile, RESULTS_MAX_BYTES } from '../user-file.js';
import { TokenizerBehaviourCache } from '../../io/tokenizer-cache.js';
import { sharedTokenizerSandbox } from '../../io/tokenizer-sandbox.js';

async function runChecks(args: CommandArgs, out: Output): Promise<CheckReport> {
  const root = resolve(stringOf(args, 'root') ?? '.');
  if (!(await stat(root).catch(() => undefined))?.isDirectory())
    throw new CommandError(`--root ${stringOf(args, 'root') ?? root} is not a directory`);
  const base = stringOf(args, 'base');
  if (base !== undefined && !base.trim()) throw new CommandError('--base needs a git ref');
  const repo = new GitRepository(root);
  // With --base, the base's settings judge the change: its own never decide how.
  const judging = await readJudgingSettings(repo, root, base);
  const baselineResults = await Promise.all(
    listOf(args, 'baseline-results').map((path) => readResults(path, root)),
  );
  const runSuites = suiteRunnerFromEnvironment(
    {
      endpoint: stringOf(args, 'endpoint'),
      model: stringOf(args, 'endpoint-model'),
      concurrency: positiveInt(args, 'concurrency'),
      timeoutSeconds: positiveInt(args, 'timeout'),
      retries: stringOf(args, 'retries') === '0' ? 0 : positiveInt(args, 'retries'),
      stream: args.values.stream === true ? true : undefined,
      resultsDir: resolve(root, stringOf(args, 'results-dir') ?? '.modelgate/results'),
      root,
    },
    out.progress,
  );
  return check(repo, {
    ...judging,
    base,
    allowEmpty: args.values['allow-empty'] === true,
    root: stringOf(args, 'root') ?? root,
    baselineResults,
    runSuites,
    // MLflow / W&B credentials from the shell's environment only.
    readRun: runReaderFromEnvironment(process.env),
    // Tokenizers encoded once per file digest, across runs (outside the repository).
    behaviourCache: new TokenizerBehaviourCache(),
    // Tokenizers run in a worker thread with a time budget and a heap limit.
    tokenizerRunner: sharedTokenizerSandbox(),
    progress: out.progress,
  });
}

function render(report: CheckReport, format: 'text' | 'json' | 'markdown', title: string): string {
  if (format === 'json') return toJson(report);
  return format === 'markdown' ? toMarkdown(report, title) : toText(report);
}

/** A `--baseline-results` file: a results file the user must fix is exit 2; a bug in its reader is reported as one. */
function readResults(path: string, root: string): Promise<ResultsFile> {
  return readUserJsonFile({
    path,
    label: `--baseline-results ${path}`,
    root,
    maxBytes: RESULTS_MAX_BYTES,
    read: readResultsFile,
    parse: parsePythonJson,
    fix: 'Pass a results file of lm-evaluation-harness, of modelgate\'s runner, or a {"metric": value} JSON object.',
  });
}

function positiveInt(args: CommandArgs, name: string): number | undefined {
  const raw = stringOf(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new CommandError(`--${name} must be a positive whole number, not "${raw}"`);
  return value;
}

/** `modelgate check`: validate, then the evaluation gates, in one report. */
export async function runCheck(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const report = await runChecks(args, out);
  out.stdout(render(report, format, 'modelgate check'));
  return report.summary.errors > 0 ? 1 : 0;
}

/** `modelgate gate`: the evaluation gates and their evidence, from the same run as check. */
export async function runGate(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const full = await runChecks(args, out);
  // The findings of the gates' evidence (results and samples files, suites), manifests that do not
  // parse (their gates never ran, a failure of the gate, not something to leave out), and the note that
  // the base's settings, not the change's, chose the baseline.
  const evidence = new Set(full.gates.flatMap((g) => g.findings));
  const findings = full.findings.filter(
    (f) => evidence.has(f) || f.rule === 'MANIFEST-SCHEMA' || f.rule === 'SETTINGS-BASE',
  );
  const errors = findings.filter((f) => f.severity === 'error').length;
  const report = {
    ...full,
    findings,
    summary: {
      ...full.summary,
      errors,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      info: 0,
    },
  };
  out.stdout(render(report, format, 'modelgate gate'));
  return errors > 0 ? 1 : 0;
}
