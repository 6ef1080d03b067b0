import {
  ALLOW_EMPTY_HELP,
  ALLOW_EMPTY_OPTION,
  FORMAT_OPTION,
  ROOT_OPTION,
  type CliCommand,
} from '../command.js';

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

/** `modelgate check`: its help and options; the work is in run/. */
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
  run: async (args, out) => (await import('../run/check.js')).runCheck(args, out),
};

/** `modelgate gate`: its help and options; the work is in run/. */
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
  run: async (args, out) => (await import('../run/check.js')).runGate(args, out),
};
