import { q as inertMarkdown, o as inertCode, a8 as trainingMarkdown, i as readSettings, a3 as SETTINGS_FILE, a4 as SETTINGS_MAX_BYTES, a5 as parseSettings, d as decodeUtf8 } from './settings-B25yr-FP.js';
import { C as CommandError } from './inputs-DSZox23F.js';
import { Worker } from 'node:worker_threads';

const ICON$1 = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '⚠️ inconclusive',
    'not-run': '⛔ not run',
};
const num = (v) => (v === undefined ? '—' : Number(v.toPrecision(4)).toString());
const signed = (v) => (v === undefined ? '—' : `${v >= 0 ? '+' : ''}${num(v)}`);
function row(g) {
    const c = g.comparison;
    return {
        metric: g.metric,
        baseline: num(g.baseline),
        candidate: num(g.candidate),
        delta: signed(c?.delta ??
            (g.candidate !== undefined && g.baseline !== undefined ? g.candidate - g.baseline : undefined)),
        ci: c ? `[${signed(c.ci[0])}, ${signed(c.ci[1])}]` : '—',
        bound: c ? boundCell(g, c) : '—',
        p: c ? c.pWorse.toPrecision(2) : '—',
        method: c ? `${c.method}, n=${c.n}` : '—',
    };
}
/**
 * The one-sided bound the gate checked against the tolerance: "≥ -0.0146
 * (allowed -0.02)" when higher is better, "≤ +0.03 (allowed +0.05)" when lower is.
 */
function boundCell(g, c) {
    const lower = g.higherIsBetter !== false;
    const allowed = g.tolerance === undefined ? '' : ` (allowed ${signed(lower ? -g.tolerance : g.tolerance)})`;
    return `${lower ? '≥' : '≤'} ${signed(c.bound)}${allowed}`;
}
/** One table per model: metric, baseline, candidate, delta, CI, the bound checked, p, verdict and why. */
function gatesMarkdown(models) {
    const out = [];
    for (const m of models) {
        out.push(`### ${inertMarkdown(m.model)} ${inertMarkdown(m.version)} — evaluation gates`, '', `Baseline: ${m.baseline ? inertMarkdown(m.baseline.label) : 'none (thresholds only)'}`, '');
        const confidence = m.gates.find((g) => g.comparison)?.comparison?.confidence;
        const boundHeader = confidence === undefined ? 'bound' : `${Number((confidence * 100).toPrecision(4))} % bound`;
        out.push(`| metric | baseline | candidate | Δ | CI | ${boundHeader} | p (worse) | test | verdict |`, '|---|---|---|---|---|---|---|---|---|');
        for (const g of m.gates) {
            const r = row(g);
            out.push(`| ${inertCode(r.metric)} | ${r.baseline} | ${r.candidate} | ${r.delta} | ${r.ci} | ${r.bound} | ${r.p} | ${r.method} | ${ICON$1[g.verdict]}: ${inertMarkdown(g.reason)} |`);
        }
        out.push('');
    }
    return out.join('\n');
}

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' };
/** The job summary and pull-request body: a findings table and the required bumps. */
function toMarkdown(report, title = 'modelgate validate') {
    const { errors, warnings, info, manifests, validated } = report.summary;
    const status = errors ? `❌ ${errors} error(s)` : '✅ no errors';
    const out = [
        `## ${title}`,
        '',
        `${status}, ${warnings} warning(s), ${info} note(s) in ${validated === manifests ? `${manifests}` : `${validated} changed of ${manifests}`} model(s).`,
        '',
    ];
    if (report.models.length) {
        out.push('| model | version | manifest |', '|---|---|---|');
        for (const m of report.models)
            out.push(`| ${inertMarkdown(m.name)} | ${inertMarkdown(m.version)} | ${inertCode(m.path)} |`);
        out.push('');
    }
    if (report.findings.length) {
        out.push('### Findings', '', '| | rule | model | where | message | fix |', '|---|---|---|---|---|---|');
        for (const f of report.findings)
            out.push(findingRow(f));
        out.push('');
    }
    if (report.gates?.length)
        out.push(gatesMarkdown(report.gates));
    if (report.training?.length)
        out.push(trainingMarkdown(report.training));
    if (report.changes.length) {
        out.push('### Version changes', '', '| model | from | to | declared | required | reasons |', '|---|---|---|---|---|---|');
        for (const c of report.changes) {
            const reasons = c.status === 'restored'
                ? 'restores a released version'
                : c.reasons
                    .map((r) => `**${r.bump}** ${inertCode(r.file)}: ${inertMarkdown(r.reason)}`)
                    .join('<br>');
            out.push(`| ${inertMarkdown(c.model)} | ${inertMarkdown(c.from ?? 'new')} | ${inertMarkdown(c.to)} | ${c.declared} | ${c.required} | ${reasons || '—'} |`);
        }
        out.push('');
    }
    return `${out.join('\n')}\n`;
}
function findingRow(f) {
    const where = inertCode(`${f.file}${f.line ? `:${f.line}` : ''}`);
    return `| ${ICON[f.severity]} | ${f.rule} | ${inertMarkdown(f.model)} | ${where} | ${inertMarkdown(f.message)} | ${inertMarkdown(f.fix ?? '')} |`;
}

