import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { MAX_WEIGHT_ENTRIES } from '../../../src/core/manifest/schema.js';
import { loadModel } from '../../../src/core/model/load-model.js';
import type { Read } from '../../../src/core/source.js';
import { validate } from '../../../src/core/validate.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { GitRefSource } from '../../../src/io/git-source.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { sharedTokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { stringify } from 'yaml';
import { addTinyModel, manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import { safetensors } from '../../helpers/safetensors.js';

/** What the loader asked of the disk: whole-file hashes and safetensors header reads (the range after the 8-byte length). */
interface Reads {
  hashed: string[];
  headers: string[];
}

/** The real working tree, counting the reads that cost a pass over a file. */
class CountingSource extends FileSystemSource {
  readonly reads: Reads = { hashed: [], headers: [] };

  override sha256(path: string) {
    this.reads.hashed.push(path);
    return super.sha256(path);
  }

  override readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    if (offset === 8) this.reads.headers.push(path);
    return super.readRange(path, offset, length);
  }
}

/** A git ref, counting the same. */
class CountingRefSource extends GitRefSource {
  constructor(
    readonly reads: Reads,
    ...args: ConstructorParameters<typeof GitRefSource>
  ) {
    super(...args);
  }

  override sha256(path: string) {
    this.reads.hashed.push(path);
    return super.sha256(path);
  }

  override readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    if (offset === 8) this.reads.headers.push(path);
    return super.readRange(path, offset, length);
  }
}

/** A local clone whose working tree and refs count their reads, as the CLI's GitRepository reads them. */
class CountingRepository extends GitRepository {
  override readonly worktree: CountingSource;
  readonly refReads: Reads = { hashed: [], headers: [] };
  private readonly counted = new Map<string, CountingRefSource>();

  constructor(private readonly dir: string) {
    super(dir);
    this.worktree = new CountingSource(dir);
  }

  /** The refs read, in order. */
  loadedRefs(): string[] {
    return [...this.counted.keys()];
  }

  override at(ref: string): GitRefSource {
    let source = this.counted.get(ref);
    if (!source) {
      const sharing = this.counted.values().next().value?.weightMemo;
      source = new CountingRefSource(this.refReads, this.dir, ref, () => this.topPrefix(), sharing);
      this.counted.set(ref, source);
    }
    return source;
  }
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A real safetensors file with an embedding and an lm_head matching the tiny model (vocab 2, hidden 4). */
const WEIGHTS = safetensors({
  'model.embed_tokens.weight': { shape: [2, 4] },
  'lm_head.weight': { shape: [2, 4] },
});

const entry = (path: string, file: Uint8Array = WEIGHTS) => ({
  uri: 's3://bucket/m/model.safetensors',
  sha256: sha256(file),
  size: file.length,
  path,
});

describe('each weights file is hashed and its header parsed once per run', () => {
  it('however many entries name it, spelled differently or through a symlink', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/weights/model.safetensors', WEIGHTS);
    registry.symlink('models/m/weights/alias.safetensors', 'model.safetensors');
    const spellings = [
      'weights/model.safetensors',
      './weights/model.safetensors',
      'weights/alias.safetensors',
    ];
    addTinyModel(registry, {
      weights: Array.from({ length: 200 }, (_, i) => entry(spellings[i % spellings.length]!)),
    });
    const source = new CountingSource(registry.root);

    const loaded = await loadModel(source, 'models/m/model.yaml');

    expect(loaded.findings).toEqual([]);
    expect(source.reads).toEqual({
      hashed: ['models/m/weights/model.safetensors'],
      headers: ['models/m/weights/model.safetensors'],
    });
    // Every entry still counts as a weights file of the model, each under its own path.
    expect(loaded.facts?.weightFiles.size).toBe(200);
    expect(loaded.facts?.weightFiles.get(2)?.path).toBe('models/m/weights/alias.safetensors');
    expect([...(loaded.facts?.tensors?.keys() ?? [])].sort()).toEqual([
      'lm_head.weight',
      'model.embed_tokens.weight',
    ]);
  });

  it('still checks each entry against the digest it declares', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/model.safetensors', WEIGHTS);
    addTinyModel(registry, {
      weights: [entry('model.safetensors'), { ...entry('model.safetensors'), sha256: 'a'.repeat(64) }],
    });
    const source = new CountingSource(registry.root);

    const loaded = await loadModel(source, 'models/m/model.yaml');

    expect(source.reads.hashed).toHaveLength(1);
    expect(loaded.findings).toEqual([
      expect.objectContaining({
        rule: 'ARTIFACT-DIGEST',
        line: expect.any(Number),
        message: `models/m/model.safetensors has sha256 ${sha256(WEIGHTS)}, the manifest says ${'a'.repeat(64)}`,
      }),
    ]);
  });

