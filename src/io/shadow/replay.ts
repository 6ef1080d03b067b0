import { decodeUtf8 } from '../../core/bytes.js';
import type { Complete } from '../../core/eval/runner.js';
import { readDataset, type DatasetSample } from '../../core/eval/scorers.js';
import { resolveArtifactPath } from '../../core/repo-path.js';
import type { OutputPair } from '../../core/shadow/compare.js';
import type { ArtifactSource } from '../../core/source.js';
import { openAiCompletion } from '../eval/openai-endpoint.js';

/** The largest replay file read: a sample of production prompts, not the log itself. */
export const MAX_REPLAY_BYTES = 16 * 1024 * 1024;

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

/** The prompts interval `index` replays: the file in turn, `cap` at a time, wrapping around. */
export function promptsForInterval(
  prompts: readonly DatasetSample[],
  index: number,
  cap: number,
): DatasetSample[] {
  const take = Math.min(cap, prompts.length);
  const start = (index * take) % prompts.length;
  return Array.from({ length: take }, (_, i) => prompts[(start + i) % prompts.length]!);
}

/**
 * Sends each prompt to both versions and pairs the answers by prompt id. A
 * prompt either version failed to answer (after the client's retries) is
 * left out and counted: a failing shadow shows in its serving metrics, and
 * a comparison needs two answers. Every answer failing is an error, never
 * an empty pass.
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
      try {
        const [a, b] = await Promise.all([production(prompt.messages), shadow(prompt.messages)]);
        results[index] = {
          id: prompt.id,
          production: a.text,
          shadow: b.text,
          prompt: prompt.messages.map((m) => `${m.role}: ${m.content}`).join('\n'),
        };
      } catch (error) {
        failed += 1;
        lastError = (error as Error).message;
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, prompts.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const pairs = results.filter((p): p is OutputPair => p !== undefined);
  if (!pairs.length && prompts.length)
    return {
      error: `no prompt was answered by both versions (${failed} failed; latest: ${lastError.slice(0, 200)})`,
    };
  return { pairs, failed };
}
