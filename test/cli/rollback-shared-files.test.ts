import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';
import { safetensors } from '../helpers/safetensors.js';

const SUPPORT_BOT = 'models/support-bot/model.yaml';
const SHARED_TOKENIZER_CONFIG = 'models/ticket-router/tokenizer_config.json';

/** Edits a manifest of the registry in place. */
function editManifest(registry: TempRegistry, path: string, edit: (m: Record<string, any>) => void) {
  const manifest = parse(registry.read(path)) as Record<string, any>;
  edit(manifest);
  registry.write(path, stringify(manifest));
}

/**
 * The security review's repository: ticket-router and support-bot (both
 * GPT-2's real files), support-bot 1.2.0 released and in production, then
 * 1.2.1 released pointing its tokenizer_config at ticket-router's copy.
 */
function sharedTokenizerConfig() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { name: 'ticket-router', version: '2.0.0' });
  addRealModel(registry, 'gpt2', { name: 'support-bot', version: '1.2.0' });
  const v120 = registry.commit('support-bot 1.2.0');
  registry.tag('support-bot@v1.2.0', { commit: v120, date: 1_760_000_000 });
  registry.tag('support-bot#production#1', { commit: v120, date: 1_760_000_001 });
  editManifest(registry, SUPPORT_BOT, (m) => {
    m.version = '1.2.1';
    m.artifacts.tokenizer_config = '../ticket-router/tokenizer_config.json';
  });
  registry.remove('models/support-bot/tokenizer_config.json');
  const v121 = registry.commit('support-bot 1.2.1');
  registry.tag('support-bot@v1.2.1', { commit: v121, date: 1_760_000_100 });
  return { registry, v120, v121 };
}

/**
 * support-bot 1.2.0 released and in production; then ticket-router starts
 * using support-bot's generation_config.json, and support-bot 1.2.1 changes
 * that file: rolling support-bot back would change ticket-router's artifact.
 */
function sharedGenerationConfig(through: 'manifest' | 'symlink' = 'manifest') {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { name: 'support-bot', version: '1.2.0' });
  addRealModel(registry, 'gpt2', { name: 'ticket-router', version: '2.0.0' });
  const v120 = registry.commit('support-bot 1.2.0');
  registry.tag('support-bot@v1.2.0', { commit: v120, date: 1_760_000_000 });
  registry.tag('support-bot#production#1', { commit: v120, date: 1_760_000_001 });
  editManifest(registry, 'models/ticket-router/model.yaml', (m) => {
    m.version = '2.1.0';
    // Or the manifest keeps its own path, and the file there is a committed link to support-bot's (it stays in the repository).
    if (through === 'manifest') m.artifacts.generation_config = '../support-bot/generation_config.json';
  });
  if (through === 'symlink')
    registry.symlink('models/ticket-router/generation_config.json', '../support-bot/generation_config.json');
  registry.editJson('models/support-bot/generation_config.json', (c) => (c.temperature = 0.7));
  editManifest(registry, SUPPORT_BOT, (m) => (m.version = '1.2.1'));
  const v121 = registry.commit('support-bot 1.2.1, ticket-router 2.1.0');
  registry.tag('support-bot@v1.2.1', { commit: v121, date: 1_760_000_100 });
  return { registry, v120, v121 };
}

const SHARD = 'models/ticket-router/model-00001-of-00001.safetensors';

/**
 * ticket-router names its one shard only in its safetensors index (its
 * weights entry has a uri and a digest, no path); support-bot 1.2.0 is in
 * production, and 1.2.1 names that shard as its own weights file.
 */