/**
 * Reads the judging settings for a run on the registry at `root`. The
 * working tree's settings file is always parsed, so a broken one fails the
 * run as it always did. Without a base that file decides. With a base, the
 * change is untrusted input and never decides how it is judged: the stages
 * (hence the baseline) come from the settings at the base's merge base with
 * HEAD, the commit validate and check compare with, and the manifests checked
 * are those the base's globs find plus those the change's own find. A base
 * whose settings cannot be read or parsed is a CommandError (exit 2), never a
 * silent fall back to the defaults. An absent file at the base means defaults.
 */
async function readJudgingSettings(repo, root, base) {
    const own = await readSettings(root);
    const deploy = { settings: own.deploy, file: SETTINGS_FILE };
    if (base === undefined)
        return { manifests: own.manifests, stages: own.stages, settingsFindings: [], deploy };
    const commit = await repo.mergeBase(base);
    const where = `${SETTINGS_FILE} at the base ${commit === base ? commit.slice(0, 12) : `${base} (merge base ${commit.slice(0, 12)})`}`;
    const atBase = await readSettingsAt(repo, commit, where, base);
    const changed = [
        ...(differs(own.stages, atBase.stages)
            ? [
                `stages [${atBase.stages.join(', ')}] (the baseline is the version in ${atBase.stages.at(-1)}), not this change's [${own.stages.join(', ')}]`,
            ]
            : []),
        ...(differs(own.manifests, atBase.manifests)
            ? [
                `manifests: every model the base's globs [${atBase.manifests.join(', ')}] find is checked, and every model this change's [${own.manifests.join(', ')}] find`,
            ]
            : []),
    ];
    return {
        manifests: own.manifests,
        baseManifests: atBase.manifests,
        stages: atBase.stages,
        deploy,
        settingsFindings: changed.length
            ? [
                {
                    rule: 'SETTINGS-BASE',
                    severity: 'warning',
                    model: SETTINGS_FILE,
                    file: SETTINGS_FILE,
                    message: `this change edits ${SETTINGS_FILE}; it was judged with ${where} instead: ${changed.join('; ')}. The change's settings take effect once it is merged.`,
                    fix: 'Nothing to do when the edit is intended: a change never decides how it is judged itself, so its settings apply to the changes after it.',
                },
            ]
            : [],
    };
}
/** The settings file at a commit, through the repository's reader: the same cap and parser as the working tree's. */
async function readSettingsAt(repo, commit, where, base) {
    const fix = `With a base, the settings there decide how a change is judged, so a change cannot repair them for itself: fix ${SETTINGS_FILE} on ${base} first (a regular file of at most ${SETTINGS_MAX_BYTES / 1024} KiB that parses; check it with modelgate validate, without --base).`;
    const read = await repo.at(commit).read(SETTINGS_FILE, SETTINGS_MAX_BYTES);
    if (!read.ok) {
        if (read.problem.kind === 'missing')
            return parseSettings(undefined);
        throw new CommandError(`${where} cannot be read: ${read.problem.detail}`, fix);
    }
    try {
        return parseSettings(decodeUtf8(read.value));
    }
    catch (error) {
        if (!(error instanceof CommandError))
            throw error;
        // parseSettings names the file; here it also names the commit it was read at.
        const message = error.message.startsWith(SETTINGS_FILE)
            ? `${where}${error.message.slice(SETTINGS_FILE.length)}`
            : `${where}: ${error.message}`;
        throw new CommandError(message, error.fix ? `${fix} ${error.fix}` : fix);
    }
}
function differs(a, b) {
    return a.length !== b.length || a.some((item, i) => item !== b[i]);
}

/** How long one measurement (building the tokenizer included) may take: Llama 3's cold build and corpus take about 1 s. */
const DEFAULT_BUDGET_MS = 60_000;
/** The thread's heap: the largest published tokenizers (Gemma 3, 262k tokens) build in well under half of it. */
const DEFAULT_HEAP_MB = 2048;
/**
 * Where the worker's module is. tsc puts it beside this module (build/io/); the bundles have it at
 * dist/tokenizer-worker.js, and rollup.config.js rewrites this expression in whichever chunk holds
 * it so it points there; the sources (vitest) run src/io/tokenizer-worker.ts.
 */
