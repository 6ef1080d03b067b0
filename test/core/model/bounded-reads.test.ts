import { closeSync, openSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { manifestWith } from '../../helpers/models.js';
import { lfsPointer } from '../../helpers/safetensors.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

const MiB = 1024 * 1024;

/** Writes a file chunk by chunk, so a test can make a 100 MB file without holding it. */
function writeStreamed(registry: TempRegistry, path: string, chunks: Iterable<string>): void {
  registry.write(path, '');
  const fd = openSync(join(registry.root, path), 'w');
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** A Unigram tokenizer.json with `count` pieces: ["▁p0", -1.5], … */
function* unigramTokenizer(count: number): Generator<string> {
  yield '{"version":"1.0","added_tokens":[],"model":{"type":"Unigram","unk_id":0,"vocab":[';
  const perChunk = 100_000;
  for (let start = 0; start < count; start += perChunk) {
    const pieces: string[] = [];
    for (let i = start; i < Math.min(count, start + perChunk); i++) pieces.push(`["${i.toString(36)}",0]`);
    yield (start === 0 ? '' : ',') + pieces.join(',');
  }
  yield ']}}';
}

/** A manifest for models/m with these artifacts; a small config.json and tokenizer.json unless the test brings its own. */
function model(registry: TempRegistry, artifacts: Record<string, unknown>) {
  if (!('config' in artifacts))
    registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 8 });
  if (!('tokenizer' in artifacts))
    registry.write('models/m/tokenizer.json', { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json', ...artifacts }),
  );
}

describe('a vocabulary beyond 1,048,576 entries is refused before anything is built from it', () => {
  it('stops reading a 10-million-piece tokenizer.json at the cap, in well under the time a parse would take', async () => {
    const registry = TempRegistry.create();
    writeStreamed(registry, 'models/m/tokenizer.json', unigramTokenizer(10_000_000));
    registry.write('models/m/config.json', { model_type: 't5', vocab_size: 10_000_000, d_model: 8 });
    model(registry, { config: 'config.json', tokenizer: 'tokenizer.json' });

    const started = performance.now();
    const report = await registry.validate();
    const elapsed = performance.now() - started;

    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      {
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        model: 'm',
        file: 'models/m/model.yaml',
        line: 7,
        artifact: 'models/m/tokenizer.json',
        message:
          'models/m/tokenizer.json is too large to judge: the vocabulary (model.vocab) has more than 1048576 entries; modelgate reads at most 1048576 (the largest real vocabularies have about 262,000 tokens)',
        fix: 'Check that the manifest references the right file: no real model file is shaped like this.',
      },
    ]);
    // A parse of the whole file takes minutes on two cores; the count stops after one million entries.
    expect(elapsed).toBeLessThan(10_000);
  });

  it('counts the lines of a 10-million-line vocab.txt before splitting it', async () => {
    const registry = TempRegistry.create();
    writeStreamed(
      registry,
      'models/m/vocab.txt',
      Array.from({ length: 100 }, () => 'a\n'.repeat(100_000)),
    );
    model(registry, { tokenizer: 'vocab.txt' });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'models/m/vocab.txt: the vocabulary has 10000000 entries; modelgate reads at most 1048576 (the largest real vocabularies have about 262,000 tokens)',
    );
  });

  it('stops a SentencePiece model at the first piece past the cap', async () => {
    const registry = TempRegistry.create();
    // ModelProto.pieces (field 1), each a SentencePiece message holding piece (field 1) = "a".
    const piece = Buffer.from([0x0a, 0x03, 0x0a, 0x01, 0x61]);
    registry.write('models/m/tokenizer.model', Buffer.concat(Array(1_048_577).fill(piece) as Buffer[]));
    model(registry, { tokenizer: 'tokenizer.model' });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'models/m/tokenizer.model: the vocabulary has more than 1048576 pieces; modelgate reads at most 1048576 (the largest real vocabularies have about 262,000 tokens)',
    );
  });
  it('counts the merges of a merges.txt before splitting it (at most four times the vocabulary cap)', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/vocab.json', { a: 0, b: 1, 'a b': 2 });
    writeStreamed(registry, 'models/m/merges.txt', [
      '#version: 0.2\n',
      ...Array.from({ length: 42 }, () => 'a b\n'.repeat(100_000)),
    ]);
    model(registry, { tokenizer: 'vocab.json', merges: 'merges.txt' });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'models/m/merges.txt has more than 4194304 merges; modelgate reads at most 4194304 (the largest real files have about 515,000)',
    );
  });
});

