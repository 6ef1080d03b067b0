import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';
import { assertFreshBundle } from '../../scripts/source-digest.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');

const run = runCli;

describe('modelgate validate', () => {
  it('validates the example registry: exit 0, a readable report', async () => {
    const { code, stdout, stderr } = await run('validate', '--root', EXAMPLES);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ support-bot 1.2.0  (models/support-bot/model.yaml)');
    expect(stdout).toContain('✓ ticket-router 0.4.1  (models/ticket-router/model.yaml)');
    expect(stdout).toMatch(/2 model\(s\): 0 error\(s\), \d+ warning\(s\)/);
  });

  it('prints one JSON document with models, findings and summary', async () => {
    const { code, stdout } = await run('validate', '--root', EXAMPLES, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, any>;
    expect(Object.keys(report)).toEqual(['models', 'findings', 'changes', 'summary']);
    expect(report.models).toEqual([
      { name: 'support-bot', version: '1.2.0', path: 'models/support-bot/model.yaml' },
      { name: 'ticket-router', version: '0.4.1', path: 'models/ticket-router/model.yaml' },
    ]);
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(
        expect.arrayContaining(['rule', 'severity', 'model', 'file', 'message']),
      );
      expect(['error', 'warning', 'info']).toContain(finding.severity);
    }
    expect(report.summary).toMatchObject({ errors: 0, manifests: 2, validated: 2 });
  });

  it('exits 1 on an error finding and says where and how to fix it', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/config.json`, (c) => (c.vocab_size = 128000));
    const { code, stdout } = await run('validate', '--root', registry.root);
    expect(code).toBe(1);
    expect(stdout).toContain('error VOCAB-FITS');
    expect(stdout).toContain(`at ${dir}/model.yaml:7`);
    expect(stdout).toContain('fix: Resize the embeddings');
  });

  it('renders markdown with escaped cells', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    registry.editJson(
      `${dir}/tokenizer_config.json`,
      (c) => (c.pad_token = '<img src=x onerror=alert(1)>|@admin'),
    );
    const { code, stdout } = await run('validate', '--root', registry.root, '--format', 'markdown');
    expect(code).toBe(1);
    expect(stdout).toContain('&lt;img src=x onerror=alert(1)&gt;\\|@\u200badmin');
    expect(stdout).not.toContain('<img');
  });

  it.each([
    [['validate', '--format', 'xml'], '--format must be one of text, json, markdown'],
    [['validate', '--bogus'], "Unknown option '--bogus'"],
    [['validate', '--root', '/definitely/not/here'], '--root /definitely/not/here is not a directory'],
    [['ship'], 'unknown command "ship"'],
    [['deploy'], 'modelgate: wrong number of arguments'],
  ])('exits 2 with a clear message for %j', async (argv, words) => {
    const { code, stderr, stdout } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(words);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 when the base ref is missing, naming the fix', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.commit('one');
    const { code, stderr } = await run('validate', '--root', registry.root, '--base', 'main~5');
    expect(code).toBe(2);
    expect(stderr).toContain('the base ref "main~5" does not exist');
    expect(stderr).toContain('fetch-depth: 0');
  });

  it('exits 2 when --base is used outside a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-nogit-'));
    try {
      const { code, stderr } = await run('validate', '--root', dir, '--base', 'main');
      expect(code).toBe(2);
      expect(stderr).toContain('is not inside a git repository');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('exits 2 on a broken .github/modelgate.yml', async () => {
    const registry = TempRegistry.create();
    registry.write('.github/modelgate.yml', 'manifests: [unclosed\n');
    const { code, stderr } = await run('validate', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('.github/modelgate.yml is not valid YAML');
  });

  it('uses the manifest globs of .github/modelgate.yml', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.write('.github/modelgate.yml', 'manifests: registry/**/*.model.yaml\n');
    registry.write(
      'registry/a/gpt2.model.yaml',
      registry
        .read('models/gpt2/model.yaml')
        .replace(
          /: (config|generation_config|tokenizer|tokenizer_config)(\.json)/g,
          ': ../../models/gpt2/$1$2',
        ),
    );
    const { code, stdout } = await run('validate', '--root', registry.root, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).models).toEqual([
      { name: 'gpt2', version: '1.0.0', path: 'registry/a/gpt2.model.yaml' },
    ]);
  });

  it('has --help for the program and the command', async () => {
    expect((await run('--help')).stdout).toContain('Usage: modelgate <command>');
    const help = await run('validate', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--base REF');
  });
});

describe('the bundled CLI (dist/cli.js, what the README runs)', () => {
  it('runs from the repository with nothing but Node and exits with the contract codes', () => {
    assertFreshBundle(join(import.meta.dirname, '..', '..'));
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'modelgate.js');
    const ok = execFileSync(process.execPath, [bin, 'validate', '--root', EXAMPLES], { encoding: 'utf8' });
    expect(ok).toContain('support-bot');
    const bad = spawnSync(process.execPath, [bin, 'validate', '--format', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be one of');
  });
});