function sharedShard() {
  const registry = TempRegistry.create();
  const shard = safetensors({ 'wte.weight': { shape: [4, 2] } });
  const sha256 = createHash('sha256').update(shard).digest('hex');
  registry.write(SHARD, shard);
  registry.write('models/ticket-router/model.safetensors.index.json', {
    metadata: { total_size: shard.length },
    weight_map: { 'wte.weight': 'model-00001-of-00001.safetensors' },
  });
  addRealModel(registry, 'gpt2', {
    name: 'ticket-router',
    version: '2.0.0',
    artifacts: {
      weights_index: 'model.safetensors.index.json',
      weights: [{ uri: 's3://models/ticket-router/2.0.0/model-00001-of-00001.safetensors', sha256 }],
    },
  });
  addRealModel(registry, 'gpt2', { name: 'support-bot', version: '1.2.0' });
  const v120 = registry.commit('support-bot 1.2.0, ticket-router 2.0.0');
  registry.tag('support-bot@v1.2.0', { commit: v120, date: 1_760_000_000 });
  registry.tag('support-bot#production#1', { commit: v120, date: 1_760_000_001 });
  editManifest(registry, SUPPORT_BOT, (m) => {
    m.version = '1.2.1';
    m.artifacts.weights = [
      {
        uri: 's3://models/support-bot/1.2.1/model.safetensors',
        sha256,
        path: '../ticket-router/model-00001-of-00001.safetensors',
      },
    ];
  });
  registry.tag('support-bot@v1.2.1', { commit: registry.commit('support-bot 1.2.1'), date: 1_760_000_100 });
  return { registry };
}

