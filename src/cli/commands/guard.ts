import { FORMAT_OPTION, ROOT_OPTION, type CliCommand, POLICY_HELP, POLICY_OPTION } from '../command.js';

/** `modelgate guard analyze`: its help and options; the work is in run/guard.ts. */
export const guard: CliCommand = {
  name: 'guard',
  summary: 'judge a production guard from recorded metric series (guard analyze)',
  usage:
    'modelgate guard analyze --metrics FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
  help: `Runs the production guard's judge of the app on recorded windows, with the
model's guard policy from its manifest (metrics, thresholds, direction,
segments by label, confidence, correction, min_samples, failure_limit), and
prints the evidence the app puts in its guard report: per window and
metric, the worst segments with their medians, p-values (raw and adjusted
across segments) and shift.

The file: { "model"?, "version"?, "previous"?,
  "windows": [ { "at": "2026-11-22T10:00:00Z",
    "metrics": { "error_rate": {
      "current": [ { "labels": { "language": "de" }, "values": [0.01, ...] }, ... ],
      "baseline": [ ... the previous version over the same hours of earlier days ... ] } } } ] }
A side may also be a plain list of values (a metric not split by label) or
{ "error": "why the query failed" }; values may be "NaN" or "+Inf".
Exit 0 only when no breach and at least one window passed. Exit 1 on a
breach (more failed windows than failure_limit), and when no window could
be judged: no evidence is not a pass.

${POLICY_HELP}`,
  options: {
    ...ROOT_OPTION,
    ...POLICY_OPTION,
    ...FORMAT_OPTION,
    metrics: { type: 'string' },
    model: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  run: async (args, out) => (await import('../run/guard.js')).runGuard(args, out),
};
