import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';
import { lfsPointer, safetensors } from '../helpers/safetensors.js';

const MANIFEST = 'models/ticket-router/model.yaml';
const INDEX = 'models/ticket-router/model.safetensors.index.json';
const SHARD_1 = 'models/ticket-router/model-00001-of-00002.safetensors';
const SHARD_2 = 'models/ticket-router/model-00002-of-00002.safetensors';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * ticket-router names its weights only through its safetensors index (its
 * weights entries have a uri and a digest, no path). 1.0.0, in production,
 * has one shard; 1.1.0 rewrites that shard and adds a second one, committed
 * as a Git LFS pointer, and lists both in its index.
 */
function shardedModel() {
  const registry = TempRegistry.create();
  const v100Shard = safetensors({ 'wte.weight': { shape: [4, 2] } });
  registry.write(SHARD_1, v100Shard);
  registry.write(INDEX, {
    metadata: { total_size: v100Shard.length },
    weight_map: { 'wte.weight': 'model-00001-of-00002.safetensors' },
  });
  addRealModel(registry, 'gpt2', {
    name: 'ticket-router',
    version: '1.0.0',
    artifacts: {
      weights_index: 'model.safetensors.index.json',
      weights: [
        {
          uri: 's3://models/ticket-router/1.0.0/model-00001-of-00002.safetensors',
          sha256: sha256(v100Shard),
        },
      ],
    },
  });
  const v100 = registry.commit('ticket-router 1.0.0');
  registry.tag('ticket-router@v1.0.0', { commit: v100, date: 1_760_000_000 });
  registry.tag('ticket-router#production#1', { commit: v100, date: 1_760_000_001 });

  const v110Shard = safetensors({ 'wte.weight': { shape: [4, 3] } });
  const lmHead = safetensors({ 'lm_head.weight': { shape: [3, 4] } });
  registry.write(SHARD_1, v110Shard);
  registry.write(SHARD_2, lfsPointer(sha256(lmHead), lmHead.length));
  registry.write(INDEX, {
    metadata: { total_size: v110Shard.length + lmHead.length },
    weight_map: {
      'wte.weight': 'model-00001-of-00002.safetensors',
      'lm_head.weight': 'model-00002-of-00002.safetensors',
    },
  });
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = '1.1.0';
  manifest.artifacts.weights = [
    { uri: 's3://models/ticket-router/1.1.0/model-00001-of-00002.safetensors', sha256: sha256(v110Shard) },
    { uri: 's3://models/ticket-router/1.1.0/model-00002-of-00002.safetensors', sha256: sha256(lmHead) },
  ];
  registry.write(MANIFEST, stringify(manifest));
  registry.tag('ticket-router@v1.1.0', {
    commit: registry.commit('ticket-router 1.1.0'),
    date: 1_760_000_100,
  });
  return registry;
}

describe("modelgate rollback restores the model's own index shards", () => {
  it('a shard the release had is restored to its content and a shard it did not have is removed, with the index and the manifest', async () => {
    const registry = shardedModel();
    const planned = await runCli('rollback', 'ticket-router', '--plan', '--root', registry.root);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toBe(
      [
        'ticket-router: 1.1.0 -> 1.0.0 (the last release before 1.1.0 that reached production, tag ticket-router@v1.0.0)',
        `  restore ${SHARD_1}`,
        `  remove  ${SHARD_2}`,
        `  restore ${INDEX}`,
        `  restore ${MANIFEST}`,
        'would change 4 file(s); run without --plan to restore them',
        '',
      ].join('\n'),
    );

    const applied = await runCli('rollback', 'ticket-router', '--root', registry.root);
    expect(applied.code).toBe(0);
    // The working tree is the release again: every file as the tag has it, the newer shard gone.
    for (const path of [MANIFEST, INDEX, SHARD_1]) {
      const released = execFileSync('git', ['-C', registry.root, 'show', `ticket-router@v1.0.0:${path}`]);
      expect(sha256(readFileSync(join(registry.root, path)))).toBe(sha256(released));
    }
    expect(existsSync(join(registry.root, SHARD_2))).toBe(false);
  });

  it('an own index that cannot be parsed: the shards to restore are unknown, so the rollback is refused (exit 2), naming the index and the fix; nothing is written', async () => {
    const registry = shardedModel();
    registry.write(INDEX, '{"weight_map": {"wte.weight": 1}}\n');
    registry.commit('a broken ticket-router index');
    const refused = await runCli('rollback', 'ticket-router', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `cannot tell which shards ${MANIFEST} has in the working tree: its weights_index ${INDEX} is not a safetensors index (weight_map["wte.weight"] is not a file name)`,
    );
    expect(refused.stderr).toContain(
      'Fix the weights index (modelgate validate names the problem), then roll back again; or roll back by hand.',
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(registry.git('status', '--porcelain')).toBe('');
  });
});