describe('modelgate rollback never removes or rewrites a file another model uses', () => {
  it("the review's case: ticket-router's tokenizer_config.json, which support-bot 1.2.1 borrowed, is kept, not removed", async () => {
    const { registry } = sharedTokenizerConfig();
    const planned = await runCli('rollback', 'support-bot', '--plan', '--root', registry.root);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toBe(
      [
        'support-bot: 1.2.1 -> 1.2.0 (the last release before 1.2.1 that reached production, tag support-bot@v1.2.0)',
        '  restore models/support-bot/model.yaml',
        '  restore models/support-bot/tokenizer_config.json',
        `  keep    ${SHARED_TOKENIZER_CONFIG} (kept: used by ticket-router)`,
        'would change 2 file(s); run without --plan to restore them',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(
      (await runCli('rollback', 'support-bot', '--plan', '--root', registry.root, '--format', 'json')).stdout,
    );
    expect(json.changes).toEqual([
      { path: 'models/support-bot/model.yaml', action: 'restore' },
      { path: 'models/support-bot/tokenizer_config.json', action: 'restore' },
    ]);
    expect(json.kept).toEqual([{ path: SHARED_TOKENIZER_CONFIG, usedBy: ['ticket-router'] }]);

    const applied = await runCli('rollback', 'support-bot', '--root', registry.root);
    expect(applied.code).toBe(0);
    // Only support-bot's own files changed (the helper trims the first status column): ticket-router's file is untouched.
    expect(registry.git('status', '--porcelain')).toBe(
      ['M models/support-bot/model.yaml', '?? models/support-bot/tokenizer_config.json'].join('\n'),
    );
    for (const path of [SUPPORT_BOT, 'models/support-bot/tokenizer_config.json'])
      expect(registry.read(path)).toBe(registry.git('show', `support-bot@v1.2.0:${path}`) + '\n');
  });

  it('a shared file whose content would change refuses the whole rollback (exit 2), naming the file, the model and the fix; nothing is written', async () => {
    const { registry } = sharedGenerationConfig();
    for (const plan of [['--plan'], []]) {
      const refused = await runCli('rollback', 'support-bot', ...plan, '--root', registry.root);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(
        "rolling support-bot back would change models/support-bot/generation_config.json (used by ticket-router): another model's artifact would change without a new version of it",
      );
      expect(refused.stderr).toContain(
        "Give each model its own copy of the file (copy it into the model's folder and point its manifest at the copy), release that, then roll back again; or roll back by hand.",
      );
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
    // Not a partial revert: support-bot's manifest was not restored either.
    expect(registry.git('status', '--porcelain')).toBe('');
  });

  it("a file another model reads through a symlink: ticket-router's generation_config.json links to support-bot's, which the rollback would rewrite; refused (exit 2), nothing written", async () => {
    const { registry } = sharedGenerationConfig('symlink');
    const refused = await runCli('rollback', 'support-bot', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      "rolling support-bot back would change models/support-bot/generation_config.json (used by ticket-router): another model's artifact would change without a new version of it",
    );
    expect(registry.git('status', '--porcelain')).toBe('');
  });

  it('a shard another model lists only in its safetensors index is kept, not removed', async () => {
    const { registry } = sharedShard();
    const planned = await runCli('rollback', 'support-bot', '--plan', '--root', registry.root);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toBe(
      [
        'support-bot: 1.2.1 -> 1.2.0 (the last release before 1.2.1 that reached production, tag support-bot@v1.2.0)',
        '  restore models/support-bot/model.yaml',
        `  keep    ${SHARD} (kept: used by ticket-router)`,
        'would change 1 file(s); run without --plan to restore them',
        '',
      ].join('\n'),
    );
    expect((await runCli('rollback', 'support-bot', '--root', registry.root)).code).toBe(0);
    expect(registry.git('status', '--porcelain')).toBe('M models/support-bot/model.yaml');
  });

  it('an index that cannot be parsed: the shards its model uses are unknown, so the rollback is refused (exit 2)', async () => {
    const { registry } = sharedShard();
    registry.write(
      'models/ticket-router/model.safetensors.index.json',
      '{"weight_map": {"wte.weight": 1}}\n',
    );
    registry.commit('a broken ticket-router index');
    const refused = await runCli('rollback', 'support-bot', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'cannot tell which files models/ticket-router/model.yaml uses: its weights_index models/ticket-router/model.safetensors.index.json is not a safetensors index (weight_map["wte.weight"] is not a file name), so the rollback could change another model\'s files',
    );
    expect(registry.git('status', '--porcelain')).toBe('');
  });

  it('a manifest that cannot be read refuses a rollback that changes files: what it uses is unknown', async () => {
    const { registry } = sharedTokenizerConfig();
    registry.write('models/ticket-router/model.yaml', 'apiVersion: modelgate.dev/v1\nkind: Model\nname: [\n');
    registry.commit('a broken ticket-router manifest');
    const refused = await runCli('rollback', 'support-bot', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "cannot tell which files models/ticket-router/model.yaml uses: not a valid manifest, so the rollback could change another model's files",
    );
    expect(refused.stderr).toContain('Fix the manifest (modelgate validate names the problem)');
    expect(registry.git('status', '--porcelain')).toBe('');
  });

  it('a shared file the rollback leaves as it is is not mentioned', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2', { name: 'support-bot', version: '1.2.0' });
    addRealModel(registry, 'gpt2', { name: 'ticket-router', version: '2.0.0' });
    editManifest(registry, 'models/ticket-router/model.yaml', (m) => {
      m.artifacts.tokenizer = '../support-bot/tokenizer.json';
    });
    const v120 = registry.commit('support-bot 1.2.0');
    registry.tag('support-bot@v1.2.0', { commit: v120, date: 1_760_000_000 });
    registry.editJson('models/support-bot/generation_config.json', (c) => (c.temperature = 0.7));
    editManifest(registry, SUPPORT_BOT, (m) => (m.version = '1.2.1'));
    registry.tag('support-bot@v1.2.1', { commit: registry.commit('1.2.1'), date: 1_760_000_100 });
    const json = JSON.parse(
      (await runCli('rollback', 'support-bot', '--plan', '--root', registry.root, '--format', 'json')).stdout,
    );
    expect(json.changes).toEqual([
      { path: 'models/support-bot/generation_config.json', action: 'restore' },
      { path: 'models/support-bot/model.yaml', action: 'restore' },
    ]);
    expect(json.kept).toEqual([]);
  });
});
