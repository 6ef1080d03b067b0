#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { F as FORMAT_OPTION, P as POLICY_OPTION, R as ROOT_OPTION, a as POLICY_HELP, A as ALLOW_EMPTY_OPTION, b as ALLOW_EMPTY_HELP, C as CommandError } from './cli/command-BFTcRIcy.js';
import { i as inertText, a as inertLog } from './cli/escape-C_Mv5luI.js';

/** `modelgate ab analyze`: its help and options; the work is in run/ab.ts. */
const ab = {
    name: 'ab',
    summary: 'judge an A/B test from recorded per-interval counts (ab analyze)',
    usage: 'modelgate ab analyze --counts FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
    run: async (args, out) => (await import('./cli/ab-D_EBOdUU.js')).runAb(args, out),
};

/** `modelgate bluegreen analyze`: its help and options; the work is in run/. */
const bluegreen = {
    name: 'bluegreen',
    summary: 'judge a blue-green rollout from recorded data (bluegreen analyze)',
    usage: 'modelgate bluegreen analyze --metrics FILE [--suites RESULTS]... [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
    run: async (args, out) => (await import('./cli/bluegreen-BNHLu85l.js')).runBlueGreen(args, out),
};

/** `modelgate canary analyze`: its help and options; the work is in run/. */
const canary = {
    name: 'canary',
    summary: 'judge a canary from recorded metric series (canary analyze)',
    usage: 'modelgate canary analyze --metrics FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
    run: async (args, out) => (await import('./cli/canary-Bnb4dewn.js')).runCanary(args, out),
};

/** `modelgate shadow analyze`: its help and options; the work is in run/. */
const shadow = {
    name: 'shadow',
    summary: 'judge a shadow from recorded answers and metrics (shadow analyze)',
    usage: 'modelgate shadow analyze --pairs FILE.jsonl [--metrics FILE] [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
    run: async (args, out) => (await import('./cli/shadow-MWmDBIPI.js')).runShadow(args, out),
};

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
};
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
const check = {
    name: 'check',
    summary: 'validate and gate in one report (what the pull-request check runs)',
    usage: 'modelgate check [--root DIR] [--base REF] [--format text|json|markdown] [evaluation options]',
    help: `Runs validate, then the evaluation gates of every validated model against
its baseline (the version in production, else the base ref), and prints one
report. Exit 1 when a finding is an error or a gate fails.

${EVAL_HELP}`,
    options: { ...ROOT_OPTION, ...FORMAT_OPTION, ...EVAL_OPTIONS },
    positionals: { min: 0, max: 0 },
    run: async (args, out) => (await import('./cli/check-DLee6Dql.js')).runCheck(args, out),
};
/** `modelgate gate`: its help and options; the work is in run/. */
const gate = {
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
    run: async (args, out) => (await import('./cli/check-DLee6Dql.js')).runGate(args, out),
};

/** `modelgate deploy`: its help and options; the work is in run/. */
const deploy = {
    name: 'deploy',
    summary: 'render (and for nginx, write) the routing of a released version',
    usage: 'modelgate deploy <model> <version> [--weight N] [--mirror N] [--live VERSION] [--target gateway-api|kserve|nginx] [--write] [--reload CMD] [--root DIR]',
    help: `Plans the traffic of a released version exactly as the Action's command: deploy
does for a Deployment: <version> answers --weight percent (default 100), the
version in the last stage (or --live) the rest; --mirror copies that percent of
requests to it (a shadow). The target and its settings come from deploy: in
.github/modelgate.yml. Prints the rendered HTTPRoute, InferenceService or nginx
configuration. --write (nginx) writes the file under the root and runs --reload.
Only released versions deploy: an annotated tag <model>@v<version>. A version
that cannot be deployed is exit 1 with the reason.`,
    options: {
        ...ROOT_OPTION,
        weight: { type: 'string' },
        mirror: { type: 'string' },
        live: { type: 'string' },
        target: { type: 'string' },
        write: { type: 'boolean' },
        reload: { type: 'string' },
    },
    positionals: { min: 2, max: 2 },
    run: async (args, out) => (await import('./cli/deploy-nZol7bWo.js')).runDeploy(args, out),
};

