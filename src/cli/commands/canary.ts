import { FORMAT_OPTION, ROOT_OPTION, type CliCommand, POLICY_HELP, POLICY_OPTION } from '../command.js';

/** `modelgate canary analyze`: its help and options; the work is in run/. */
export const canary: CliCommand = {
  name: 'canary',
  summary: 'judge a canary from recorded metric series (canary analyze)',
  usage:
    'modelgate canary analyze --metrics FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
inconclusive, erroring or without data never make a pass.

${POLICY_HELP}`,
  options: {
    ...ROOT_OPTION,
    ...POLICY_OPTION,
    ...FORMAT_OPTION,
    metrics: { type: 'string' },
    model: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  run: async (args, out) => (await import('../run/canary.js')).runCanary(args, out),
};
