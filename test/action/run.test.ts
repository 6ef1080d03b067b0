import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const ACTION = join(import.meta.dirname, '..', '..', 'dist', 'index.js');

/**
 * Runs the bundled Action (dist/index.js) the way the runner does: a node
 * process with INPUT_* variables, a GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * file, and the event payload at GITHUB_EVENT_PATH.
 */
function runAction(workspace: string, inputs: Record<string, string>, event: object = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-action-'));
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    event: join(dir, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(event));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'acme/models',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [ACTION], { cwd: workspace, env, encoding: 'utf8' });
  return {
    status: result.status,
    stdout: result.stdout,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

// GITHUB_OUTPUT uses heredoc records: name<<delimiter\nvalue\ndelimiter
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

describe('the Action (dist/index.js)', () => {
  it('passes on a clean registry and writes outputs and a job summary', () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'mistral_nemo');
    const result = runAction(registry.root, { command: 'validate', root: '.' });
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

  it('annotates errors on the manifest line and fails the step', () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = 128001));
    const result = runAction(registry.root, { root: '.' });
    expect(result.status).toBe(1);
    expect(result.outputs.errors).toBe('1');
    expect(result.stdout).toContain(`::error title=CHAT-STOP (llama3),file=${dir}/model.yaml,line=8::`);
    expect(result.stdout).toContain('::error::modelgate found 1 error(s)');
    expect(result.summary).toContain('| ❌ | CHAT-STOP | llama3 |');
  });

  it("compares with the pull request's base commit and reports the required bump", () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    const base = registry.commit('gpt2 1.0.0');
    registry.editJson(`${dir}/config.json`, (c) => (c.n_positions = 2048));
    registry.write(
      `${dir}/model.yaml`,
      registry.read(`${dir}/model.yaml`).replace('version: 1.0.0', 'version: 1.1.0'),
    );
    const result = runAction(
      registry.root,
      { root: '.' },
      { pull_request: { number: 7, base: { sha: base } } },
    );
    expect(result.status).toBe(0);
    expect(result.outputs['required-bump']).toBe('minor');
    expect(result.summary).toContain('max_position_embeddings increased from 1024 to 2048');
  });

  it('fails with one clear line when the base commit was not fetched', () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.commit('one');
    const result = runAction(registry.root, { root: '.', base: 'f'.repeat(40) });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error::the base ref "${'f'.repeat(40)}" does not exist`);
    expect(result.stdout).toContain('fetch-depth: 0');
  });

  it('refuses an unknown command input', () => {
    const registry = TempRegistry.create();
    const result = runAction(registry.root, { command: 'deploy' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::input "command" must be "validate", not "deploy"');
  });
});