/** `modelgate deprecate`: its help and options; the work is in run/. */
const deprecate = {
    name: 'deprecate',
    summary: 'deprecate a model, deregister a version, or withdraw a version from a stage',
    usage: 'modelgate deprecate <model> [version [stage]] [--dry-run] [--root DIR]',
    help: `Writes GTO's tags in the local clone (push them yourself):
  modelgate deprecate <model>                    <model>@deprecated
  modelgate deprecate <model> <version>          <model>@v<version>!      (deregister)
  modelgate deprecate <model> <version> <stage>  <model>#<stage>!#N       (withdraw from the stage)
Tags are never deleted: the registry keeps its audit trail.`,
    options: { ...ROOT_OPTION, 'dry-run': { type: 'boolean' } },
    positionals: { min: 1, max: 3 },
    run: async (args, out) => (await import('./cli/deprecate-BbFZYJww.js')).runDeprecate(args, out),
};

/** `modelgate guard analyze`: its help and options; the work is in run/guard.ts. */
const guard = {
    name: 'guard',
    summary: 'judge a production guard from recorded metric series (guard analyze)',
    usage: 'modelgate guard analyze --metrics FILE [--model NAME] [--root DIR] [--policy FILE] [--format text|json|markdown]',
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
    run: async (args, out) => (await import('./cli/guard-DezBfSUa.js')).runGuard(args, out),
};

/** `modelgate history`: its help and options; the work is in run/. */
const history = {
    name: 'history',
    summary: 'every registration, stage assignment and deprecation, oldest first',
    usage: 'modelgate history [model] [--root DIR] [--format text|json|gto] [--newest-first]',
    help: `Lists the registry events recorded in the git tags of the local clone:
who registered, promoted, withdrew or deprecated what, and when. Events of
the same second are in GTO's order (deprecation, registration,
deregistration, assignment, withdrawal). --newest-first reverses the list
(GTO's default); --format gto prints what \`gto history --json\` prints,
newest first.`,
    options: { ...ROOT_OPTION, ...FORMAT_OPTION, 'newest-first': { type: 'boolean' } },
    positionals: { min: 0, max: 1 },
    run: async (args, out) => (await import('./cli/history-DEBjEIF4.js')).runHistory(args, out),
};

