import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/core/model/load-model.js';
import { ContainedRoot, ContainmentError } from '../../src/io/contained-path.js';
import { suiteRunnerFromEnvironment } from '../../src/io/eval/suite-runner.js';
import { FileSystemSource } from '../../src/io/fs-source.js';
import { findFiles } from '../../src/io/find-files.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { runCli } from '../helpers/cli.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import { addRealModel, addTinyModel, manifestWith } from '../helpers/models.js';
import { findingsOf, TempRegistry } from '../helpers/registry.js';

/** The credential actions/checkout writes into .git/config, here a marker that must never be printed. */
const SECRET = 'AUTHORIZATION: basic bW9kZWxnYXRlLXRlc3Qtc2VjcmV0';

/** A registry whose .git/config holds a checkout credential, as in a GitHub Actions job. */
function checkedOut(): TempRegistry {
  const registry = TempRegistry.create();
  registry.git('config', 'http.https://github.com/.extraheader', SECRET);
  return registry;
}

const outside: string[] = [];
function outsideFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-outside-'));
  outside.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('reads never reach .git/ (its config holds the checkout token)', () => {
  it.each([
    ['a path through the manifest folder', '../../.git/config'],
    ['a path in another letter case', '../../.GIT/config'],
  ])('refuses %s, and the credential is in no output', async (_what, ref) => {
    const registry = checkedOut();
    addTinyModel(registry, { config: ref });
    for (const format of ['text', 'json', 'markdown']) {
      const { code, stdout, stderr } = await runCli('validate', '--root', registry.root, '--format', format);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(stdout + stderr).not.toContain('bW9kZWxnYXRlLXRlc3Qtc2VjcmV0');
      expect(stdout + stderr).not.toContain('extraheader');
    }
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toContain("is inside .git/, git's own metadata, which modelgate never reads");
  });

  it('refuses an in-repository symlink that leads into .git/', async () => {
    const registry = checkedOut();
    addTinyModel(registry, { tokenizer_config: 'tokenizer_config.json' });
    registry.symlink('models/m/tokenizer_config.json', '../../.git/config');
    const { code, stdout } = await runCli('validate', '--root', registry.root, '--format', 'json');
    expect(code).toBe(1);
    expect(stdout).not.toContain('bW9kZWxnYXRlLXRlc3Qtc2VjcmV0');
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toBe(
      '"tokenizer_config.json" (models/m/tokenizer_config.json) is a symlink to ../../.git/config, inside .git/, which modelgate never reads in the working tree',
    );
  });

  it('refuses a file behind a symlinked folder, even one inside the repository', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { tokenizer_config: 'shared/tokenizer_config.json' });
    registry.write('elsewhere/tokenizer_config.json', { model_max_length: 8 });
    registry.symlink('models/m/shared', '../../elsewhere');
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toContain(
      'goes through models/m/shared, a symlinked folder (-> ../../elsewhere); modelgate does not follow symlinked folders',
    );
  });

  it('still follows a symlinked file that stays in the repository', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { tokenizer_config: 'tokenizer_config.json' });
    registry.write('shared/tokenizer_config.json', { model_max_length: 8 });
    registry.symlink('models/m/tokenizer_config.json', '../../shared/tokenizer_config.json');
    expect(findingsOf(await registry.validate(), 'ARTIFACT-MISSING')).toEqual([]);
  });

  it('refuses a FIFO artifact without blocking on it', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { tokenizer_config: 'tokenizer_config.json' });
    execFileSync('mkfifo', [join(registry.root, 'models/m/tokenizer_config.json')]);
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toContain('is not a regular file (a FIFO, socket or device)');
  });
});

