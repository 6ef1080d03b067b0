import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { addRealModel } from '../test/helpers/models.js';
import { TempRegistry } from '../test/helpers/registry.js';
import { fmt, medianMs, report } from './measure.js';

it('validating one model with Llama 3 tokenizer.json costs at most 1.5x a bare JSON.parse of its files', async () => {
  const registry = TempRegistry.create();
  const dir = addRealModel(registry, 'llama3');
  const files = ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'generation_config.json'].map(
    (f) => join(registry.root, dir, f),
  );

  const bare = await medianMs(15, () => files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown));
  const ours = await medianMs(15, () => registry.validate());
  const ratio = ours / bare;
  report(
    `validate llama3 (9 MB tokenizer.json): ${fmt(ours)} vs bare read+JSON.parse ${fmt(bare)} = ${ratio.toFixed(2)}x (target <= 1.5x)`,
  );
  expect(ratio).toBeLessThanOrEqual(1.5);
});
