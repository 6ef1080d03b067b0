import { afterAll, describe, expect, it } from 'vitest';
import { validate, type ValidateOptions } from '../../../src/core/validate.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { DEFAULT_MANIFESTS } from '../../../src/io/settings.js';
import { TokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

// The tokenizers of a security review (H1, reproducers run.sh and wordpiece.sh): a tokenizer.json is
// run on text the same pull request writes (its corpus, its chat template), so a file built to be
// slow must be stopped, said, and never passed. The budget here is 1 s so the test is quick; the
// CLI and the Action give a measurement 60 s.
const sandbox = new TokenizerSandbox({ budgetMs: 1000 });
afterAll(() => sandbox.close());

const BUDGET_MESSAGE = /took longer than 1 s and was stopped/;

function run(registry: TempRegistry, options: Partial<ValidateOptions> = {}) {
  return validate(new GitRepository(registry.root), {
    manifests: DEFAULT_MANIFESTS,
    tokenizerRunner: sandbox,
    ...options,
  });
}

/** A BPE model whose pre-tokenizer splits on `pattern`, as the review's reproducer wrote it. */
function splittingTokenizer(pattern: string) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: 0,
        content: '<s>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false },
    post_processor: null,
    decoder: null,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<s>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: { '<s>': 0, a: 1, b: 2, c: 3 },
      merges: [],
    },
  };
}

/** A WordPiece model (BERT's layout) that tries to split words up to `maxChars` long. */
function wordPieceTokenizer(maxChars: number) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: 0,
        content: '[UNK]',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: maxChars,
      vocab: { '[UNK]': 0, a: 1, '##a': 2, b: 3 },
    },
  };
}

const LLAMA_CONFIG = {
  model_type: 'llama',
  architectures: ['LlamaForCausalLM'],
  vocab_size: 4,
  hidden_size: 8,
  num_hidden_layers: 1,
  num_attention_heads: 1,
  max_position_embeddings: 128,
  bos_token_id: 0,
  eos_token_id: 0,
};

const BERT_CONFIG = {
  model_type: 'bert',
  architectures: ['BertModel'],
  vocab_size: 4,
  hidden_size: 8,
  num_hidden_layers: 1,
  num_attention_heads: 1,
  max_position_embeddings: 128,
  pad_token_id: 0,
};

/** models/evil: a config, a tokenizer.json and a corpus of `corpus` (one line). */
function evilModel(
  registry: TempRegistry,
  version: string,
  config: object,
  tokenizer: object,
  corpus: string,
) {
  registry.write('models/evil/config.json', config);
  registry.write('models/evil/tokenizer.json', tokenizer);
  registry.write('models/evil/corpus.txt', `${corpus}\n`);
  registry.writeManifest('models/evil/model.yaml', {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'evil',
    version,
    artifacts: { config: 'config.json', tokenizer: 'tokenizer.json', tokenizer_corpus: 'corpus.txt' },
  });
}

const unchecked = (report: Awaited<ReturnType<typeof run>>) =>
  findingsOf(report, 'ARTIFACT-INVALID').filter((f) => f.message.includes('was not checked'));