describe('the manifest walk stays in the repository', () => {
  it('does not follow a committed symlink to / (the default glob would walk the host)', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    registry.symlink('models/evil', '/');
    registry.symlink('models/evil2', '/etc');
    expect(await findFiles(registry.root, ['models/**/model.yaml', 'models/**/*.conf'])).toEqual([
      'models/m/model.yaml',
    ]);
  });

  it('returns a matched FIFO, folder or symlink, so the reader reports it instead of skipping it', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    mkdirSync(join(registry.root, 'models/folder/model.yaml'), { recursive: true });
    mkdirSync(join(registry.root, 'models/fifo'), { recursive: true });
    execFileSync('mkfifo', [join(registry.root, 'models/fifo/model.yaml')]);
    registry.symlink('models/out/model.yaml', '/etc/hostname');
    expect(await findFiles(registry.root, ['models/**/model.yaml'])).toEqual([
      'models/fifo/model.yaml',
      'models/folder/model.yaml',
      'models/m/model.yaml',
      'models/out/model.yaml',
    ]);
    const report = await registry.validate();
    const refused = report.findings.filter((f) => f.severity === 'error').map((f) => f.file);
    expect(refused).toEqual(
      expect.arrayContaining(['models/fifo/model.yaml', 'models/folder/model.yaml', 'models/out/model.yaml']),
    );
  });

  it('skips .git/ and node_modules/, and honours !exclusions', async () => {
    const registry = TempRegistry.create();
    registry.write('models/a/model.yaml', 'x');
    registry.write('models/b/model.yaml', 'x');
    registry.write('node_modules/pkg/model.yaml', 'x');
    registry.write('.git/model.yaml', 'x');
    expect(await findFiles(registry.root, ['**/model.yaml', '!models/b/**'])).toEqual([
      'models/a/model.yaml',
    ]);
  });

  it.each([
    ['/etc/**/*.conf', 'is absolute; globs are relative to the registry root'],
    ['/**/x.yaml', 'is absolute; globs are relative to the registry root'],
    ['../**/model.yaml', 'climbs out of the registry root with ..'],
    ['models/../../x/*.yaml', 'climbs out of the registry root with ..'],
    ['.git/**', 'reaches into .git/'],
  ])('refuses the settings glob %s with exit 2, before walking anything', async (glob, reason) => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    registry.write('.github/modelgate.yml', `manifests: ${JSON.stringify(glob)}\n`);
    const { code, stderr } = await runCli('validate', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain(`the glob "${glob}" ${reason}`);
  });
});

describe('.github/modelgate.yml is read under the same rule', () => {
  const cases: [string, (registry: TempRegistry) => void, string][] = [
    [
      'a FIFO (would block forever)',
      (r) => execFileSync('mkfifo', [join(r.root, '.github/modelgate.yml')]),
      'is not a regular file (a FIFO, socket or device)',
    ],
    [
      'a symlink to /dev/zero (never ends)',
      (r) => r.symlink('.github/modelgate.yml', '/dev/zero'),
      'is a symlink to /dev/zero, outside the repository',
    ],
    [
      'a symlink to /etc/passwd',
      (r) => r.symlink('.github/modelgate.yml', '/etc/passwd'),
      'is a symlink to /etc/passwd, outside the repository',
    ],
    [
      'a 2 GB file',
      (r) => {
        r.write('.github/modelgate.yml', 'manifests: models/**/model.yaml\n');
        truncateSync(join(r.root, '.github/modelgate.yml'), 2 * 1024 ** 3);
      },
      'more than the 65536 read for this kind of file',
    ],
  ];
  it.each(cases)('refuses %s with exit 2 and the reason', async (_what, make, reason) => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    mkdirSync(join(registry.root, '.github'), { recursive: true });
    make(registry);
    const { code, stderr } = await runCli('validate', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('.github/modelgate.yml cannot be read:');
    expect(stderr).toContain(reason);
    expect(stderr).not.toContain('root:x:0:0');
  });

  it('names an unknown key instead of ignoring it', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    registry.write('.github/modelgate.yml', 'manifest: models/**/model.yaml\n');
    const { code, stderr } = await runCli('validate', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('.github/modelgate.yml: manifest: unknown setting');
  });
});

