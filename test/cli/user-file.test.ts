import { describe, expect, it } from 'vitest';
import { openRegistry, createTagOrExplain } from '../../src/cli/registry-context.js';
import { readRecordedAnalysis } from '../../src/cli/run/recorded-analysis.js';
import { CommandError } from '../../src/core/repository.js';
import { MalformedFileError } from '../../src/core/user-file-error.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { runCli } from '../helpers/cli.js';
import { harnessResults } from '../helpers/lm-eval.js';
import { TempRegistry } from '../helpers/registry.js';

/** `canary analyze --metrics FILE --model x --root DIR` as parsed arguments. */
const analyzeArgs = (registry: TempRegistry, file: string) => ({
  values: { metrics: `${registry.root}/${file}`, model: 'x', root: registry.root },
  positionals: ['analyze'],
});

describe('a file the user passes on the command line', () => {
  it('that a reader refuses is exit 2 naming the flag, the file, what is wrong and the fix', async () => {
    const registry = TempRegistry.create();
    registry.write('list.json', '[0.71, 0.69]');
    const { code, stdout, stderr } = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      `${registry.root}/list.json`,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `modelgate: --baseline-results ${registry.root}/list.json cannot be used: must be a JSON object, not a list\n` +
        `  fix: Pass a results file of lm-evaluation-harness (its "results" object), of modelgate's runner, or a {"metric": value} object.\n`,
    );
  });

  it('that is not JSON, or cannot be read, is exit 2 with the parser or the file system saying why', async () => {
    const registry = TempRegistry.create();
    registry.write('cut.json', '{"intervals": [');
    const cut = await runCli('canary', 'analyze', '--metrics', `${registry.root}/cut.json`, '--model', 'x');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(
      /^modelgate: --metrics \S+\/cut\.json cannot be used: not valid JSON \(.+\)\n {2}fix: Write the file as JSON/,
    );
    const missing = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      `${registry.root}/nowhere.json`,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `modelgate: --baseline-results ${registry.root}/nowhere.json cannot be used: it does not exist\n` +
        '  fix: Check the path: it must name a file you can read.\n',
    );
  });

  it('that is fine, with a bug in its reader, is not reported as a bad file: the bug goes on to "internal error"', async () => {
    const registry = TempRegistry.create();
    registry.write('canary.json', JSON.stringify({ intervals: [] }));
    // A reader with a bug: it reads a field the file does not have as if it were there.
    const buggy = (json: unknown) => ({
      model: (json as { meta: { model: string } }).meta.model,
    });
    const reading = readRecordedAnalysis(
      analyzeArgs(registry, 'canary.json'),
      { name: 'canary', option: 'metrics', records: 'series' },
      buggy,
    );
    await expect(reading).rejects.toBeInstanceOf(TypeError);
    await expect(reading).rejects.not.toBeInstanceOf(CommandError);
  });

  it('that the reader refuses with a MalformedFileError keeps its fix', async () => {
    const registry = TempRegistry.create();
    registry.write('canary.json', JSON.stringify({ windows: [] }));
    const refusing = (_json: unknown, file: string): { model?: string } => {
      throw new MalformedFileError(file, 'needs an "intervals" list', 'Rename "windows" to "intervals".');
    };
    await expect(
      readRecordedAnalysis(
        analyzeArgs(registry, 'canary.json'),
        { name: 'canary', option: 'metrics', records: 'series' },
        refusing,
      ),
    ).rejects.toMatchObject({
      name: 'CommandError',
      message: `--metrics ${registry.root}/canary.json cannot be used: needs an "intervals" list`,
      fix: 'Rename "windows" to "intervals".',
    });
  });

  it('a real lm-evaluation-harness results file as --baseline-results is read (not refused)', async () => {
    const registry = TempRegistry.create();
    registry.write('baseline.json', harnessResults());
    const { code, stderr } = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      `${registry.root}/baseline.json`,
      '--allow-empty',
    );
    expect(stderr).not.toContain('cannot be used');
    expect(code).toBe(0);
  });
});

describe('creating a tag', () => {
  it("turns git's refusal (the tag exists) into a message with the fix", async () => {
    const registry = TempRegistry.create();
    const commit = registry.commit('first');
    registry.tag('gpt2@v1.0.0');
    const context = await openRegistry({ values: { root: registry.root }, positionals: [] });
    await expect(createTagOrExplain(context, 'gpt2@v1.0.0', commit, 'again')).rejects.toMatchObject({
      name: 'CommandError',
      message: expect.stringMatching(
        /^git could not create the tag gpt2@v1\.0\.0: fatal: tag 'gpt2@v1\.0\.0' already exists/,
      ),
      fix: 'Fetch the tags (git fetch --tags) and run the command again.',
    });
  });

  it('does not dress a bug as a git refusal', async () => {
    const registry = TempRegistry.create();
    const commit = registry.commit('first');
    const context = await openRegistry({ values: { root: registry.root }, positionals: [] });
    // A repository whose tag writing has a bug (not git refusing): it must surface as the bug it is.
    class BrokenTagging extends GitRepository {
      override async createTag(): Promise<void> {
        (undefined as unknown as { name: string }).name.trim();
      }
    }
    const broken = { ...context, repo: new BrokenTagging(registry.root) };
    await expect(createTagOrExplain(broken, 'gpt2@v1.0.0', commit, 'm')).rejects.toBeInstanceOf(TypeError);
  });
});
