import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { check as runCheck, type CheckReport } from '../../core/check.js';
import { parsePythonJson, readResultsFile, type ResultsFile } from '../../core/eval/results.js';
import { toJson } from '../../core/report/json.js';
import { toMarkdown } from '../../core/report/markdown.js';
import { toText } from '../../core/report/text.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { suiteRunnerFromEnvironment } from '../../io/eval/suite-runner.js';
import {
  ALLOW_EMPTY_HELP,
  ALLOW_EMPTY_OPTION,
  FORMAT_OPTION,
  formatOf,
  ROOT_OPTION,
  listOf,
  stringOf,
  type CliCommand,
  type CommandArgs,
} from '../command.js';
import type { Output } from '../output.js';
import { TokenizerBehaviourCache } from '../../io/tokenizer-cache.js';

const EVAL_OPTIONS = {
  base: { type: 'string' },
  'baseline-results': { type: 'string', multiple: true },
  endpoint: { type: 'string' },
  'endpoint-model': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'results-dir': { type: 'string' },
  retries: { type: 'string' },
  stream: { type: 'boolean' },
  ...ALLOW_EMPTY_OPTION,
} as const;

const EVAL_HELP = `Evaluation options:
  --base REF                 compare with this git ref (also the baseline when nothing is in production)
  --baseline-results FILE    a results file to use as the baseline (repeatable)
  --endpoint URL             OpenAI-compatible endpoint for eval.suites (or MODELGATE_EVAL_BASE_URL)
  --endpoint-model NAME      model name to send (or MODELGATE_EVAL_MODEL; default: the manifest name)
  --concurrency N            requests in flight (default 8)
  --timeout SECONDS          per request (default 60)
  --retries N                retries on 429, 5xx and timeouts, with backoff (default 4)
  --stream                   stream completions (server-sent events)
  --results-dir DIR          where per-sample results are written (default .modelgate/results)
  --allow-empty              a registry with no manifest yet exits 0 (see below)
The endpoint key comes from MODELGATE_EVAL_API_KEY (or OPENAI_API_KEY), never from a file.
Without an endpoint, gates on suites report "not run" and fail: they never pass unseen.

${ALLOW_EMPTY_HELP}`;

async function runChecks(args: CommandArgs, out: Output): Promise<CheckReport> {
  const root = resolve(stringOf(args, 'root') ?? '.');
  if (!(await stat(root).catch(() => undefined))?.isDirectory())
    throw new CommandError(`--root ${stringOf(args, 'root') ?? root} is not a directory`);
  const settings = await readSettings(root);
  const baselineResults = await Promise.all(listOf(args, 'baseline-results').map(readResults));
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
  return runCheck(new GitRepository(root), {
    manifests: settings.manifests,
    base: stringOf(args, 'base'),
    allowEmpty: args.values['allow-empty'] === true,
    root: stringOf(args, 'root') ?? root,
    stages: settings.stages,
    baselineResults,
    runSuites,
    // Tokenizers encoded once per file digest, across runs (outside the repository).
    behaviourCache: new TokenizerBehaviourCache(),
    progress: out.progress,
  });
}

function render(report: CheckReport, format: 'text' | 'json' | 'markdown', title: string): string {
  if (format === 'json') return toJson(report);
  return format === 'markdown' ? toMarkdown(report, title) : toText(report);
}

async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CommandError(`--baseline-results ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return readResultsFile(parsePythonJson(text), path);
  } catch (error) {
    throw new CommandError(`--baseline-results ${path} is not a results file: ${(error as Error).message}`);
  }
}

function positiveInt(args: CommandArgs, name: string): number | undefined {
  const raw = stringOf(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new CommandError(`--${name} must be a positive whole number, not "${raw}"`);
  return value;
}

export const check: CliCommand = {
  name: 'check',
  summary: 'validate and gate in one report (what the pull-request check runs)',
  usage: 'modelgate check [--root DIR] [--base REF] [--format text|json|markdown] [evaluation options]',
  help: `Runs validate, then the evaluation gates of every validated model against
its baseline (the version in production, else the base ref), and prints one
report. Exit 1 when a finding is an error or a gate fails.

${EVAL_HELP}`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, ...EVAL_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json', 'markdown'] as const);
    const report = await runChecks(args, out);
    out.stdout(render(report, format, 'modelgate check'));
    return report.summary.errors > 0 ? 1 : 0;
  },
};

export const gate: CliCommand = {
  name: 'gate',
  summary: 'judge the evaluation gates of the models against their baseline',
  usage: 'modelgate gate [--root DIR] [--base REF] [--format text|json|markdown] [evaluation options]',
  help: `Reads recorded results (lm-evaluation-harness, plain JSON, modelgate runner
files), runs eval.suites against an OpenAI-compatible endpoint when one is
configured, and judges every gate with its evidence: thresholds, and drops against the
baseline as non-inferiority tests: a drop passes only when its one-sided bound
at eval.confidence (95% by default) is within the tolerance, fails when the bound shows it beyond,
and is inconclusive in between (McNemar, paired bootstrap, or the reported
standard errors).
Exit 1 when a gate fails, did not run, or (on_inconclusive: fail) is inconclusive,
and when a manifest does not parse (MANIFEST-SCHEMA: its gates cannot run).

${EVAL_HELP}`,
  options: { ...ROOT_OPTION, ...FORMAT_OPTION, ...EVAL_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(args, out) {
    const format = formatOf(args, ['text', 'json', 'markdown'] as const);
    const full = await runChecks(args, out);
    // The findings of the gates' evidence (results and samples files, suites), and manifests that do not
    // parse: their gates never ran, a failure of the gate, not something to leave out.
    const evidence = new Set(full.gates.flatMap((g) => g.findings));
    const findings = full.findings.filter((f) => evidence.has(f) || f.rule === 'MANIFEST-SCHEMA');
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
  },
};