describe('writes never go through a committed symlink', () => {
  it('writes a new file atomically and creates real folders', async () => {
    const root = outsideFolder();
    await new ContainedRoot(root).write('a/b/c.json', '{}');
    expect(readFileSync(join(root, 'a/b/c.json'), 'utf8')).toBe('{}');
  });

  it('refuses a symlinked folder on the way and writes nothing through it', async () => {
    const root = outsideFolder();
    const target = outsideFolder();
    mkdirSync(join(target, 'b'));
    writeFileSync(join(target, 'b/c.json'), 'precious');
    symlinkSync(target, join(root, 'a'));
    await expect(new ContainedRoot(root).write('a/b/c.json', 'overwritten')).rejects.toThrow(
      new ContainmentError('a/b/c.json', 'goes through a, a symlink; modelgate never writes through links'),
    );
    expect(readFileSync(join(target, 'b/c.json'), 'utf8')).toBe('precious');
  });

  it('replaces a symlink in place of the file instead of writing through it', async () => {
    const root = outsideFolder();
    const target = outsideFolder();
    writeFileSync(join(target, 'c.json'), 'precious');
    mkdirSync(join(root, 'a'));
    symlinkSync(join(target, 'c.json'), join(root, 'a/c.json'));
    await new ContainedRoot(root).write('a/c.json', 'restored');
    expect(readFileSync(join(target, 'c.json'), 'utf8')).toBe('precious');
    expect(lstatSync(join(root, 'a/c.json')).isFile()).toBe(true);
    expect(readFileSync(join(root, 'a/c.json'), 'utf8')).toBe('restored');
  });

  it('refuses writes into .git/', async () => {
    const registry = TempRegistry.create();
    await expect(new ContainedRoot(registry.root).write('.git/hooks/post-checkout', 'x')).rejects.toThrow(
      'is inside .git/',
    );
  });
});

describe('--base compares what a symlinked artifact resolves to', () => {
  it('validates the model whose symlinked tokenizer target changed, with --base as without', async () => {
    const registry = TempRegistry.create();
    registry.write('shared/tokenizer.json', { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
    registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
    registry.symlink('models/m/tokenizer.json', '../../shared/tokenizer.json');
    registry.writeManifest(
      'models/m/model.yaml',
      manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json' }),
    );
    registry.commit('m 1.0.0');
    registry.tag('m@v1.0.0');
    // The pull request only edits the symlink's target: three tokens now, vocab_size still 2.
    registry.write('shared/tokenizer.json', {
      model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1, b: 2 } },
    });
    const without = await registry.validate();
    const withBase = await registry.validate({ base: 'main' });
    expect(findingsOf(without, 'VOCAB-FITS')).toHaveLength(1);
    expect(findingsOf(withBase, 'VOCAB-FITS')).toHaveLength(1);
    expect(withBase.summary.validated).toBe(1);
    // The version did not move although the tokenizer did.
    expect(findingsOf(withBase, 'SEMVER-BUMP')).toHaveLength(1);
  });

  it('reads a symlinked artifact at the base ref through the tree, and refuses one that leaves', async () => {
    const registry = TempRegistry.create();
    registry.write('shared/config.json', { model_type: 'llama', vocab_size: 2 });
    registry.symlink('models/m/config.json', '../../shared/config.json');
    registry.symlink('models/m/passwd', '/etc/passwd');
    registry.symlink('models/m/linked', '../../shared');
    const commit = registry.commit('links');
    const source = new GitRepository(registry.root).at(commit);
    expect(await source.resolve('models/m/config.json')).toBe('shared/config.json');
    expect(await source.stat('models/m/passwd')).toEqual({
      kind: 'outside',
      detail: `is a symlink to /etc/passwd, outside the repository (at ${commit})`,
    });
    expect(await source.stat('models/m/linked/config.json')).toMatchObject({
      kind: 'outside',
      detail: expect.stringContaining('goes through models/m/linked, a symlinked folder'),
    });
  });
});

