import { Worker } from 'node:worker_threads';
import type { Measured, TokenizerRunner, TokenizerText } from '../core/tokenizer/behaviour.js';
import type { MeasureRequest } from '../core/tokenizer/measure.js';

/** How long one measurement (building the tokenizer included) may take: Llama 3's cold build and corpus take about 1 s. */
const DEFAULT_BUDGET_MS = 60_000;
/** The thread's heap: the largest published tokenizers (Gemma 3, 262k tokens) build in well under half of it. */
const DEFAULT_HEAP_MB = 2048;

/**
 * Where the worker's module is. tsc puts it beside this module (build/io/); the bundles have it at
 * dist/tokenizer-worker.js, and rollup.config.js rewrites this expression in whichever chunk holds
 * it so it points there; the sources (vitest) run src/io/tokenizer-worker.ts.
 */
const WORKER_MODULE = new URL('./tokenizer-worker.js', import.meta.url);

export interface TokenizerSandboxOptions {
  /** Wall-clock time one measurement may take, in milliseconds (default 60 s). */
  budgetMs?: number;
  /** The thread's old-generation heap, in MiB (default 2048). */
  heapMb?: number;
}

interface Reply {
  id: number;
  /** Absent: the thread holds no tokenizer under the request's key, and asks for the file's text. */
  measured?: Measured;
}

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
export class TokenizerSandbox implements TokenizerRunner {
  private readonly budgetMs: number;
  private readonly heapMb: number;
  private worker: Worker | undefined;
  private lastId = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: TokenizerSandboxOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  }

  /** Measures one request after those already queued: the thread encodes one at a time, each with its own budget. */
  measure(request: MeasureRequest, read: () => Promise<TokenizerText>): Promise<Measured> {
    const run = this.queue.then(() => this.run(request, read));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the thread (a later measurement starts a new one). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private run(request: MeasureRequest, read: () => Promise<TokenizerText>): Promise<Measured> {
    const worker = (this.worker ??= startWorker(this.heapMb));
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (healthy: boolean) => {
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (healthy) worker.unref();
        else if (this.worker === worker) {
          this.worker = undefined;
          void worker.terminate();
        }
      };
      const settle = (measured: Measured, healthy: boolean) => {
        if (settled) return;
        finish(healthy);
        resolve(measured);
      };
      // The thread asks for the file's text only when it holds no tokenizer built from it.
      const sendText = async () => {
        const text = await read();
        if (settled) return;
        if (!text.ok) settle({ ok: false, problem: text.problem }, true);
        else worker.postMessage({ id, request: { ...request, tokenizerJson: text.text } });
      };
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        if (reply.measured !== undefined) return settle(reply.measured, true);
        sendText().catch((error: unknown) => {
          if (settled) return;
          finish(false);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      };
      const onError = (error: Error) => settle(threadFailure(request, error, this.heapMb), false);
      const onExit = (code: number) =>
        settle(
          { ok: false, problem: `the thread encoding ${request.file} stopped (exit code ${code})` },
          false,
        );
      const timer = setTimeout(() => settle(overBudget(request, this.budgetMs), false), this.budgetMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.ref();
      worker.postMessage({ id, request });
    });
  }
}

function startWorker(heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(WORKER_MODULE, options);
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

function overBudget(request: MeasureRequest, budgetMs: number): Measured {
  return {
    ok: false,
    problem: `encoding ${request.texts.length} texts with ${request.file} took longer than ${formatSeconds(budgetMs)} and was stopped`,
    fix: 'A regular expression in tokenizer.json that backtracks (nested quantifiers such as "(a+)+") or a WordPiece model with long words can take unbounded time on some text: use the published pattern of the tokenizer you derive from, and find the slow line by encoding the corpus with the tokenizers library.',
  };
}

function threadFailure(request: MeasureRequest, error: Error, heapMb: number): Measured {
  const code = (error as Error & { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY')
    return {
      ok: false,
      problem: `encoding with ${request.file} needed more than the ${heapMb} MiB of memory modelgate gives a tokenizer`,
    };
  return { ok: false, problem: `the thread encoding ${request.file} failed: ${error.message}` };
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

let shared: TokenizerSandbox | undefined;

/**
 * The process's sandbox, with the default limits: every validation in one
 * process (a CLI run, the Action, a test run) shares its thread, so a
 * tokenizer built once is not built again.
 */
export function sharedTokenizerSandbox(): TokenizerSandbox {
  return (shared ??= new TokenizerSandbox());
}
