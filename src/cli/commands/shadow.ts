import { FORMAT_OPTION, ROOT_OPTION, type CliCommand, POLICY_HELP, POLICY_OPTION } from '../command.js';

/** `modelgate shadow analyze`: its help and options; the work is in run/. */
export const shadow: CliCommand = {
  name: 'shadow',
  summary: 'judge a shadow from recorded answers and metrics (shadow analyze)',
  usage:
    'modelgate shadow analyze --pairs FILE.jsonl [--metrics FILE] [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
  help: `Runs the app's shadow analysis on recorded data, interval by interval, with
the model's rollout.shadow policy from its manifest (duration, interval,
outputs: sample, min_pairs, confidence, checks) and its canary.metrics, and
prints the report the app posts on the pull request.

--pairs: JSON lines, one request a line, either
  {"id": "r1", "production": "answer", "shadow": "answer", "at"?: "2026-11-22T10:03:00Z"}
or one answer a line, joined by id:
  {"id": "r1", "role": "production", "output": "answer", "at"?: "..."}
A pair may carry the pairwise judge's votes:
  "judge": {"production_first": V, "shadow_first": V}, V one of production, shadow, tie, unparsed.
A pair with "at" belongs to the interval it falls in; one without fills the
intervals in file order, outputs.sample at a time.
--metrics: the serving metrics, recorded as for canary analyze (the shadow's
series as "canary", production's as "baseline"), one entry per interval.
Without it the serving metrics are not judged (said on stderr).

Exit 0 only when the shadow passed. Exit 1 when it failed, and when it
ends inconclusive (too few pairs, an interval straddling a limit, metrics
without data): a shadow that proved nothing fails closed.

${POLICY_HELP}`,
  options: {
    ...ROOT_OPTION,
    ...POLICY_OPTION,
    ...FORMAT_OPTION,
    pairs: { type: 'string' },
    metrics: { type: 'string' },
    model: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  run: async (args, out) => (await import('../run/shadow.js')).runShadow(args, out),
};