describe('JSON artifacts are capped per kind and refused by size, unread', () => {
  it('refuses five 250 MB JSON artifacts from their sizes, naming each cap, without reading them', async () => {
    const registry = TempRegistry.create();
    const files = {
      config: 'config.json',
      generation_config: 'generation_config.json',
      tokenizer_config: 'tokenizer_config.json',
      special_tokens_map: 'special_tokens_map.json',
      added_tokens: 'added_tokens.json',
    };
    for (const file of Object.values(files)) {
      registry.write(`models/m/${file}`, '{}');
      truncateSync(join(registry.root, 'models/m', file), 250 * MiB); // sparse: no disk, no time
    }
    model(registry, files);

    const before = process.memoryUsage().rss;
    const report = await registry.validate();
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * MiB);

    expect(findingsOf(report, 'ARTIFACT-INVALID').map((f) => [f.line, f.message])).toEqual([
      [
        6,
        'models/m/config.json is 250.0 MiB; modelgate reads config.json files up to 4.0 MiB (real ones are a few KiB)',
      ],
      [
        8,
        'models/m/generation_config.json is 250.0 MiB; modelgate reads generation_config.json files up to 1.0 MiB (real ones are under 1 KiB)',
      ],
      [
        9,
        "models/m/tokenizer_config.json is 250.0 MiB; modelgate reads tokenizer_config.json files up to 16.0 MiB (Gemma 3's, with 6,415 added tokens and its chat template, is 1.1 MiB)",
      ],
      [
        10,
        'models/m/special_tokens_map.json is 250.0 MiB; modelgate reads special_tokens_map.json files up to 1.0 MiB (real ones are under 10 KiB)',
      ],
      [
        11,
        'models/m/added_tokens.json is 250.0 MiB; modelgate reads added_tokens.json files up to 16.0 MiB (real ones are under 1 MiB)',
      ],
    ]);
    expect(findingsOf(report, 'ARTIFACT-INVALID')[0]).toMatchObject({
      severity: 'error',
      artifact: 'models/m/config.json',
      fix: 'Check that the manifest references the right file: one this large is not a real one of its kind.',
    });
  });

  it('refuses a tokenizer.json over 128 MiB and a chat template over 1 MiB the same way', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/tokenizer.json', '{}');
    truncateSync(join(registry.root, 'models/m/tokenizer.json'), 129 * MiB);
    registry.write('models/m/chat_template.jinja', '{{ messages }}');
    truncateSync(join(registry.root, 'models/m/chat_template.jinja'), 2 * MiB);
    model(registry, { tokenizer: 'tokenizer.json', chat_template: 'chat_template.jinja' });
    const messages = findingsOf(await registry.validate(), 'ARTIFACT-INVALID').map((f) => f.message);
    expect(messages.sort()).toEqual([
      'models/m/chat_template.jinja is 2.0 MiB; modelgate reads chat templates up to 1.0 MiB (real ones are under 20 KiB)',
      "models/m/tokenizer.json is 129.0 MiB; modelgate reads tokenizer.json and vocab.json files up to 128.0 MiB (Gemma 3's tokenizer.json, 262,144 tokens, is 32 MiB)",
    ]);
  });
});

describe('JSON that would break the walks after parsing is refused before it', () => {
  it('refuses a config.json nested 100,000 levels deep, which crashed --base (JSON.stringify overflowed the stack)', async () => {
    const registry = TempRegistry.create();
    model(registry, {});
    registry.commit('m 1.0.0');
    registry.tag('m@v1.0.0');
    const depth = 100_000;
    registry.write(
      'models/m/config.json',
      `{"model_type": "llama", "vocab_size": 2, "hidden_size": 8, "rope_scaling": ${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );

    const report = await registry.validate({ base: 'main' });
    expect(findingsOf(report, 'ARTIFACT-INVALID').map((f) => f.message)).toEqual([
      'models/m/config.json is too large to judge: it nests more than 128 levels deep; modelgate reads JSON nested at most 128 levels (real files use fewer than ten)',
    ]);
  });

  it('names the path of an oversized object that is not a vocabulary (a weight_map of a million tensors)', async () => {
    const registry = TempRegistry.create();
    const entries = Array.from({ length: 1_048_577 }, (_, i) => `"t${i.toString(36)}":"s.safetensors"`);
    registry.write(
      'models/m/model.safetensors.index.json',
      `{"metadata":{"total_size":0},"weight_map":{${entries.join(',')}}}`,
    );
    model(registry, { weights_index: 'model.safetensors.index.json' });
    expect(findingsOf(await registry.validate(), 'ARTIFACT-INVALID').map((f) => f.message)).toEqual([
      'models/m/model.safetensors.index.json is too large to judge: weight_map has more than 1048576 entries; modelgate reads at most 1048576 in one JSON object',
    ]);
  });

  it('groups a 300,000-tensor index by shard in linear time', async () => {
    const registry = TempRegistry.create();
    const entries = Array.from({ length: 300_000 }, (_, i) => `"t${i.toString(36)}":"a.safetensors"`);
    registry.write(
      'models/m/model.safetensors.index.json',
      `{"metadata":{"total_size":0},"weight_map":{${entries.join(',')}}}`,
    );
    registry.write('models/m/a.safetensors', lfsPointer('d'.repeat(64), 1));
    model(registry, { weights_index: 'model.safetensors.index.json' });
    const started = performance.now();
    const report = await registry.validate();
    expect(performance.now() - started).toBeLessThan(10_000); // the list was copied per tensor: hours
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
