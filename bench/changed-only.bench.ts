import { expect, it } from 'vitest';
import { manifestWith } from '../test/helpers/models.js';
import { TempRegistry } from '../test/helpers/registry.js';
import { fmt, medianMs, report } from './measure.js';

const MODELS = 1000;

it('a change to 1 of 1,000 manifests validates only that model', async () => {
  const registry = TempRegistry.create();
  const vocab = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`t${i}`, i]));
  for (let i = 0; i < MODELS; i++) {
    const dir = `models/m${i}`;
    registry.write(`${dir}/tokenizer.json`, { model: { type: 'WordLevel', vocab, unk_token: 't0' } });
    registry.write(`${dir}/config.json`, {
      model_type: 'llama',
      vocab_size: 2000,
      hidden_size: 64,
      pad_token_id: 1,
      eos_token_id: 2,
    });
    registry.writeManifest(
      `${dir}/model.yaml`,
      manifestWith(`m${i}`, { config: 'config.json', tokenizer: 'tokenizer.json' }),
    );
  }
  const base = registry.commit('1000 models');
  registry.editJson('models/m500/config.json', (c) => (c.hidden_size = 128));
  registry.write(
    'models/m500/model.yaml',
    registry.read('models/m500/model.yaml').replace('version: 1.0.0', 'version: 2.0.0'),
  );

  let validated = 0;
  const one = await medianMs(
    5,
    async () => (validated = (await registry.validate({ base })).summary.validated),
  );
  const all = await medianMs(3, () => registry.validate());
  expect(validated).toBe(1);
  report(
    `1 changed of ${MODELS} manifests: ${fmt(one)} (--base, 1 validated) vs ${fmt(all)} (all ${MODELS}) = ${(all / one).toFixed(1)}x faster`,
  );
  expect(one).toBeLessThan(all);
});
