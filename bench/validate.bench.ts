import { join } from 'node:path';
import { expect, it } from 'vitest';
import { addRealModel } from '../test/helpers/models.js';
import { TempRegistry } from '../test/helpers/registry.js';
import { report } from './measure.js';
import { compareProcesses, costText, modelgateCommand } from './cli-process.js';

const FILES = ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'generation_config.json'];

it('modelgate validate of one model with Llama 3 tokenizer.json costs at most 1.2x a node process that reads and parses its files', () => {
  const registry = TempRegistry.create();
  const dir = addRealModel(registry, 'llama3');
  registry.commit('llama3 1.0.0');
  // The floor: what any tool must do with these files, in a process of its own.
  const bare = `for (const f of ${JSON.stringify(FILES.map((f) => join(registry.root, dir, f)))}) JSON.parse(require('node:fs').readFileSync(f, 'utf8'));`;

  const { ours, baseline } = compareProcesses(15, modelgateCommand('validate', '--root', registry.root), [
    process.execPath,
    '-e',
    bare,
  ]);
  const ratio = ours.cpuMs / baseline.cpuMs;
  report(
    `modelgate validate llama3 (9 MB tokenizer.json): ${costText(ours)} vs node read+JSON.parse ${costText(baseline)} = ${ratio.toFixed(2)}x CPU (target <= 1.2x)`,
  );
  expect(ratio).toBeLessThanOrEqual(1.2);
});
