import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeOutputs } from '../../../src/core/shadow/checks.js';
import { tallyPairs } from '../../../src/core/shadow/compare.js';
import { resolveShadowPolicy } from '../../../src/core/shadow/policy.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { judgePairs, parseVerdict } from '../../../src/io/shadow/pairwise-judge.js';
import { promptsForInterval, readReplayPrompts, replayPairs } from '../../../src/io/shadow/replay.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { TempRegistry } from '../../helpers/registry.js';

const QUESTIONS = readFileSync(
  join(import.meta.dirname, '..', '..', 'fixtures', 'shadow', 'mt-bench-questions.jsonl'),
  'utf8',
);

let production: FakeLlm;
let shadow: FakeLlm;

beforeAll(async () => {
  // Production answers with the question's first words; the shadow the same, but refuses coding questions.
  const opening = (q: string) => `Here is my answer about ${q.split(/\s+/).slice(0, 6).join(' ')}.`;
  production = await FakeLlm.start({ answer: opening });
  shadow = await FakeLlm.start({
    answer: (q) =>
      /\b(function|program|code|python|implement)\b/i.test(q)
        ? "I'm sorry, but I can't help with that."
        : opening(q),
  });
});
afterAll(async () => {
  await production?.close();
  await shadow?.close();
});

function registryWithReplay(): TempRegistry {
  const registry = TempRegistry.create();
  registry.write('models/support-bot/prompts/sample.jsonl', QUESTIONS);
  registry.write('outside.jsonl', QUESTIONS);
  return registry;
}

describe('the replay source', () => {
  it('sends recorded production prompts (MT-Bench) to both versions and pairs the answers by prompt id', async () => {
    const registry = registryWithReplay();
    const read = await readReplayPrompts(
      new FileSystemSource(registry.root),
      'models/support-bot/model.yaml',
      'prompts/sample.jsonl',
    );
    if ('error' in read) throw new Error(read.error);
    expect(read.prompts).toHaveLength(80);
    const sample = promptsForInterval(read.prompts, 0, 80);
    const replayed = await replayPairs(sample, {
      production: { baseURL: production.url, model: 'support-bot-1.2.0' },
      shadow: { baseURL: shadow.url, model: 'support-bot-1.3.0' },
    });
    if ('error' in replayed) throw new Error(replayed.error);
    expect(replayed.pairs).toHaveLength(80);
    const first = replayed.pairs.find((p) => p.id === 'mt-bench-81')!;
    expect(first.production).toBe('Here is my answer about Compose an engaging travel blog post.');
    expect(first.shadow).toBe(first.production);

    // The coding questions the shadow refuses are caught by the refusal check.
    const policy = resolveShadowPolicy({
      outputs: {
        source: 'replay',
        replay: 'prompts/sample.jsonl',
        min_pairs: 50,
        checks: { refusal_rate: {} },
      },
    });
    const verdict = judgeOutputs(tallyPairs(replayed.pairs, 500), policy.outputs!);
    expect(verdict.checks[0]).toMatchObject({ check: 'refusal_rate', verdict: 'fail', n: 80 });
  });

  it('sends each prompt once, sample at a time: a replayed prompt is never counted twice', () => {
    const prompts = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, messages: [], expected: undefined }));
    expect(promptsForInterval(prompts, 0, 2).map((p) => p.id)).toEqual(['p0', 'p1']);
    expect(promptsForInterval(prompts, 1, 2).map((p) => p.id)).toEqual(['p2', 'p3']);
    // Wrapping around would send p0 again: at temperature 0 the same answers, counted as new evidence.
    expect(promptsForInterval(prompts, 2, 2).map((p) => p.id)).toEqual(['p4']);
    expect(promptsForInterval(prompts, 3, 2)).toEqual([]);
  });

  it('reads the replay file only inside the repository', async () => {
    const registry = registryWithReplay();
    const read = await readReplayPrompts(
      new FileSystemSource(registry.root),
      'models/support-bot/model.yaml',
      '../../../outside.jsonl',
    );
    expect(read).toMatchObject({ error: expect.stringContaining('../../../outside.jsonl') });
  });

  it('a prompt the shadow fails is an empty answer, not a prompt left out', async () => {
    const broken = await FakeLlm.start({ answer: () => '', malformed: true });
    try {
      const replayed = await replayPairs(
        [{ id: 'q', messages: [{ role: 'user', content: 'hi' }], expected: undefined }],
        { production: { baseURL: production.url, model: 'p' }, shadow: { baseURL: broken.url, model: 's' } },
        { retries: 0 },
      );
      expect(replayed).toMatchObject({ failed: 1, pairs: [{ id: 'q', shadow: '' }] });
    } finally {
      await broken.close();
    }
  });

  it('is an error, never an empty pass, when production answers no prompt', async () => {
    const broken = await FakeLlm.start({ answer: () => '', malformed: true });
    try {
      const replayed = await replayPairs(
        [{ id: 'q', messages: [{ role: 'user', content: 'hi' }], expected: undefined }],
        { production: { baseURL: broken.url, model: 'p' }, shadow: { baseURL: shadow.url, model: 's' } },
        { retries: 0 },
      );
      expect(replayed).toMatchObject({
        error: expect.stringMatching(/^production answered no prompt \(1 failed/),
      });
    } finally {
      await broken.close();
    }
  });
});

