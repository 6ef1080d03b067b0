import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenizerFormatError } from '../../../src/core/tokenizer/model.js';
import { readSentencePiece } from '../../../src/core/tokenizer/sentencepiece.js';
import { readTokenizerJson } from '../../../src/core/tokenizer/tokenizer-json.js';
import { readVocabJson, readVocabTxt } from '../../../src/core/tokenizer/vocab-files.js';
import { fixturePath } from '../../setup/fixture-packages.js';
import { manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

describe('tokenizer.json', () => {
  it('reads a real BPE tokenizer (Llama 3): 128000 merges-based tokens and 256 added specials', () => {
    const tokenizer = readTokenizerJson(
      JSON.parse(readFileSync(fixturePath.tokenizerJson('llama3'), 'utf8')),
      'tokenizer.json',
    );
    expect(tokenizer.modelType).toBe('BPE');
    expect(tokenizer.vocab.size).toBe(128000);
    expect(tokenizer.vocab.maxId).toBe(127999);
    expect(tokenizer.added).toHaveLength(256);
    expect(tokenizer.vocab.idOf('Hello')).toBe(9906);
    expect(tokenizer.vocab.tokenAt(9906)).toBe('Hello');
  });

  it('never confuses tokens with Object.prototype members', () => {
    const tokenizer = readTokenizerJson({ model: { type: 'WordLevel', vocab: { a: 0 } } }, 't.json');
    expect(tokenizer.vocab.idOf('constructor')).toBeUndefined();
    expect(tokenizer.vocab.idOf('__proto__')).toBeUndefined();
  });

  it('reads Unigram (list of [piece, score]) and WordPiece vocabularies', () => {
    const unigram = readTokenizerJson(
      {
        model: {
          type: 'Unigram',
          vocab: [
            ['<unk>', 0],
            ['▁the', -3.1],
            ['s', -4],
          ],
        },
      },
      'u.json',
    );
    expect(unigram.vocab.idOf('▁the')).toBe(1);
    expect(unigram.vocab.maxId).toBe(2);
    const wordpiece = readTokenizerJson(
      { model: { type: 'WordPiece', vocab: { '[UNK]': 0, '##s': 1 }, continuing_subword_prefix: '##' } },
      'w.json',
    );
    expect(wordpiece.modelType).toBe('WordPiece');
  });

  it('finds the BOS a TemplateProcessing post-processor prepends (Gemma 3)', () => {
    const tokenizer = readTokenizerJson(
      JSON.parse(readFileSync(fixturePath.tokenizerJson('gemma3'), 'utf8')),
      't.json',
    );
    expect(tokenizer.prepends).toBe('<bos>');
  });

  it.each([
    ['no model', { version: '1.0' }, 'has no "model" object'],
    ['string ids', { model: { type: 'BPE', vocab: { a: '1' } } }, 'not a non-negative integer'],
    [
      'bad added token',
      { model: { type: 'BPE', vocab: {} }, added_tokens: [{ content: 'x' }] },
      'added_tokens[0]',
    ],
  ])('refuses %s', (_what, json, words) => {
    expect(() => readTokenizerJson(json, 't.json')).toThrow(TokenizerFormatError);
    expect(() => readTokenizerJson(json, 't.json')).toThrow(words);
  });
});

describe('SentencePiece tokenizer.model', () => {
  it("reads Llama 2's real model: BPE, 32000 pieces, <s>/</s> as control pieces", () => {
    const tokenizer = readSentencePiece(readFileSync(fixturePath.llama2SentencePiece), 'tokenizer.model');
    expect(tokenizer.modelType).toBe('BPE');
    expect(tokenizer.vocab.size).toBe(32000);
    expect(tokenizer.vocab.idOf('▁the')).toBe(278);
    expect(tokenizer.builtinSpecial).toEqual({ unk: '<unk>', bos: '<s>', eos: '</s>' });
    expect(tokenizer.added.map((t) => `${t.content}=${t.id}`)).toEqual(['<unk>=0', '<s>=1', '</s>=2']);
  });

  it("reads ALBERT's real Unigram model with its own special ids", () => {
    const tokenizer = readSentencePiece(readFileSync(fixturePath.albertSentencePiece), 'spiece.model');
    expect(tokenizer.modelType).toBe('Unigram');
    expect(tokenizer.vocab.size).toBe(30000);
    expect(tokenizer.builtinSpecial).toEqual({ unk: '<unk>', pad: '<pad>' });
  });

  it('refuses bytes that are not a ModelProto', () => {
    expect(() => readSentencePiece(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 'x.model')).toThrow(
      TokenizerFormatError,
    );
    expect(() => readSentencePiece(new TextEncoder().encode('{"model": {}}'), 'x.model')).toThrow(
      'not a SentencePiece model',
    );
  });
});

describe('vocab.txt and vocab.json + merges.txt', () => {
  it("reads bert-base-uncased's vocabulary: line number is the id", () => {
    const tokens = JSON.parse(readFileSync(fixturePath.bertVocab, 'utf8')) as string[];
    const tokenizer = readVocabTxt(`${tokens.join('\n')}\n`, 'vocab.txt');
    expect(tokenizer.vocab.size).toBe(30522);
    expect(tokenizer.vocab.idOf('[CLS]')).toBe(101);
    expect(tokenizer.vocab.idOf('[MASK]')).toBe(103);
  });

  it("reads GPT-2's vocab.json with its merges", () => {
    const json = JSON.parse(readFileSync(fixturePath.tokenizerJson('gpt2'), 'utf8')) as {
      model: { vocab: object; merges: string[] };
    };
    const merges = `#version: 0.2\n${json.model.merges.join('\n')}\n`;
    const tokenizer = readVocabJson(json.model.vocab, 'vocab.json', { text: merges, file: 'merges.txt' });
    expect(tokenizer.modelType).toBe('BPE');
    expect(tokenizer.vocab.idOf('<|endoftext|>')).toBe(50256);
    expect(tokenizer.pipeline.merges).toHaveLength(50000);
  });

  it('refuses a merges file with a malformed line', () => {
    expect(() => readVocabJson({ a: 0 }, 'vocab.json', { text: 'a b\nabc\n', file: 'merges.txt' })).toThrow(
      'merges.txt: merge 2',
    );
  });
});

describe('the example registry formats end to end', () => {
  it('validates a SentencePiece model (Llama 2 tokenizer.model) with its published config', async () => {
    const registry = TempRegistry.create();
    registry.copy(fixturePath.llama2SentencePiece, 'models/llama/tokenizer.model');
    registry.write(
      'models/llama/config.json',
      readFileSync(new URL('../../fixtures/configs/llama2/config.json', import.meta.url)),
    );
    registry.write('models/llama/tokenizer_config.json', {
      add_bos_token: true,
      bos_token: '<s>',
      eos_token: '</s>',
      unk_token: '<unk>',
      pad_token: null,
      tokenizer_class: 'LlamaTokenizer',
    });
    registry.writeManifest(
      'models/llama/model.yaml',
      manifestWith('llama', {
        config: 'config.json',
        tokenizer: 'tokenizer.model',
        tokenizer_config: 'tokenizer_config.json',
      }),
    );
    const report = await registry.validate();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findingsOf(report, 'PAD')).toHaveLength(1);
  });

  it('reports binary garbage as tokenizer.json as ARTIFACT-INVALID, naming the file', async () => {
    const registry = TempRegistry.create();
    registry.write(
      'models/x/tokenizer.json',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    );
    registry.write('models/x/config.json', { model_type: 'llama', vocab_size: 10 });
    registry.writeManifest(
      'models/x/model.yaml',
      manifestWith('x', { config: 'config.json', tokenizer: 'tokenizer.json' }),
    );
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toMatch(/^models\/x\/tokenizer.json is not valid JSON/);
    expect(finding!.line).toBe(7);
  });
});
