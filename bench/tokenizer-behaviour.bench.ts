import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { validate } from '../src/core/validate.js';
import { GitRepository } from '../src/io/git-repository.js';
import { DEFAULT_MANIFESTS } from '../src/io/settings.js';
import { sharedTokenizerSandbox } from '../src/io/tokenizer-sandbox.js';
import { addRealModel } from '../test/helpers/models.js';
import { TempRegistry } from '../test/helpers/registry.js';
import type { RealTokenizer } from '../test/setup/fixture-packages.js';
import { fmt, medianMs, report } from './measure.js';

/**
 * What tokenizer behaviour costs on top of validation, for Llama 3 (128k
 * tokens) and Gemma 3 (262k), in both modes:
 * - plain validate of an unchanged tokenizer: must cost nothing extra (no tokenizer is built);
 * - a base comparison of a changed tokenizer: both versions built once and the corpus encoded.
 */
it.each(['llama3', 'gemma3'] as RealTokenizer[])(
  '%s: tokenizer behaviour adds nothing to plain validate, and one build per version to a base comparison',
  async (name) => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, name);
    const base = registry.commit('released');
    const repo = new GitRepository(registry.root);
    const run = (options: Omit<Parameters<typeof validate>[1], 'tokenizerRunner'>) =>
      validate(repo, { ...options, tokenizerRunner: sharedTokenizerSandbox() });
    const manifests = DEFAULT_MANIFESTS;

    // Plain validate: the default mode against 'always', the mode that builds the tokenizer.
    const plain = await medianMs(3, () => run({ manifests }));
    const always = await medianMs(1, () => run({ manifests, tokenizerBehaviour: 'always' }));

    // A base comparison: add_bos_token flipped against the released value, a version bump. Each run
    // builds both tokenizers anew (tokenizer_config.json differs every run, so no built tokenizer is
    // reused across runs).
    const manifest = parse(registry.read(`${dir}/model.yaml`)) as { version: string };
    registry.writeManifest(`${dir}/model.yaml`, { ...manifest, version: '2.0.0' });
    const released = JSON.parse(registry.read(`${dir}/tokenizer_config.json`)) as { add_bos_token?: boolean };
    let runs = 0;
    let last: Awaited<ReturnType<typeof run>> | undefined;
    const compared = await medianMs(1, async () => {
      registry.editJson(`${dir}/tokenizer_config.json`, (json) => {
        json.add_bos_token = !(released.add_bos_token ?? false);
        json.modelgate_bench_run = ++runs;
      });
      last = await run({ manifests, base });
    });
    report(
      `${name}: plain validate ${fmt(plain)}; with the corpus rules (--tokenizer-behaviour always) ${fmt(always)} (+${fmt(always - plain)}); --base with a changed tokenizer ${fmt(compared)}`,
    );
    // The comparison measured something: the flag moves ids (Gemma loses its <bos>, Llama 3 gains one).
    expect(
      last!.changes[0]!.reasons.some((r) => r.bump === 'major' && r.reason.includes('corpus lines')),
    ).toBe(true);
  },
);
