import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validate, type ValidateOptions } from '../../../src/core/validate.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { DEFAULT_MANIFESTS } from '../../../src/io/settings.js';
import { sharedTokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import type { RealTokenizer } from '../../setup/fixture-packages.js';

// Real tokenizers (GPT-2, Llama 2, Qwen 2.5: the cheapest to build) with one fault injected each.

type Json = Record<string, any>;

function run(registry: TempRegistry, options: Partial<ValidateOptions> = {}) {
  return validate(new GitRepository(registry.root), {
    manifests: DEFAULT_MANIFESTS,
    tokenizerRunner: sharedTokenizerSandbox(),
    ...options,
  });
}

/** A registry with the model released at 1.0.0 and committed: the base of a change. */
function released(tokenizer: RealTokenizer) {
  const registry = TempRegistry.create();
  const dir = addRealModel(registry, tokenizer);
  const base = registry.commit(`${tokenizer} 1.0.0`);
  registry.tag(`${tokenizer.replaceAll('_', '-')}@v1.0.0`);
  const bump = (version: string) => {
    const manifest = parse(registry.read(`${dir}/model.yaml`)) as Json;
    manifest.version = version;
    registry.writeManifest(`${dir}/model.yaml`, manifest);
  };
  return { registry, dir, base, bump };
}

describe('special tokens the chat template writes are one id each', () => {
  it('CHAT-STOP: <|im_end|> dropped from added_tokens of Qwen 2.5 is split into pieces, and the example shows them', async () => {
    const { registry, dir } = released('qwen2_5');
    registry.editJson(`${dir}/tokenizer.json`, (json) => {
      json.added_tokens = (json.added_tokens as Json[]).filter((t) => t.content !== '<|im_end|>');
    });
    const report = await run(registry);
    const [stop, ...more] = findingsOf(report, 'CHAT-STOP');
    expect(more).toEqual([]);
    expect(stop).toMatchObject({ severity: 'error', artifact: `${dir}/tokenizer_config.json` });
    expect(stop!.message).toMatch(
      /^the chat template in models\/qwen2-5\/tokenizer_config\.json ends assistant turns with "<\|im_end\|>", but models\/qwen2-5\/tokenizer\.json encodes it to 6 ids \[\d+, \d+, \d+, \d+, \d+, \d+\] \("<", "\|", "im", "_end", "\|", ">"\)/,
    );
    expect(stop!.message).toContain(
      'it is listed in models/qwen2-5/tokenizer_config.json but not in added_tokens of models/qwen2-5/tokenizer.json',
    );
    expect(stop!.message).toContain('generation does not stop');
    expect(stop!.fix).toBe(
      'List "<|im_end|>" in added_tokens of models/qwen2-5/tokenizer.json (with "special": true and the id the model was trained with); regenerate the files with save_pretrained.',
    );
    // <|im_start|> is still listed: only the dropped token is reported.
    expect(findingsOf(report, 'SPECIAL-RESOLVES')).toEqual([]);
  });

  it('CHAT-STOP: a template that ends turns with a string no file names as a token', async () => {
    const { registry, dir } = released('qwen2_5');
    registry.editJson(`${dir}/tokenizer_config.json`, (json) => {
      json.chat_template = (json.chat_template as string).replaceAll('<|im_end|>', '<|im_stop|>');
    });
    const report = await run(registry);
    const [stop] = findingsOf(report, 'CHAT-STOP');
    expect(stop!.message).toMatch(/ends assistant turns with "<\|im_stop\|>", but .* encodes it to \d ids /);
    expect(stop!.message).toContain('no file of the model names it as a token');
    expect(stop!.fix).toBe(
      'Write the model\'s own end-of-turn token in the template, or add "<|im_stop|>" as an added token the model was trained with.',
    );
  });

  it('the unchanged real Qwen 2.5 template needs no encoding and gets no behavioural finding', async () => {
    const { registry } = released('qwen2_5');
    const report = await run(registry);
    expect(
      report.findings.filter((f) => ['CHAT-STOP', 'SPECIAL-RESOLVES', 'ROUND-TRIP'].includes(f.rule)),
    ).toEqual([]);
  });
});

describe('the corpus rules', () => {
  it('ROUND-TRIP: a lowercasing normaliser added to GPT-2 does not give back what it encodes', async () => {
    const { registry, dir } = released('gpt2');
    registry.editJson(`${dir}/tokenizer.json`, (json) => (json.normalizer = { type: 'Lowercase' }));
    const report = await run(registry, { tokenizerBehaviour: 'always' });
    const [roundTrip] = findingsOf(report, 'ROUND-TRIP');
    expect(roundTrip).toMatchObject({ severity: 'error', artifact: `${dir}/tokenizer.json` });
    expect(roundTrip!.message).toMatch(
      /^models\/gpt2\/tokenizer\.json is byte-level but does not decode what it encodes: \d+ of \d+ corpus lines change, e\.g\. reference line 1 \(prose\) "Hello world" comes back as "hello world"/,
    );
  });

  it('UNK-RATE: Llama 2 without byte fallback turns CJK and emoji into <unk>', async () => {
    const { registry, dir } = released('llama2');
    registry.editJson(`${dir}/tokenizer.json`, (json) => ((json.model as Json).byte_fallback = false));
    const report = await run(registry, { tokenizerBehaviour: 'always' });
    const [unk] = findingsOf(report, 'UNK-RATE');
    expect(unk).toMatchObject({ severity: 'warning', artifact: `${dir}/tokenizer.json` });
    expect(unk!.message).toMatch(
      /^\d+ of \d+ ids \([\d.]+%\) of the corpus encode to the unknown token "<unk>", more than 1%: reference line \d+ /,
    );
  });

  it('a repository corpus joins the reference corpus, and its lines are named by file and line', async () => {
    const { registry, dir } = released('gpt2');
    registry.write(`${dir}/corpus.jsonl`, '{"text": "Support ticket #1"}\n"Second LINE"\n');
    const manifest = parse(registry.read(`${dir}/model.yaml`)) as Json;
    manifest.artifacts.tokenizer_corpus = 'corpus.jsonl';
    registry.writeManifest(`${dir}/model.yaml`, manifest);
    registry.editJson(`${dir}/tokenizer.json`, (json) => (json.normalizer = { type: 'Lowercase' }));
    // Declaring a corpus asks for the corpus rules: no option needed.
    const report = await run(registry);
    expect(findingsOf(report, 'ROUND-TRIP')[0]!.message).toMatch(/ of 3\d\d corpus lines change/);

    registry.write(`${dir}/corpus.jsonl`, '{"text": 1}\n');
    const broken = await run(registry);
    expect(findingsOf(broken, 'ARTIFACT-INVALID').map((f) => f.message)).toEqual([
      'models/gpt2/corpus.jsonl:1 has no "text" string: each line of a .jsonl corpus is {"text": "..."} or a JSON string',
    ]);
  });
});

describe('--base: the change, measured on the corpus', () => {
  it('a flipped add_bos_token moves the ids of every line: major, with the lines side by side (it was a patch before)', async () => {
    const { registry, dir, base, bump } = released('llama2');
    registry.editJson(`${dir}/tokenizer_config.json`, (json) => (json.add_bos_token = false));
    bump('1.0.1');
    const report = await run(registry, { base });
    expect(report.changes[0]).toMatchObject({ required: 'major', declared: 'patch' });
    const evidence = report.changes[0]!.reasons.find((r) => r.reason.includes('corpus lines'))!;
    expect(evidence).toMatchObject({ bump: 'major', file: `${dir}/tokenizer_config.json` });
    // Every line lost its leading <s> (id 1), and nothing else moved.
    expect(evidence.reason).toMatch(
      /^(\d+) of \1 corpus lines encode to different ids \(ids moved\), e\.g\. reference line 1 \(prose\) "Hello world": \[1, (\d+), (\d+)\] \("<s>" "▁Hello" "▁world"\) -> \[\2, \3\] \("▁Hello" "▁world"\); /,
    );
    expect(findingsOf(report, 'SEMVER-BUMP')[0]!.message).toContain(
      'llama2 1.0.0 -> 1.0.1 is a patch bump, but the change needs major',
    );
  });

  it('a normaliser added to GPT-2: the policy says major, and the reasons count the lines it re-splits', async () => {
    const { registry, dir, base, bump } = released('gpt2');
    registry.editJson(`${dir}/tokenizer.json`, (json) => (json.normalizer = { type: 'NFKC' }));
    bump('2.0.0');
    const report = await run(registry, { base });
    const reasons = report.changes[0]!.reasons.map((r) => r.reason);
    expect(reasons).toContain('tokenizer normalizer changed');
    const evidence = reasons.find((r) => r.includes('corpus lines'))!;
    expect(evidence).toMatch(
      /^\d+ of \d+ corpus lines encode to different ids \(ids moved\), e\.g\. reference line \d+ \(/,
    );
    // NFKC folds the ellipsis into three full stops: the first example shows it side by side.
    expect(evidence).toContain('reference line 12 (prose) "Mr. O’Neil’s résumé—revised—was accepted…": [… ');
    expect(evidence).toMatch(/"âĢ¦"\) -> \[… [\d, ]+\] \([^)]*"\.\.\."\)/);
    expect(findingsOf(report, 'SEMVER-BUMP')).toEqual([]);
  });

  it('a pure re-serialisation of tokenizer.json encodes identically and says so: a patch', async () => {
    const { registry, dir, base, bump } = released('gpt2');
    const json = registry.readJson(`${dir}/tokenizer.json`);
    registry.write(`${dir}/tokenizer.json`, JSON.stringify(json, null, 4));
    bump('1.0.1');
    const report = await run(registry, { base });
    expect(report.changes[0]).toMatchObject({
      required: 'patch',
      reasons: [
        {
          bump: 'patch',
          file: `${dir}/tokenizer.json`,
          reason: expect.stringMatching(
            /^changed, but all \d+ corpus lines encode to the same ids \(a re-serialisation\)$/,
          ),
        },
      ],
    });
    expect(findingsOf(report, 'SEMVER-BUMP')).toEqual([]);
  });
});