describe('a tokenizer.json that takes too long is stopped, and its behaviour is unchecked, never passed', () => {
  // (a+)+$ on thirty a's and a b backtracks 2^30 times: 19.5 s in-process in the review, where nothing stopped it.
  const REDOS_LINE = `${'a'.repeat(30)}b`;

  it('the review\'s Split "(a+)+$" on a corpus line of 30 a\'s then b: stopped at the budget, an error that names the budget and the fix', async () => {
    const registry = TempRegistry.create();
    evilModel(registry, '1.0.0', LLAMA_CONFIG, splittingTokenizer('(a+)+$'), REDOS_LINE);
    registry.commit('evil 1.0.0');
    const started = performance.now();
    const report = await run(registry);
    // The budget and a fresh thread's start, not the 2^30 steps of the expression.
    expect(performance.now() - started).toBeLessThan(10_000);
    const [finding, ...rest] = unchecked(report);
    expect(rest).toEqual([]);
    // Placed on the manifest's line that names the tokenizer. An error: the rules the measurement carries
    // (CHAT-STOP, SPECIAL-RESOLVES, DOUBLE-BOS, ROUND-TRIP) did not run, so a change that adds the slow line
    // to its own corpus must not pass with their errors unseen (a second review: it was a warning).
    expect(finding).toMatchObject({ severity: 'error', model: 'evil', file: 'models/evil/model.yaml' });
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(finding!.message).toMatch(
      /^the behaviour of models\/evil\/tokenizer\.json was not checked \(corpus and chat template encoding\): encoding \d+ texts with models\/evil\/tokenizer\.json took longer than 1 s and was stopped$/,
    );
    expect(finding!.fix).toContain('nested quantifiers such as "(a+)+"');
  });

  it('with --base, the stopped measurement of a changed tokenizer requires a major bump (a minor one is refused)', async () => {
    const registry = TempRegistry.create();
    evilModel(registry, '1.0.0', LLAMA_CONFIG, splittingTokenizer('a'), 'abc');
    const base = registry.commit('evil 1.0.0');
    evilModel(registry, '1.1.0', LLAMA_CONFIG, splittingTokenizer('(a+)+$'), REDOS_LINE);
    registry.commit('evil 1.1.0');
    const report = await run(registry, { base });
    expect(unchecked(report).map((f) => f.message)).toEqual([expect.stringMatching(BUDGET_MESSAGE)]);
    expect(report.changes[0]).toMatchObject({ required: 'major', declared: 'minor' });
    expect(report.changes[0]!.reasons).toContainEqual({
      bump: 'major',
      file: 'models/evil/tokenizer.json',
      reason: expect.stringMatching(
        /^the tokenizer or chat template changed and the change could not be measured: encoding \d+ texts with models\/evil\/tokenizer\.json took longer than 1 s and was stopped$/,
      ),
    });
    expect(findingsOf(report, 'SEMVER-BUMP')[0]).toMatchObject({ severity: 'error' });
  });

  it('a stopped measurement is not cached: the next run tries again, and a new thread measures what comes after', async () => {
    const registry = TempRegistry.create();
    evilModel(registry, '1.0.0', LLAMA_CONFIG, splittingTokenizer('(a+)+$'), REDOS_LINE);
    registry.commit('evil 1.0.0');
    expect(unchecked(await run(registry)).map((f) => f.message)).toEqual([
      expect.stringMatching(BUDGET_MESSAGE),
    ]);
    expect(unchecked(await run(registry)).map((f) => f.message)).toEqual([
      expect.stringMatching(BUDGET_MESSAGE),
    ]);
    // The same pattern on a line it does not backtrack on: the sandbox's new thread measures it.
    evilModel(registry, '1.0.0', LLAMA_CONFIG, splittingTokenizer('(a+)+$'), 'abc');
    registry.commit('a harmless corpus');
    expect(unchecked(await run(registry))).toEqual([]);
  });
});

describe('WordPiece words: max_input_chars_per_word above 1000 is refused before anything runs', () => {
  it("the review's max_input_chars_per_word of 1,000,000,000: an error that names the value, the limit and the fix", async () => {
    const registry = TempRegistry.create();
    // A short line: the refusal does not depend on the corpus (2,000 a's took the library 69 s).
    evilModel(registry, '1.0.0', BERT_CONFIG, wordPieceTokenizer(1_000_000_000), 'a'.repeat(20));
    registry.commit('evil 1.0.0');
    const [finding, ...rest] = unchecked(await run(registry));
    expect(rest).toEqual([]);
    expect(finding!.severity).toBe('error');
    expect(finding!.message).toBe(
      "the behaviour of models/evil/tokenizer.json was not checked (corpus and chat template encoding): models/evil/tokenizer.json cannot be run as a tokenizer: its WordPiece model sets max_input_chars_per_word to 1000000000, above the 1000 modelgate runs (WordPiece takes time cubic in a word's length; published tokenizers use 100 or 200)",
    );
    expect(finding!.fix).toBe(
      'Set model.max_input_chars_per_word in tokenizer.json to at most 1000 (BERT uses 100); words longer than it become the unknown token.',
    );
  });

  it('at the limit (1000) the model is measured as before: a 20-letter word is split into pieces, nothing unchecked', async () => {
    const registry = TempRegistry.create();
    evilModel(registry, '1.0.0', BERT_CONFIG, wordPieceTokenizer(1000), 'a'.repeat(20));
    registry.commit('evil 1.0.0');
    const report = await run(registry);
    expect(unchecked(report)).toEqual([]);
  });
});