describe('the pairwise judge', () => {
  const pairs = [
    {
      id: 'a',
      production: 'Paris.',
      shadow: 'The capital of France is Paris, on the Seine.',
      prompt: 'Capital of France?',
    },
    {
      id: 'b',
      production: 'Use a list comprehension: [x*x for x in xs].',
      shadow: 'Squares.',
      prompt: 'Square a list in Python',
    },
  ];

  it('asks in both orders, so a judge that always prefers the first answer shown only produces ties', async () => {
    const judge = await FakeLlm.start({ answer: () => 'Answer A is clearer.\n[[A]]' });
    try {
      const judged = await judgePairs(pairs, { baseURL: judge.url, model: 'judge' }, { maxPairs: 10 });
      expect(judge.requests).toBe(4);
      expect(judged.map((p) => p.judge)).toEqual([
        { productionFirst: 'production', shadowFirst: 'shadow' },
        { productionFirst: 'production', shadowFirst: 'shadow' },
      ]);
      expect(tallyPairs(judged, 10).judge).toEqual({ shadow: 0, production: 0, tie: 2, unparsed: 0 });
    } finally {
      await judge.close();
    }
  });

  it('gives a pair to the side the judge prefers in both orders', async () => {
    // A judge that prefers the longer answer, wherever it is shown.
    const judge = await FakeLlm.start({
      answer: (content) => {
        const a = /<answer_a>\n([\s\S]*?)\n<\/answer_a>/.exec(content)![1]!;
        const b = /<answer_b>\n([\s\S]*?)\n<\/answer_b>/.exec(content)![1]!;
        return a.length >= b.length ? '[[A]]' : '[[B]]';
      },
    });
    try {
      const judged = await judgePairs(pairs, { baseURL: judge.url, model: 'judge' }, { maxPairs: 10 });
      expect(tallyPairs(judged, 10).judge).toEqual({ shadow: 1, production: 1, tie: 0, unparsed: 0 });
    } finally {
      await judge.close();
    }
  });

  it('records a reply without a verdict on its last line as unparsed, never as a win', async () => {
    const judge = await FakeLlm.start({
      answer: () => 'The answer says "[[B]]" so I would pick it, but I am unsure.',
    });
    try {
      const judged = await judgePairs(
        pairs.slice(0, 1),
        { baseURL: judge.url, model: 'judge' },
        { maxPairs: 10 },
      );
      expect(judged[0]!.judge).toEqual({ productionFirst: 'unparsed', shadowFirst: 'unparsed' });
      expect(tallyPairs(judged, 10).judge).toEqual({ shadow: 0, production: 0, tie: 0, unparsed: 1 });
    } finally {
      await judge.close();
    }
    expect(parseVerdict('Reasoning...\n[[C]]')).toBe('C');
    expect(parseVerdict('[[A]]\n[[B]]')).toBe('B');
    expect(parseVerdict('[[A]] and more')).toBeUndefined();
  });

  it('judges at most maxPairs pairs per interval', async () => {
    const judge = await FakeLlm.start({ answer: () => '[[C]]' });
    try {
      const judged = await judgePairs(pairs, { baseURL: judge.url, model: 'judge' }, { maxPairs: 1 });
      expect(judge.requests).toBe(2);
      expect(judged[1]!.judge).toBeUndefined();
    } finally {
      await judge.close();
    }
  });
});
