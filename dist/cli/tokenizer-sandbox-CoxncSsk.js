import { c as inertJson, b as inertMarkdown, e as inertCode } from './escape-C_Mv5luI.js';
import { k as gatesMarkdown } from './text-pwQJ1yCB.js';
import { a as trainingMarkdown } from './report-CbYLneVd.js';
import { f as decodeUtf8 } from './yaml-document-D8lQUcRd.js';
import { C as CommandError } from './command-BFTcRIcy.js';
import { readSettings, SETTINGS_MAX_BYTES, parseSettings } from './settings-C0UoLdVc.js';
import { S as SETTINGS_FILE } from './state-AWNhEueb.js';
import { randomBytes, createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm, mkdir, lstat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The `--format json` document (DESIGN.md section 3): one JSON object, stable key order, inert on a terminal. */
function toJson(report) {
    return `${inertJson(report)}\n`;
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

/** The largest cache entry read back: a measurement of the reference corpus is about 100 KiB. */
const CACHE_ENTRY_MAX_BYTES = 16 * 1024 * 1024;
const KEY = /^[0-9a-f]{64}$/;
/**
 * The default folder: $XDG_CACHE_HOME/modelgate/tokenizer-behaviour, else
 * ~/.cache/…, else a per-user folder in the temporary directory. Always
 * outside the repository, so a pull request cannot plant an entry.
 */
function defaultCacheDir(env = process.env) {
    const xdg = env.XDG_CACHE_HOME;
    if (xdg && xdg.startsWith('/'))
        return join(xdg, 'modelgate', 'tokenizer-behaviour');
    const home = homedir();
    if (home)
        return join(home, '.cache', 'modelgate', 'tokenizer-behaviour');
    return join(tmpdir(), `modelgate-${process.getuid?.() ?? 'user'}`, 'tokenizer-behaviour');
}
/**
 * Measured tokenizer behaviour on disk, content-addressed: an entry's name is
 * the sha256 key of everything the measurement depends on (tokenizer file
 * digest, settings, texts, measurement version). The folder is trusted only
 * when this user owns it and nobody else can write it (as ssh treats
 * ~/.ssh): a shared /tmp where another user pre-created the folder is
 * refused, not read. Entries are regular files opened without following
 * links, capped in size, and repeat their key and the sha256 of their payload;
 * the core checks the payload's shape again (readBehaviour). Anything that
 * does not verify is a miss. A cache that cannot be used never fails a run.
 */
class TokenizerBehaviourCache {
    dir;
    usable;
    constructor(dir = defaultCacheDir()) {
        this.dir = dir;
    }
    async read(key) {
        if (!KEY.test(key) || !(await this.ready()))
            return undefined;
        let handle;
        try {
            handle = await open(join(this.dir, `${key}.json`), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
            const info = await handle.stat();
            if (!info.isFile() || info.size > CACHE_ENTRY_MAX_BYTES || !ownedByMe(info.uid))
                return undefined;
            const entry = JSON.parse(await handle.readFile('utf8'));
            if (entry.key !== key || typeof entry.payload !== 'string')
                return undefined;
            if (sha256(entry.payload) !== entry.sha256)
                return undefined;
            return JSON.parse(entry.payload);
        }
        catch {
            return undefined;
        }
        finally {
            await handle?.close();
        }
    }
    async write(key, value) {
        if (!KEY.test(key) || !(await this.ready()))
            return;
        const payload = JSON.stringify(value);
        const temporary = join(this.dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
        try {
            const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
            try {
                await handle.writeFile(JSON.stringify({ key, sha256: sha256(payload), payload }));
            }
            finally {
                await handle.close();
            }
            await rename(temporary, join(this.dir, `${key}.json`));
        }
        catch {
            await rm(temporary, { force: true }).catch(() => undefined);
        }
    }
    /** Creates the folder (0700) and checks it: a real folder, this user's, writable by no one else. */
    ready() {
        return (this.usable ??= (async () => {
            try {
                await mkdir(this.dir, { recursive: true, mode: 0o700 });
                const info = await lstat(this.dir);
                return info.isDirectory() && ownedByMe(info.uid) && (info.mode & 0o022) === 0;
            }
            catch {
                return false;
            }
        })());
    }
}
function ownedByMe(uid) {
    const me = process.getuid?.();
    return me === undefined || uid === me;
}
function sha256(text) {
    return createHash('sha256').update(text).digest('hex');
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

export { TokenizerBehaviourCache as T, toMarkdown as a, readJudgingSettings as r, sharedTokenizerSandbox as s, toJson as t };