/** `modelgate promote`: its help and options; the work is in run/. */
const promote = {
    name: 'promote',
    summary: 'assign a released version to a stage (writes a local tag)',
    usage: 'modelgate promote <model> <version> <stage> [--force] [--dry-run] [--root DIR]',
    help: `Creates the annotated tag <model>#<stage>#N on the commit of <model>@v<version>,
N being one more than the model's highest counter (GTO's format). Stages are
ordered (.github/modelgate.yml, default: canary, production): a version enters
a stage only after the one before it, unless --force. Push the tag yourself:
git push origin <tag>.`,
    options: { ...ROOT_OPTION, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    positionals: { min: 3, max: 3 },
    run: async (args, out) => (await import('./cli/promote-BOWlcQh3.js')).runPromote(args, out),
};

/** `modelgate release`: its help and options; the work is in run/. */
const release = {
    name: 'release',
    summary: 'tag the versions a merge introduces and assign them to the first stage',
    usage: 'modelgate release [--base REF] [--head REF] [--force] [--dry-run] [--root DIR] [--format text|json]',
    help: `Plans the release of every manifest whose version changed between --base
and --head (default HEAD): a tag <model>@v<version> and a first-stage
assignment <model>#<stage>#N per new version; a restored (rolled back)
version gets only the assignment. Without --dry-run the tags are created in
the local clone; GitHub Releases and Deployments are the Action's part
(command: release). Steps that already exist are skipped, so running it twice
creates nothing twice.

Without --base there is no base commit: every manifest at --head is read and
only versions that have no release tag yet are released. A version already
released is never assigned again (restoring one is recognised only with
--base, the commit before the merge).
A new version of a deprecated model (<model>@deprecated) is refused unless
--force. Exit 1, and nothing released, when a manifest has errors, reuses a
released version with other content, or is refused.`,
    options: {
        ...ROOT_OPTION,
        ...FORMAT_OPTION,
        base: { type: 'string' },
        head: { type: 'string' },
        force: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
    },
    positionals: { min: 0, max: 0 },
    run: async (args, out) => (await import('./cli/release-DnKPVrXC.js')).runRelease(args, out),
};

/** `modelgate rollback`: its help and options; the work is in run/. */
const rollback = {
    name: 'rollback',
    summary: 'restore the manifest and artifacts of an earlier release (--plan shows what would change)',
    usage: 'modelgate rollback <model> [--to VERSION] [--plan] [--root DIR] [--format text|json]',
    help: `Restores, in the working tree, the manifest and every artifact of a released
version exactly as its tag <model>@v<version> has them: by default the last
good release before the current version (the newest earlier one that
reached the last stage, production). Commit the result and open a pull
request: validate reports it as a restore, and its merge re-deploys that
version (no new version tag). --plan only lists the files. The Action's
command: rollback opens that pull request itself.`,
    options: { ...ROOT_OPTION, ...FORMAT_OPTION, to: { type: 'string' }, plan: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    run: async (args, out) => (await import('./cli/rollback-DneF-vq8.js')).runRollback(args, out),
};

/** `modelgate show`: its help and options; the work is in run/. */
const show = {
    name: 'show',
    summary: 'the registered models, their latest versions and what each stage runs',
    usage: 'modelgate show [model] [--root DIR] [--format text|json|gto] [--hide-deprecated]',
    help: `Reads the registry from the git tags of the local clone (GTO's format:
name@v1.2.3, name#stage#N, name@deprecated, and every other form GTO reads)
and shows each model's latest version and the version each stage holds. With
a model, every version. --format gto prints what \`gto show --json\` prints
(deprecated models left out, as GTO does); --hide-deprecated leaves them out
of the other formats too.`,
    options: { ...ROOT_OPTION, ...FORMAT_OPTION, 'hide-deprecated': { type: 'boolean' } },
    positionals: { min: 0, max: 1 },
    run: async (args, out) => (await import('./cli/show-DUDO2UL9.js')).runShow(args, out),
};

/** `modelgate validate`: its help and options; the work is in run/. */
const validate = {
    name: 'validate',
    summary: 'check manifests, artifacts and tokenizer/config compatibility',
    usage: 'modelgate validate [--root DIR] [--base REF] [--allow-empty] [--format text|json|markdown]',
    help: `Checks every model manifest: schema, artifact integrity, tokenizer/config
compatibility. With --base, checks only the models changed since that git ref
(its merge base with HEAD) and whether each version bump covers what changed.
Manifests are found with the globs in .github/modelgate.yml
(default: models/**/model.yaml).

${ALLOW_EMPTY_HELP}`,
    options: { ...ROOT_OPTION, ...FORMAT_OPTION, ...ALLOW_EMPTY_OPTION, base: { type: 'string' } },
    positionals: { min: 0, max: 0 },
    run: async (args, out) => (await import('./cli/validate-CIaHbjtZ.js')).runValidate(args, out),
};

const VERSION = "0.1.0";

/**
 * Every command, in help order. Only their descriptions load here: each
 * command imports what it runs on when it runs (src/cli/run/), so `--help`,
 * `--version` and one command never pay for the others' dependencies.
 */
const COMMANDS = [
    validate,
    gate,
    check,
    release,
    rollback,
    show,
    history,
    promote,
    deploy,
    deprecate,
    canary,
    shadow,
    bluegreen,
    ab,
    guard,
];
const EXIT_CODES = 'Exit codes: 0 nothing blocking, 1 errors found, 2 the command could not run.';
function programHelp() {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return `Usage: modelgate <command> [options]

Git-native release gate for large language models.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'modelgate <command> --help' for a command's options.

${EXIT_CODES}
`;
}
function commandHelp(command) {
    return `Usage: ${command.usage}\n\n${command.help}\n\n${EXIT_CODES}\n`;
}
/** The CLI: parses argv, runs one command, and maps every failure to an exit code (never a stack trace for user error). */
async function main(argv, out) {
    const [name, ...rest] = argv;
    try {
        if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
            out.stdout(programHelp());
            return name === undefined ? 2 : 0;
        }
        if (name === '--version' || name === '-v') {
            out.stdout(`${VERSION}\n`);
            return 0;
        }
        const command = COMMANDS.find((c) => c.name === name);
        if (!command)
            throw new CommandError(`unknown command "${name}"`, "Run 'modelgate --help' for the commands.");
        const { values, positionals } = parseArgs({
            args: [...rest],
            options: { ...command.options, help: { type: 'boolean', short: 'h' } },
            strict: true,
            allowPositionals: command.positionals.max > 0,
        });
        if (values.help) {
            out.stdout(commandHelp(command));
            return 0;
        }
        if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
            throw new CommandError(`wrong number of arguments`, `Usage: ${command.usage}`);
        }
        return await command.run({ values, positionals }, out);
    }
    catch (error) {
        out.stderr(describeFailure(error, name));
        return 2;
    }
}
function describeFailure(error, command) {
    if (error instanceof CommandError)
        return `modelgate: ${error.message}\n${error.fix ? `  fix: ${error.fix}\n` : ''}`;
    const code = error.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
        return `modelgate: ${error.message}\n  fix: run 'modelgate ${command ?? ''} --help'\n`;
    }
    // Anything else is a bug in modelgate: say so, with the stack, so it can be reported.
    return `modelgate: internal error (please report it): ${error?.stack ?? String(error)}\n`;
}

