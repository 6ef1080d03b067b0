import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

const ADDED = 200_000;

/** A WordLevel tokenizer.json with two base tokens and `count` added tokens above them (ids 2 …). */
function tokenizerWithAddedTokens(count: number) {
  return {
    version: '1.0',
    added_tokens: Array.from({ length: count }, (_, i) => ({
      id: i + 2,
      content: `<extra_${i}>`,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 }, unk_token: '<unk>' },
  };
}

function model(registry: TempRegistry, vocabSize: number, version = '1.0.0') {
  registry.write('models/m/tokenizer.json', tokenizerWithAddedTokens(ADDED));
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: vocabSize, hidden_size: 8 });
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json' }, { version }),
  );
}

describe('tokenizers with hundreds of thousands of added tokens are judged, not crashed on', () => {
  it('reports VOCAB-FITS for 200,000 added tokens above vocab_size (Math.max over them overflowed the stack)', async () => {
    const registry = TempRegistry.create();
    model(registry, 2);
    const [finding, ...rest] = findingsOf(await registry.validate(), 'VOCAB-FITS');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      message:
        'added tokens <extra_0>=2, <extra_1>=3, <extra_2>=4, <extra_3>=5, <extra_4>=6 and 199995 more (from models/m/tokenizer.json), but models/m/config.json has vocab_size 2: those ids have no embedding row',
      fix: 'Resize the embeddings (resize_token_embeddings) so that vocab_size is at least 200002.',
    });
  });

  it('compares 200,000 added tokens with --base in linear time (a search per token was quadratic)', async () => {
    const registry = TempRegistry.create();
    model(registry, ADDED + 2);
    registry.commit('m 1.0.0');
    registry.tag('m@v1.0.0');
    model(registry, ADDED + 64, '2.0.0'); // embedding padded: a change, the tokenizer unchanged

    const started = performance.now();
    const report = await registry.validate({ base: 'main' });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(report.changes).toEqual([
      expect.objectContaining({
        required: 'minor',
        reasons: [
          {
            bump: 'minor',
            file: 'models/m/config.json',
            reason: 'vocab_size increased from 200002 to 200064',
          },
        ],
      }),
    ]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