const WORKER_MODULE = new URL("../tokenizer-worker.js", import.meta.url);
/**
 * Runs tokenizers in a worker thread with a heap limit and a wall-clock
 * budget per measurement: a tokenizer.json whose regular expressions
 * backtrack, or whose WordPiece words are long, is stopped (the thread is
 * terminated) and its measurement answered { ok: false }, which the core
 * reports as unchecked behaviour and, with a base, a major change. The
 * thread starts on the first measurement (a run that measures nothing pays
 * nothing), keeps the tokenizers it built for the next, and never holds the
 * process open while idle.
 */
class TokenizerSandbox {
    budgetMs;
    heapMb;
    worker;
    lastId = 0;
    queue = Promise.resolve();
    constructor(options = {}) {
        this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
        this.heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
    }
    /** Measures one request after those already queued: the thread encodes one at a time, each with its own budget. */
    measure(request, read) {
        const run = this.queue.then(() => this.run(request, read));
        this.queue = run.catch(() => undefined);
        return run;
    }
    /** Stops the thread (a later measurement starts a new one). */
    async close() {
        const worker = this.worker;
        this.worker = undefined;
        await worker?.terminate();
    }
    run(request, read) {
        const worker = (this.worker ??= startWorker(this.heapMb));
        const id = ++this.lastId;
        return new Promise((resolve, reject) => {
            let settled = false;
            const finish = (healthy) => {
                settled = true;
                clearTimeout(timer);
                worker.off('message', onMessage).off('error', onError).off('exit', onExit);
                if (healthy)
                    worker.unref();
                else if (this.worker === worker) {
                    this.worker = undefined;
                    void worker.terminate();
                }
            };
            const settle = (measured, healthy) => {
                if (settled)
                    return;
                finish(healthy);
                resolve(measured);
            };
            // The thread asks for the file's text only when it holds no tokenizer built from it.
            const sendText = async () => {
                const text = await read();
                if (settled)
                    return;
                if (!text.ok)
                    settle({ ok: false, problem: text.problem }, true);
                else
                    worker.postMessage({ id, request: { ...request, tokenizerJson: text.text } });
            };
            const onMessage = (reply) => {
                if (reply.id !== id)
                    return;
                if (reply.measured !== undefined)
                    return settle(reply.measured, true);
                sendText().catch((error) => {
                    if (settled)
                        return;
                    finish(false);
                    reject(error instanceof Error ? error : new Error(String(error)));
                });
            };
            const onError = (error) => settle(threadFailure(request, error, this.heapMb), false);
            const onExit = (code) => settle({ ok: false, problem: `the thread encoding ${request.file} stopped (exit code ${code})` }, false);
            const timer = setTimeout(() => settle(overBudget(request, this.budgetMs), false), this.budgetMs);
            worker.on('message', onMessage).on('error', onError).on('exit', onExit);
            worker.ref();
            worker.postMessage({ id, request });
        });
    }
}
function startWorker(heapMb) {
    const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
    if (!import.meta.url.endsWith('.ts'))
        return new Worker(WORKER_MODULE, options);
    // Running from the TypeScript sources (vitest): Node strips the types itself, but the sources import
    // each other as './x.js', so the thread first maps a relative .js that does not exist to its .ts.
    const source = new URL('./tokenizer-worker.ts', import.meta.url).href;
    const bootstrap = `
    require('node:module').registerHooks({
      resolve(specifier, context, next) {
        try { return next(specifier, context); } catch (error) {
          if (!/^\\.\\.?\\//.test(specifier) || !specifier.endsWith('.js')) throw error;
          return next(specifier.slice(0, -3) + '.ts', context);
        }
      },
    });
    import(${JSON.stringify(source)});`;
    return new Worker(bootstrap, { ...options, eval: true });
}
function overBudget(request, budgetMs) {
    return {
        ok: false,
        problem: `encoding ${request.texts.length} texts with ${request.file} took longer than ${formatSeconds(budgetMs)} and was stopped`,
        fix: 'A regular expression in tokenizer.json that backtracks (nested quantifiers such as "(a+)+") or a WordPiece model with long words can take unbounded time on some text: use the published pattern of the tokenizer you derive from, and find the slow line by encoding the corpus with the tokenizers library.',
    };
}
function threadFailure(request, error, heapMb) {
    const code = error.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY')
        return {
            ok: false,
            problem: `encoding with ${request.file} needed more than the ${heapMb} MiB of memory modelgate gives a tokenizer`,
        };
    return { ok: false, problem: `the thread encoding ${request.file} failed: ${error.message}` };
}
function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(1))} s`;
}
let shared;
/**
 * The process's sandbox, with the default limits: every validation in one
 * process (a CLI run, the Action, a test run) shares its thread, so a
 * tokenizer built once is not built again.
 */
function sharedTokenizerSandbox() {
    return (shared ??= new TokenizerSandbox());
}

export { readJudgingSettings as r, sharedTokenizerSandbox as s, toMarkdown as t };