/**
 * An Output on two streams. Everything written passes {@link inertLog}, so no
 * line can restyle the terminal or act as a workflow command. A reader that
 * stops reading (`modelgate history | head -1`: EPIPE) ends that stream
 * quietly: later writes to it are dropped, the command finishes its work and
 * keeps its own exit code. Any other write failure is reported on stderr once
 * and passed to `onLost`.
 */
function streamOutput(streams) {
    const lost = (name, reason) => {
        if (name === 'standard output')
            stderr.write(`modelgate: cannot write to standard output (${reason}): the output is incomplete\n  fix: check where standard output goes (a full disk, a closed descriptor)\n`);
        streams.onLost?.(reason);
    };
    const stdout = guardedStream(streams.stdout, 'standard output', lost);
    const stderr = guardedStream(streams.stderr, 'standard error', lost);
    let progressShown = false;
    return {
        stdout: (text) => stdout.write(text),
        stderr: (text) => {
            if (progressShown)
                stderr.writeRaw('\r\x1b[K');
            progressShown = false;
            stderr.write(text);
        },
        progress: (text) => {
            const columns = streams.terminalWidth?.();
            if (columns === undefined)
                return;
            const width = Math.max(20, columns - 1);
            // Only the line redraw is raw; the text is escaped like any other.
            stderr.writeRaw(`\r\x1b[K${Array.from(inertText(text)).slice(0, width).join('')}`);
            progressShown = true;
        },
    };
}
function guardedStream(stream, name, lost) {
    let open = true;
    const toLog = inertLog();
    const fail = (error) => {
        if (!open)
            return;
        open = false;
        const code = error?.code;
        // EPIPE: the reader went away on purpose (head, less, grep -q); nothing is wrong.
        if (code !== 'EPIPE')
            lost(name, typeof code === 'string' ? code : String(error));
    };
    stream.on('error', fail);
    const writeRaw = (text) => {
        if (!open)
            return;
        try {
            stream.write(text);
        }
        catch (error) {
            fail(error);
        }
    };
    return { writeRaw, write: (text) => writeRaw(toLog(text)) };
}
/** The process's own streams; the progress line redraws on a terminal and is silent elsewhere. */
function processOutput(onLost) {
    const terminal = process.stderr.isTTY === true;
    return streamOutput({
        stdout: process.stdout,
        stderr: process.stderr,
        terminalWidth: () => (terminal ? (process.stderr.columns ?? 80) : undefined),
        onLost,
    });
}
/**
 * Runs a command on the process's streams and sets the exit code: the
 * command's own (also when the reader of its output stopped early), or 2 when
 * its output could not be written, even if that failure comes while a large
 * report is still draining after the command returned.
 */
async function runWithProcessStreams(command) {
    let lost = false;
    const out = processOutput(() => {
        lost = true;
        process.exitCode = 2;
    });
    const code = await command(out);
    process.exitCode = lost ? 2 : code;
}

await runWithProcessStreams((out) => main(process.argv.slice(2), out));