describe('the eval runner and rollback write under the rule', () => {
  const servers: FakeLlm[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function runSmoke(registry: TempRegistry) {
    addRealModel(registry, 'gpt2', {
      manifest: {
        eval: { suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' }] },
      },
    });
    registry.write(
      'models/gpt2/evals/smoke.jsonl',
      `${JSON.stringify({ id: 'q1', prompt: '1+1', expected: '2' })}\n`,
    );
    const llm = await FakeLlm.start({ answer: () => '2' });
    servers.push(llm);
    const facts = (await loadModel(new FileSystemSource(registry.root), 'models/gpt2/model.yaml')).facts!;
    return suiteRunnerFromEnvironment(
      { endpoint: llm.url, resultsDir: join(registry.root, '.modelgate/results'), root: registry.root },
      undefined,
      {},
    )(facts);
  }

  it('does not write through a committed .modelgate folder that is a symlink: an error finding, the target untouched', async () => {
    const registry = TempRegistry.create();
    const target = outsideFolder();
    mkdirSync(join(target, 'results'));
    writeFileSync(join(target, 'results/gpt2-1.0.0-smoke.json'), 'precious');
    registry.symlink('.modelgate', target);
    const run = await runSmoke(registry);
    expect(readFileSync(join(target, 'results/gpt2-1.0.0-smoke.json'), 'utf8')).toBe('precious');
    expect(run.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          'smoke: the results file .modelgate/results/gpt2-1.0.0-smoke.json was not written: it goes through .modelgate, a symlink; modelgate never writes through links',
      }),
    ]);
  });

  it('replaces a committed results file that is a symlink, never writing through it', async () => {
    const registry = TempRegistry.create();
    const target = outsideFolder();
    writeFileSync(join(target, 'stolen.json'), 'precious');
    registry.symlink('.modelgate/results/gpt2-1.0.0-smoke.json', join(target, 'stolen.json'));
    const run = await runSmoke(registry);
    expect(run.findings).toEqual([]);
    expect(readFileSync(join(target, 'stolen.json'), 'utf8')).toBe('precious');
    expect(registry.readJson('.modelgate/results/gpt2-1.0.0-smoke.json')).toMatchObject({ suite: 'smoke' });
  });

  /** gpt2 1.0.0 released with a chat template in a subfolder, then 1.1.0 without it (and a longer context). */
  function released(): TempRegistry {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2', { artifacts: { chat_template: 'templates/chat.jinja' } });
    registry.write('models/gpt2/templates/chat.jinja', '{% for m in messages %}{{ m.content }}{% endfor %}');
    registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0');
    registry.remove('models/gpt2/templates');
    registry.editJson('models/gpt2/config.json', (c) => (c.n_positions = 2048));
    registry.write(
      'models/gpt2/model.yaml',
      registry
        .read('models/gpt2/model.yaml')
        .replace('1.0.0', '1.1.0')
        .replace(/\n\s*chat_template: templates\/chat.jinja/, ''),
    );
    registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0');
    return registry;
  }

  it('rollback refuses a symlinked folder on the way, changing no file at all', async () => {
    const registry = released();
    const target = outsideFolder();
    writeFileSync(join(target, 'chat.jinja'), 'precious');
    registry.symlink('models/gpt2/templates', target);
    const before = registry.read('models/gpt2/config.json');
    const { code, stderr } = await runCli('rollback', 'gpt2', '--to', '1.0.0', '--root', registry.root);
    expect(stderr).toBe(
      'modelgate: cannot restore models/gpt2/templates/chat.jinja: it goes through models/gpt2/templates, a symlink; modelgate never writes through links\n' +
        '  fix: Replace the symlink with a regular file or folder (git rm it), then run rollback again.\n',
    );
    expect(code).toBe(2);
    expect(readFileSync(join(target, 'chat.jinja'), 'utf8')).toBe('precious');
    expect(registry.read('models/gpt2/config.json')).toBe(before); // nothing half-done
    expect(registry.read('models/gpt2/model.yaml')).toContain('1.1.0');
  });

  it('rollback replaces a symlinked file instead of writing through it', async () => {
    const registry = released();
    const target = outsideFolder();
    writeFileSync(join(target, 'config.json'), 'precious');
    registry.symlink('models/gpt2/config.json', join(target, 'config.json'));
    const { code, stderr } = await runCli('rollback', 'gpt2', '--to', '1.0.0', '--root', registry.root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(join(target, 'config.json'), 'utf8')).toBe('precious');
    expect(JSON.parse(registry.read('models/gpt2/config.json')).n_positions).toBe(1024);
  });
});
