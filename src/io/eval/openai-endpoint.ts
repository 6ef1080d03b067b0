import OpenAI from 'openai';
import type { Complete } from '../../core/eval/runner.js';

export interface EndpointConfig {
  baseURL: string;
  apiKey?: string;
  model: string;
  timeoutSeconds: number;
  maxTokens?: number;
  temperature?: number;
  stream?: boolean;
  /** Retries on 429, 5xx and timeouts, with exponential backoff (default 4). */
  retries?: number;
}

/**
 * A chat-completions function over any OpenAI-compatible endpoint (vLLM, TGI,
 * llama.cpp, Ollama, OpenAI) with the official client: per-request timeout,
 * and its retries with exponential backoff on 429, 5xx and timeouts.
 */
export function openAiCompletion(config: EndpointConfig): Complete {
  const client = new OpenAI({
    baseURL: config.baseURL,
    apiKey: config.apiKey || 'not-needed',
    timeout: config.timeoutSeconds * 1000,
    maxRetries: config.retries ?? 4,
  });
  return async (messages) => {
    const request = {
      model: config.model,
      messages: messages as OpenAI.Chat.ChatCompletionMessageParam[],
      ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
      temperature: config.temperature ?? 0,
    };
    if (config.stream) {
      const stream = await client.chat.completions.create({
        ...request,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        usage = chunk.usage ?? usage;
      }
      return { text, promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens };
    }
    const response = await client.chat.completions.create(request);
    const text = response.choices?.[0]?.message?.content;
    if (typeof text !== 'string') throw new Error('the endpoint answered without a message');
    return {
      text,
      promptTokens: response.usage?.prompt_tokens,
      completionTokens: response.usage?.completion_tokens,
    };
  };
}
