import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS, OUTPUTS } from '../../src/action/inputs.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';
import { runAction } from '../helpers/action.js';

describe('the Action (dist/index.js)', () => {
  it('passes on a clean registry and writes outputs and a job summary', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'mistral_nemo');
    const result = await runAction(registry.root, { command: 'validate', root: '.' });
    expect(result.status).toBe(0);
    expect(result.outputs).toMatchObject({ 'error-count': '0', errors: '0', 'required-bump': 'none' });
    expect(JSON.parse(result.outputs['findings-json']!)).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'DOUBLE-BOS' })]),
    );
    expect(result.summary).toContain('## modelgate validate');
    expect(result.stdout).toMatch(
      /::warning title=DOUBLE-BOS \(mistral-nemo\),file=models\/mistral-nemo\/model.yaml,line=\d+::/,
    );
  });

  it('keeps no tokenizer cache across runs: entries another job on the runner planted are never read', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    // A corpus asks for the behaviour rules, so the tokenizer is built and encoded.
    registry.write(`${dir}/corpus.txt`, 'Support ticket #1\n');
    registry.write(
      `${dir}/model.yaml`,
      registry
        .read(`${dir}/model.yaml`)
        .replace('artifacts:\n', 'artifacts:\n  tokenizer_corpus: corpus.txt\n'),
    );
    const home = mkdtempSync(join(tmpdir(), 'modelgate-home-'));
    try {
      const result = await runAction(
        registry.root,
        { root: '.' },
        { env: { HOME: home, XDG_CACHE_HOME: '' } },
      );
      expect(result.status).toBe(0);
      expect(existsSync(join(home, '.cache', 'modelgate'))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
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
    const result = await runAction(registry.root, { command: 'ship' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '::error::input "command" must be one of validate, check, release, rollback, deploy, not "ship"',
    );
  });

  it('fails the step when no manifest matched: a wrong root is not a green check', async () => {
    const registry = TempRegistry.create();
    registry.write('README.md', 'no models here');
    const result = await runAction(registry.root, { command: 'validate', root: '.' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `::error::no manifest matched "models/**/model.yaml" under ${registry.root}: nothing was checked (Point --root (Action input root) at the registry`,
    );
    expect(result.outputs.errors).toBeUndefined();
  });

  it('passes a registry with no model yet when allow-empty is true, and refuses a non-boolean', async () => {
    const registry = TempRegistry.create();
    const allowed = await runAction(registry.root, { command: 'validate', 'allow-empty': 'true' });
    expect(allowed.status).toBe(0);
    expect(allowed.outputs.errors).toBe('0');
    const typo = await runAction(registry.root, { command: 'validate', 'allow-empty': 'yes please' });
    expect(typo.status).toBe(1);
    expect(typo.stdout).toContain('allow-empty');
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, unknown>;
  };

  it('declares exactly the inputs and outputs the code reads and sets', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
  });

  it('documents allow-empty, off by default', () => {
    expect(action.inputs['allow-empty']).toMatchObject({ default: 'false' });
    expect(action.inputs['allow-empty']!.description).toContain('the step fails');
  });
});
