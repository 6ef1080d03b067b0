import { FORMAT_OPTION, ROOT_OPTION, type CliCommand, POLICY_HELP, POLICY_OPTION } from '../command.js';

/** `modelgate bluegreen analyze`: its help and options; the work is in run/. */
export const bluegreen: CliCommand = {
  name: 'bluegreen',
  summary: 'judge a blue-green rollout from recorded data (bluegreen analyze)',
  usage:
    'modelgate bluegreen analyze --metrics FILE [--suites RESULTS]... [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
  help: `Replays a recorded blue-green rollout through the app's planner, with the
model's rollout.blue_green and canary policy from its manifest: the eval
suites run against the preview (--suites: the results files modelgate's
runner wrote, judged by the gates of the version in production, against its
recorded results), the preview's health window (canary.metrics, thresholds
only), the switch, and the post-switch windows (green against blue's series
just before the switch). Prints the report the app posts on the pull request.

The file: { "model"?, "green": "1.3.0", "blue"?: "1.2.0",
  "previewLiveAt": "2026-11-22T10:00:00Z",
  "preview": { "error_rate": [0.004, ...] },
  "switchLiveAt"?: "2026-11-22T10:11:00Z",
  "postSwitch": [ { "error_rate": { "green": [...], "blue": [...] } }, ... ] }
A series may be { "error": "why the query failed" }; values may be "NaN" or "+Inf".
Exit 0 only when the rollout was promoted. Exit 1 when it failed (the preview
was refused or green was switched back), and when the recording ends before
the analysis decided: missing suites, no data and inconclusive windows never
make a pass. Exit 2 when the files or the manifest cannot be used.

${POLICY_HELP}`,
  options: {
    ...ROOT_OPTION,
    ...POLICY_OPTION,
    ...FORMAT_OPTION,
    metrics: { type: 'string' },
    suites: { type: 'string', multiple: true },
    model: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  run: async (args, out) => (await import('../run/bluegreen.js')).runBlueGreen(args, out),
};
