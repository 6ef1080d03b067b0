import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/core/model/load-model.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { GitRefSource } from '../../../src/io/git-source.js';
import { manifestWith } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// A comparison with a base reads a model twice, in the change and at the base; the tokenizer is read
// once when its bytes are the same, and never when they are not.

const TOKENIZER = { model: { type: 'WordLevel', vocab: { '<unk>': 0, apple: 1 } } };

function registryWith(tokenizerFile: string) {
  const registry = TempRegistry.create();
  registry.write(`models/m/${tokenizerFile}`, TOKENIZER);
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: tokenizerFile }),
  );
  return { registry, base: registry.commit('m 1.0.0') };
}

const tokenizerOf = async (source: FileSystemSource | GitRefSource) =>
  (await loadModel(source, 'models/m/model.yaml')).facts!.tokenizer!;

describe('tokenizer.json read for a comparison with a base', () => {
  it('is read once when the change leaves its bytes alone', async () => {
    const { registry, base } = registryWith('tokenizer.json');
    registry.write('models/m/README.md', 'docs');
    const atBase = await tokenizerOf(new GitRefSource(registry.root, base, async () => ''));
    const inChange = await tokenizerOf(new FileSystemSource(registry.root));
    expect(inChange).toBe(atBase);
  });

  it('is read again when one byte changed, even at the same size', async () => {
    const { registry, base } = registryWith('tokenizer.json');
    const atBase = await tokenizerOf(new GitRefSource(registry.root, base, async () => ''));
    registry.write('models/m/tokenizer.json', JSON.stringify(TOKENIZER).replace('apple', 'apply'));
    const inChange = await tokenizerOf(new FileSystemSource(registry.root));
    expect(inChange).not.toBe(atBase);
    expect(inChange.vocab.idOf('apply')).toBe(1);
    expect(inChange.vocab.idOf('apple')).toBeUndefined();
    expect(atBase.vocab.idOf('apple')).toBe(1);
  });

  it('is read again at another path: what it says names its own file', async () => {
    const first = registryWith('tokenizer.json');
    const other = registryWith('tok.json');
    const one = await tokenizerOf(new FileSystemSource(first.registry.root));
    const two = await tokenizerOf(new FileSystemSource(other.registry.root));
    expect(two).not.toBe(one);
    expect(two.file).toBe('models/m/tok.json');
  });
});
