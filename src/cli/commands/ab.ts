import { FORMAT_OPTION, ROOT_OPTION, type CliCommand, POLICY_HELP, POLICY_OPTION } from '../command.js';

/** `modelgate ab analyze`: its help and options; the work is in run/ab.ts. */
export const ab: CliCommand = {
  name: 'ab',
  summary: 'judge an A/B test from recorded per-interval counts (ab analyze)',
  usage:
    'modelgate ab analyze --counts FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
  help: `Runs the app's A/B judgment on recorded counts, interval by interval, with
the model's rollout.ab policy from its manifest (metric direction, interval,
min_duration, min_samples, horizon, alpha): the same mixture sequential test,
valid however often it is looked at, and the same report.

The file: { "model"?, "version"? (B, the new one), "baseline"? (A, in production),
  "started"? (when the split went live; default one interval before the first end),
  "intervals": [ { "at": "2026-03-02T01:00:00Z",
    "a": { "successes": 150, "trials": 500 }, "b": { "successes": 171, "trials": 498 } } ] }
Each interval's counts are its increments (what increase(...[{{interval}}]) reads
at "at"), one entry per interval in order; an arm may be { "error": "why" }.
Exit 0 only when the test concludes that B is better (promote B). Exit 1 when
it keeps A, ends inconclusive at the horizon, or the recording ends before a
conclusion: an unproven B is not a pass.

${POLICY_HELP}`,
  options: {
    ...ROOT_OPTION,
    ...POLICY_OPTION,
    ...FORMAT_OPTION,
    counts: { type: 'string' },
    model: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  run: async (args, out) => (await import('../run/ab.js')).runAb(args, out),
};