  it('reports a header that cannot be read once, not once per entry', async () => {
    const registry = TempRegistry.create();
    const broken = Buffer.concat([Buffer.from([255, 255, 255, 255, 0, 0, 0, 0]), Buffer.from('{}')]);
    registry.write('models/m/model.safetensors', broken);
    addTinyModel(registry, { weights: Array.from({ length: 50 }, () => entry('model.safetensors', broken)) });
    const source = new CountingSource(registry.root);

    const loaded = await loadModel(source, 'models/m/model.yaml');

    expect(loaded.findings.map((f) => f.rule)).toEqual(['ARTIFACT-INVALID']);
    expect(loaded.findings[0]?.message).toMatch(
      /^models\/m\/model\.safetensors is not a readable safetensors file: /,
    );
    expect(source.reads.hashed).toHaveLength(1);
  });

  it('across the models of one validate, and a shard that is a listed weights file', async () => {
    const registry = TempRegistry.create();
    registry.write('shared/model.safetensors', WEIGHTS);
    addTinyModel(registry, { weights: [entry('../../shared/model.safetensors')] });
    for (const name of ['n', 'o']) {
      registry.write(`models/${name}/tokenizer.json`, {
        model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } },
      });
      registry.write(`models/${name}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
      registry.write(`models/${name}/model.safetensors.index.json`, {
        weight_map: {
          'model.embed_tokens.weight': '../../shared/model.safetensors',
          'lm_head.weight': '../../shared/./model.safetensors',
        },
      });
      registry.writeManifest(
        `models/${name}/model.yaml`,
        manifestWith(name, {
          config: 'config.json',
          tokenizer: 'tokenizer.json',
          weights_index: 'model.safetensors.index.json',
          weights: [entry('../../shared/model.safetensors')],
        }),
      );
    }
    const repo = new CountingRepository(registry.root);

    const report = await validate(repo, {
      manifests: ['models/*/model.yaml'],
      tokenizerRunner: sharedTokenizerSandbox(),
    });

    expect(report.models.map((m) => m.name)).toEqual(['m', 'n', 'o']);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(repo.worktree.reads).toEqual({
      hashed: ['shared/model.safetensors'],
      headers: ['shared/model.safetensors'],
    });
  });

  it('but a file rewritten since it was hashed is hashed again', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/model.safetensors', WEIGHTS);
    addTinyModel(registry, { weights: [entry('model.safetensors')] });
    const source = new CountingSource(registry.root);
    expect((await loadModel(source, 'models/m/model.yaml')).findings).toEqual([]);

    const other = safetensors({ 'model.embed_tokens.weight': { shape: [2, 4], dtype: 'F32' } });
    registry.write('models/m/model.safetensors', other);
    const again = await loadModel(source, 'models/m/model.yaml');

    expect(source.reads.hashed).toHaveLength(2);
    expect(findingsOf({ findings: again.findings } as never, 'ARTIFACT-DIGEST')).toEqual([
      expect.objectContaining({
        message: `models/m/model.safetensors has sha256 ${sha256(other)}, the manifest says ${sha256(WEIGHTS)}`,
      }),
    ]);
  });

  it('with --base: a blob is hashed once for the base and the release tag it shares', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/model.safetensors', WEIGHTS);
    addTinyModel(registry, { weights: [entry('model.safetensors')] });
    registry.commit('m 1.0.0');
    registry.tag('m@v1.0.0');
    registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4, foo: 1 });
    registry.commit('a change at the base');
    // The change goes back to the released version: its digests are compared with the tag's too.
    registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
    const repo = new CountingRepository(registry.root);

    await validate(repo, {
      manifests: ['models/*/model.yaml'],
      base: 'HEAD',
      tokenizerRunner: sharedTokenizerSandbox(),
    });

    // config.json and tokenizer.json are hashed for the version's content digests (small, capped files).
    const weights = (reads: Reads) => reads.hashed.filter((p) => p.endsWith('.safetensors'));
    expect(weights(repo.worktree.reads)).toEqual(['models/m/model.safetensors']);
    expect(weights(repo.refReads)).toEqual(['models/m/model.safetensors']);
    expect(repo.loadedRefs()).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), 'm@v1.0.0']);
  });
});

describe('the weights list is capped', () => {
  const manifest = (count: number) =>
    stringify(
      manifestWith('m', {
        config: 'config.json',
        tokenizer: 'tokenizer.json',
        weights: Array.from({ length: count }, (_, i) => entry(`w/${i}.safetensors`)),
      }),
    );

  it(`at ${MAX_WEIGHT_ENTRIES} entries, a MANIFEST-SCHEMA error beyond`, () => {
    expect(MAX_WEIGHT_ENTRIES).toBe(4096);
    expect(parseManifest(manifest(MAX_WEIGHT_ENTRIES), 'models/m/model.yaml').findings).toEqual([]);
    const over = parseManifest(manifest(MAX_WEIGHT_ENTRIES + 1), 'models/m/model.yaml');
    expect(over.manifest).toBeUndefined();
    expect(over.findings).toEqual([
      expect.objectContaining({
        rule: 'MANIFEST-SCHEMA',
        line: 8,
        message:
          'models/m/model.yaml: artifacts.weights: lists more than 4096 weights files; a model has a few hundred at most (Llama 3.1 405B has 191 shards): list each file once',
      }),
    ]);
  });
});
