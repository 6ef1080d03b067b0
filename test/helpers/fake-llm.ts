import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLlmBehaviour {
  /** The reply to a conversation (the last user message is usually enough; `url` tells endpoints apart). */
  answer: (lastUser: string, request: { url: string }) => string;
  delayMs?: number;
  /** Answer 429 (then 200) this many times per distinct prompt. */
  rateLimitTimes?: number;
  /** Answer with a body that is not JSON. */
  malformed?: boolean;
  /** Never answer. */
  hang?: boolean;
}

/**
 * A local OpenAI-compatible chat-completions endpoint on 127.0.0.1: real HTTP,
 * streaming (server-sent events) and not, 429s with retry-after, malformed
 * bodies, hangs. Counts requests and peak concurrency.
 */
export class FakeLlm {
  requests = 0;
  inFlight = 0;
  peak = 0;
  readonly authorizations: string[] = [];
  private readonly limited = new Map<string, number>();
  private server!: Server;
  private readonly open = new Set<ServerResponse>();
  url = '';

  constructor(public behaviour: FakeLlmBehaviour) {}

  static async start(behaviour: FakeLlmBehaviour): Promise<FakeLlm> {
    const fake = new FakeLlm(behaviour);
    fake.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => void fake.respond(req.url ?? '', req.headers.authorization ?? '', body, res));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/v1`;
    return fake;
  }

  close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async respond(
    url: string,
    authorization: string,
    body: string,
    res: ServerResponse,
  ): Promise<void> {
    this.requests += 1;
    this.authorizations.push(authorization);
    if (!url.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const request = JSON.parse(body) as {
      messages: { role: string; content: string }[];
      stream?: boolean;
      model: string;
    };
    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const { behaviour } = this;
    if (behaviour.hang) {
      this.open.add(res);
      return;
    }
    const seen = this.limited.get(lastUser) ?? 0;
    if (behaviour.rateLimitTimes && seen < behaviour.rateLimitTimes) {
      this.limited.set(lastUser, seen + 1);
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '5' })
        .end(JSON.stringify({ error: { message: 'rate limited', type: 'rate_limit' } }));
      return;
    }
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    this.inFlight -= 1;
    if (behaviour.malformed) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
      return;
    }
    const text = behaviour.answer(lastUser, { url });
    const usage = {
      prompt_tokens: lastUser.length,
      completion_tokens: text.length,
      total_tokens: lastUser.length + text.length,
    };
    if (request.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, extra: object = {}) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: request.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
      for (const piece of text.match(/.{1,4}/gs) ?? ['']) res.write(chunk({ content: piece }));
      res.write(
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: request.model, choices: [], usage })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'c',
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      }),
    );
  }
}
