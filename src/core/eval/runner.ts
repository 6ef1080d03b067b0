import type { DatasetSample, Scorer } from './scorers.js';

/** One chat completion as the runner needs it. */
export interface Completion {
  text: string;
  promptTokens?: number;
  completionTokens?: number;
}

export type Complete = (messages: DatasetSample['messages']) => Promise<Completion>;

/** One scored sample, as written to the results file. */
export interface SampleResult {
  id: string;
  score: number;
  output: string;
  latency_ms: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  error?: string;
}

export interface SuiteOutcome {
  samples: SampleResult[];
  accuracy: number;
  errors: number;
}

/**
 * Runs every sample through `complete` with at most `concurrency` requests in
 * flight and scores each answer. A request that fails (after the client's own
 * retries) scores 0 and keeps its error: a broken endpoint never looks good.
 */
export async function runSuite(
  samples: readonly DatasetSample[],
  complete: Complete,
  score: Scorer,
  options: { concurrency: number; now: () => number; progress?: (done: number, total: number) => void },
): Promise<SuiteOutcome> {
  const results = new Array<SampleResult>(samples.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < samples.length) {
      const index = next++;
      const sample = samples[index]!;
      const start = options.now();
      try {
        const completion = await complete(sample.messages);
        results[index] = {
          id: sample.id,
          score: await score(completion.text, sample),
          output: completion.text,
          latency_ms: Math.round(options.now() - start),
          ...(completion.promptTokens !== undefined ? { prompt_tokens: completion.promptTokens } : {}),
          ...(completion.completionTokens !== undefined
            ? { completion_tokens: completion.completionTokens }
            : {}),
        };
      } catch (error) {
        results[index] = {
          id: sample.id,
          score: 0,
          output: '',
          latency_ms: Math.round(options.now() - start),
          error: (error as Error).message ?? String(error),
        };
      }
      options.progress?.(++done, samples.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, samples.length) }, worker));
  const total = results.reduce((sum, r) => sum + r.score, 0);
  return {
    samples: results,
    accuracy: samples.length ? total / samples.length : 0,
    errors: results.filter((r) => r.error).length,
  };
}
