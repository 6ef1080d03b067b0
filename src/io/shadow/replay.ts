import { decodeUtf8 } from '../../core/bytes.js';
import type { Complete } from '../../core/eval/runner.js';
import { readDataset, type DatasetSample } from '../../core/eval/scorers.js';
import { resolveArtifactPath } from '../../core/repo-path.js';
import type { OutputPair } from '../../core/shadow/compare.js';
import type { ArtifactSource } from '../../core/source.js';
import { openAiCompletion } from '../eval/openai-endpoint.js';

/** The largest replay file read: a sample of production prompts, not the log itself. */
const MAX_REPLAY_BYTES = 16 * 1024 * 1024;

/** One version's OpenAI-compatible endpoint: from the settings (`endpoints:`) and the environment, never a manifest. */
export interface VersionEndpoint {
  baseURL: string;
  model: string;
  apiKey?: string;
}

/** The recorded prompts of a manifest's `outputs.replay`, or why they cannot be used. */
export type ReplayPrompts = { prompts: DatasetSample[]; skipped: string[] } | { error: string };

/**
 * Reads `outputs.replay` (relative to the manifest's folder) through the
 * source's containment rule: the dataset format of eval suites (`id`, and
 * `messages` or `prompt`, one JSON object a line). Bad lines are listed and
 * skipped; no usable prompt at all is an error.
 */
export async function readReplayPrompts(
  source: ArtifactSource,
  manifestFile: string,
  replay: string,
): Promise<ReplayPrompts> {
  const resolved = resolveArtifactPath(manifestFile, replay);
  if (!resolved.ok) return { error: `${replay}: ${resolved.reason}` };
  const read = await source.read(resolved.path, MAX_REPLAY_BYTES);
  if (!read.ok) return { error: `${resolved.path} cannot be read: ${read.problem.detail}` };
  const { samples, problems } = readDataset(decodeUtf8(read.value));
  if (!samples.length)
    return {
      error: `${resolved.path} holds no usable prompt${problems.length ? ` (${problems.slice(0, 3).join('; ')})` : ''}`,
    };
  return { prompts: samples, skipped: problems };
}

/**
 * The prompts interval `index` replays: the file in turn, `cap` at a time,
 * each prompt once. A prompt is never sent again: at temperature 0 its
 * answers would come back the same, and counting them again would narrow
 * every confidence interval by repetition alone. Once the file is used up,
 * later intervals replay nothing (and the shadow is judged on the distinct
 * prompts it had).
 */
export function promptsForInterval(
  prompts: readonly DatasetSample[],
  index: number,
  cap: number,
): DatasetSample[] {
  const take = Math.max(0, Math.min(cap, prompts.length));
  return prompts.slice(index * take, (index + 1) * take);
}

/**
 * Sends each prompt to both versions and pairs the answers by prompt id. A
 * prompt the shadow failed to answer (after the client's retries) while
 * production answered is paired with an empty answer: a shadow that fails
 * on the hard prompts must not be judged on the easy ones only. A prompt
 * production failed is left out and counted (nothing to compare with).
 * Every answer failing is an error, never an empty pass.
 */
export async function replayPairs(
  prompts: readonly DatasetSample[],
  endpoints: { production: VersionEndpoint; shadow: VersionEndpoint },
  options: {
    concurrency?: number;
    timeoutSeconds?: number;
    retries?: number;
    complete?: { production: Complete; shadow: Complete };
  } = {},
): Promise<{ pairs: OutputPair[]; failed: number } | { error: string }> {
  const client = (endpoint: VersionEndpoint) =>
    openAiCompletion({
      baseURL: endpoint.baseURL,
      apiKey: endpoint.apiKey,
      model: endpoint.model,
      timeoutSeconds: options.timeoutSeconds ?? 60,
      retries: options.retries ?? 2,
      temperature: 0,
    });
  const production = options.complete?.production ?? client(endpoints.production);
  const shadow = options.complete?.shadow ?? client(endpoints.shadow);
  const results: (OutputPair | undefined)[] = new Array(prompts.length);
  let next = 0;
  let failed = 0;
  let lastError = '';
  const worker = async () => {
    while (next < prompts.length) {
      const index = next++;
      const prompt = prompts[index]!;
      const [a, b] = await Promise.allSettled([production(prompt.messages), shadow(prompt.messages)]);
      if (a.status === 'rejected') {
        failed += 1;
        lastError = (a.reason as Error).message;
        continue;
      }
      if (b.status === 'rejected') {
        failed += 1;
        lastError = (b.reason as Error).message;
      }
      results[index] = {
        id: prompt.id,
        production: a.value.text,
        shadow: b.status === 'fulfilled' ? b.value.text : '',
        prompt: prompt.messages.map((m) => `${m.role}: ${m.content}`).join('\n'),
      };
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, prompts.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const pairs = results.filter((p): p is OutputPair => p !== undefined);
  if (!pairs.length && prompts.length)
    return {
      error: `production answered no prompt (${failed} failed; latest: ${lastError.slice(0, 200)})`,
    };
  return { pairs, failed };
}
