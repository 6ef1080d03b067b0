import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

/** A stack frame (`at fn (file:line:col)`) or the CLI's words for a bug. */
const NO_STACK = /\n\s+at .*:\d+:\d+|internal error/;

/** A registry whose one model validates clean, committed. */
function cleanRegistry() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  const base = registry.commit('gpt2 1.0.0');
  return { registry, base };
}

describe('no manifest matched is not a pass', () => {
  it.each(['validate', 'check', 'gate'])(
    '%s exits 2 naming the root and the globs when nothing matched',
    async (command) => {
      const registry = TempRegistry.create();
      registry.write('README.md', 'models live elsewhere');
      const { code, stdout, stderr } = await runCli(command, '--root', registry.root);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `modelgate: no manifest matched "models/**/model.yaml" under ${registry.root}: nothing was checked\n` +
          '  fix: Point --root (Action input root) at the registry, set manifests in .github/modelgate.yml, or pass --allow-empty (Action input allow-empty: true) while the registry has no model yet.\n',
      );
    },
  );

  it('names every configured glob, and a root that is a subfolder, when the globs miss', async () => {
    const { registry } = cleanRegistry();
    registry.write('.github/modelgate.yml', 'manifests: [registry/**/model.yaml, other/*.yaml]\n');
    const { code, stderr } = await runCli('validate', '--root', registry.root, '--format', 'json');
    expect(code).toBe(2);
    expect(stderr).toContain(
      `no manifest matched "registry/**/model.yaml", "other/*.yaml" under ${registry.root}`,
    );
  });

  it('check exits 2 on a --root that does not exist, instead of checking nothing', async () => {
    const { code, stderr } = await runCli('check', '--root', '/definitely/not/here');
    expect(code).toBe(2);
    expect(stderr).toBe('modelgate: --root /definitely/not/here is not a directory\n');
  });

  it.each(['validate', 'check', 'gate'])(
    '%s --allow-empty passes a registry that has no model yet, and says 0 models',
    async (command) => {
      const registry = TempRegistry.create();
      const { code, stdout, stderr } = await runCli(command, '--root', registry.root, '--allow-empty');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('0 model(s)');
    },
  );

  it('with --base, no changed manifest is a clean 0, but the manifests must exist', async () => {
    const { registry, base } = cleanRegistry();
    registry.write('README.md', 'docs only');
    const unchanged = await runCli('validate', '--root', registry.root, '--base', base, '--format', 'json');
    expect(unchanged.code).toBe(0);
    expect(JSON.parse(unchanged.stdout).summary).toMatchObject({ manifests: 1, validated: 0, errors: 0 });

    registry.remove('models');
    const gone = await runCli('validate', '--root', registry.root, '--base', base);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`no manifest matched "models/**/model.yaml" under ${registry.root}`);
  });

  it('reports a matched manifest that is a FIFO or a folder, instead of dropping it', async () => {
    const { registry } = cleanRegistry();
    mkdirSync(join(registry.root, 'models/folder/model.yaml'), { recursive: true });
    mkdirSync(join(registry.root, 'models/pipe'), { recursive: true });
    execFileSync('mkfifo', [join(registry.root, 'models/pipe/model.yaml')]);
    const { code, stdout } = await runCli('validate', '--root', registry.root, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ manifests: 3, validated: 3, errors: 2 });
    const unreadable = report.findings
      .filter((f: { rule: string }) => f.rule === 'MANIFEST-SCHEMA')
      .map((f: { file: string; severity: string }) => `${f.severity} ${f.file}`);
    expect(unreadable).toEqual(['error models/folder/model.yaml', 'error models/pipe/model.yaml']);
  });
});

describe('gate does not drop what stops its gates from running', () => {
  it('reports the schema errors of a manifest and fails (its gates never ran)', async () => {
    const { registry } = cleanRegistry();
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    manifest.eval = { gates: [{ metric: 'arc_easy/acc', min: 0.5 }] };
    manifest.version = '1.0';
    registry.write('models/gpt2/model.yaml', stringify(manifest));
    const { code, stdout, stderr } = await runCli('gate', '--root', registry.root, '--format', 'json');
    expect(stderr).not.toMatch(NO_STACK);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.summary.errors).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'MANIFEST-SCHEMA',
        severity: 'error',
        model: 'gpt2',
        file: 'models/gpt2/model.yaml',
        line: 4,
        message: 'models/gpt2/model.yaml: version: must be a SemVer 2 version such as 1.2.0',
      }),
    ]);
  });
});
