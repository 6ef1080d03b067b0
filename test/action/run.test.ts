import { describe, expect, it } from 'vitest';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';
import { runAction } from '../helpers/action.js';

describe('the Action (dist/index.js)', () => {
  it('passes on a clean registry and writes outputs and a job summary', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'mistral_nemo');
    const result = await runAction(registry.root, { command: 'validate', root: '.' });
    expect(result.status).toBe(0);
    expect(result.outputs).toMatchObject({ errors: '0', 'required-bump': 'none' });
    expect(JSON.parse(result.outputs['findings-json']!)).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'DOUBLE-BOS' })]),
    );
    expect(result.summary).toContain('## modelgate validate');
    expect(result.stdout).toMatch(
      /::warning title=DOUBLE-BOS \(mistral-nemo\),file=models\/mistral-nemo\/model.yaml,line=\d+::/,
    );
  });

  it('annotates errors on the manifest line and fails the step', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = 128001));
    const result = await runAction(registry.root, { root: '.' });
    expect(result.status).toBe(1);
    expect(result.outputs.errors).toBe('1');
    expect(result.stdout).toContain(`::error title=CHAT-STOP (llama3),file=${dir}/model.yaml,line=8::`);
    expect(result.stdout).toContain('::error::modelgate found 1 error(s)');
    expect(result.summary).toContain('| ❌ | CHAT-STOP | llama3 |');
  });

  it("compares with the pull request's base commit and reports the required bump", async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    const base = registry.commit('gpt2 1.0.0');
    registry.editJson(`${dir}/config.json`, (c) => (c.n_positions = 2048));
    registry.write(
      `${dir}/model.yaml`,
      registry.read(`${dir}/model.yaml`).replace('version: 1.0.0', 'version: 1.1.0'),
    );
    const result = await runAction(
      registry.root,
      { root: '.' },
      { event: { pull_request: { number: 7, base: { sha: base } } } },
    );
    expect(result.status).toBe(0);
    expect(result.outputs['required-bump']).toBe('minor');
    expect(result.summary).toContain('max_position_embeddings increased from 1024 to 2048');
  });

  it('fails with one clear line when the base commit was not fetched', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.commit('one');
    const result = await runAction(registry.root, { root: '.', base: 'f'.repeat(40) });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error::the base ref "${'f'.repeat(40)}" does not exist`);
    expect(result.stdout).toContain('fetch-depth: 0');
  });

  it('refuses an unknown command input', async () => {
    const registry = TempRegistry.create();
    const result = await runAction(registry.root, { command: 'deploy' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '::error::input "command" must be one of validate, check, release, rollback, not "deploy"',
    );
  });
});
