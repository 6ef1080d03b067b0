import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

/**
 * Properties of the whole CLI, driven in-process on real git repositories:
 * whatever a contributor writes (manifest text, tag names, versions, results
 * files), modelgate answers with an exit code of the contract and never with
 * a crash, and it never says 0 about input that is not valid. "Valid" is
 * decided here by other tools where one exists (node-semver, git itself) and
 * by the documented rules otherwise, never by modelgate's own validators.
 * Seeded, and sized to stay a few seconds of the suite's budget.
 */

const SEED = 20261130;
/** A stack frame or the CLI's words for a bug: neither may ever reach a user. */
const CRASH = /internal error|\n\s+at .*:\d+:\d+/;

/** The DESIGN.md name rule (GTO's), plus the documented 100-character limit. */
const DOCUMENTED_NAME = /^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/;

/** The smallest model that validates clean: a word-level tokenizer that fits its config. */
function smallRegistry(): TempRegistry {
  const registry = TempRegistry.create();
  registry.write('models/m/tokenizer.json', {
    model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 }, unk_token: '<unk>' },
  });
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.writeManifest('models/m/model.yaml', manifest({}));
  registry.commit('m 1.0.0');
  return registry;
}

/** node-semver's reading of a version, written back exactly (no "v", no spaces, build kept). */
function semverReads(version: string): boolean {
  const read = semver.parse(version);
  return read !== null && `${read.version}${read.build.length ? `+${read.build.join('.')}` : ''}` === version;
}

function manifest(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'm',
    version: '1.0.0',
    artifacts: { config: 'config.json', tokenizer: 'tokenizer.json' },
    ...extra,
  };
}

/** Whether git itself can create this tag in `root` (the tag is removed again). */
function gitCanTag(root: string, tag: string): boolean {
  const created = spawnSync('git', ['tag', '--end-of-options', tag], { cwd: root, stdio: 'ignore' });
  if (created.status !== 0) return false;
  execFileSync('git', ['tag', '-d', '--end-of-options', tag], { cwd: root, stdio: 'ignore' });
  return true;
}

async function cli(...argv: string[]) {
  const result = await runCli(...argv);
  expect([0, 1, 2]).toContain(result.code);
  expect(result.stderr).not.toMatch(CRASH);
  expect(result.stdout).not.toMatch(CRASH);
  return result;
}

const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z0-9]([a-z0-9-_/]{0,12}[a-z0-9])?$/),
  fc.constantFrom('team//bot', 'a/', '/a', 'Bot', 'a b', 'ü', '-a', 'a'.repeat(100), 'b'.repeat(101)),
  fc.string({ maxLength: 20 }),
);
const bigNumber = fc.oneof(
  fc.nat({ max: 20 }).map(String),
  fc.constantFrom(
    '9007199254740991',
    '9007199254740992',
    '99999999999999999999',
    '999999999999999999999999',
    '01',
  ),
);
const versionArb = fc.oneof(
  fc.tuple(bigNumber, bigNumber, bigNumber).map(([major, minor, patch]) => `${major}.${minor}.${patch}`),
  fc
    .tuple(fc.nat({ max: 3 }), fc.stringMatching(/^[0-9A-Za-z-]{1,8}(\.[0-9A-Za-z-]{1,8}){0,2}$/))
    .map(([minor, pre]) => `1.${minor}.0-${pre}`),
  fc.nat({ max: 300 }).map((n) => `1.0.1-${'a'.repeat(n)}`),
  fc.constantFrom('1.0', 'v1.0.0', '1.0.0+build.5', '1.0.0-', ''),
  fc.string({ maxLength: 12 }),
);
const intervalArb = fc.oneof(
  fc.tuple(
    fc.oneof(fc.nat({ max: 2000 }).map(String), fc.constant('99999999999999999999')),
    fc.constantFrom('s', 'm', 'h', 'd'),
  ),
  fc.constant(undefined),
);
const stepsArb = fc.oneof(
  fc.array(fc.oneof(fc.integer({ min: -10, max: 110 }), fc.constantFrom(1e9, 2.5)), { maxLength: 5 }),
  fc.constant(undefined),
);

const INTERVAL_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** The documented canary rules: interval 10s..24h; steps whole, rising strictly within 1..100, ending at 100. */
function documentedCanary(interval: [string, string] | undefined, steps: number[] | undefined): boolean {
  if (interval) {
    const ms = Number(interval[0]) * (INTERVAL_MS[interval[1]] ?? Number.NaN);
    if (!(ms >= 10_000 && ms <= 86_400_000)) return false;
  }
  if (steps) {
    if (!steps.length || steps.at(-1) !== 100) return false;
    if (!steps.every((s, i) => Number.isInteger(s) && s >= 1 && s <= 100 && (i === 0 || s > steps[i - 1]!)))
      return false;
  }
  return true;
}

describe('the CLI on generated input (fast-check)', () => {
  it('validate: exit 0 exactly when name, version and canary policy are valid', async () => {
    const registry = smallRegistry();
    await fc.assert(
      fc.asyncProperty(nameArb, versionArb, intervalArb, stepsArb, async (name, version, interval, steps) => {
        const canary = {
          ...(interval ? { interval: `${interval[0]}${interval[1]}` } : {}),
          ...(steps ? { steps } : {}),
        };
        registry.writeManifest(
          'models/m/model.yaml',
          manifest({ name, version, ...(interval || steps ? { canary } : {}) }),
        );
        const { code } = await cli('validate', '--root', registry.root, '--format', 'json');
        const valid =
          DOCUMENTED_NAME.test(name) &&
          name.length <= 100 &&
          semverReads(version) &&
          gitCanTag(registry.root, `${name}@v${version}`) &&
          documentedCanary(interval, steps);
        expect(code).toBe(valid ? 0 : 1);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('validate --base: a version change is 0 only when semver reads it and it does not go back', async () => {
    const registry = smallRegistry();
    const base = registry.git('rev-parse', 'HEAD');
    await fc.assert(
      fc.asyncProperty(versionArb, async (version) => {
        registry.writeManifest('models/m/model.yaml', manifest({ version }));
        const { code } = await cli('validate', '--root', registry.root, '--base', base, '--format', 'json');
        const valid =
          semverReads(version) && semver.gte(version, '1.0.0') && gitCanTag(registry.root, `m@v${version}`);
        expect(code).toBe(valid ? 0 : 1);
      }),
      { seed: SEED, numRuns: 20 }, // every run asks git for the base: fewer, to stay in budget
    );
  });

  it('validate on any manifest text: a contract exit code, and 0 only for a manifest YAML reads', async () => {
    const registry = smallRegistry();
    const valid = stringify(manifest({}));
    const textArb = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }),
      // One edit of the valid text: a character inserted, replaced or removed.
      fc
        .tuple(fc.nat({ max: valid.length }), fc.string({ maxLength: 2 }), fc.nat({ max: 2 }))
        .map(([at, insert, cut]) => valid.slice(0, at) + insert + valid.slice(at + cut)),
    );
    await fc.assert(
      fc.asyncProperty(textArb, async (text) => {
        registry.write('models/m/model.yaml', text);
        const { code } = await cli('validate', '--root', registry.root, '--format', 'json');
        if (code !== 0) return;
        const read = parse(text) as Record<string, unknown>;
        expect(read).toMatchObject({ apiVersion: 'modelgate.dev/v1', kind: 'Model' });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('gate on any results file: 0 only when the file holds the gated metric at or above its minimum', async () => {
    const registry = smallRegistry();
    registry.writeManifest(
      'models/m/model.yaml',
      manifest({ eval: { results: [{ path: 'results.json' }], gates: [{ metric: 'acc', min: 0.5 }] } }),
    );
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom('0.7', null, true, [0.7], { value: 0.7 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    const textArb = fc.oneof(
      { arbitrary: fc.record({ acc: value }).map((json) => JSON.stringify(json)), weight: 3 },
      fc.dictionary(fc.string({ maxLength: 5 }), value).map((json) => JSON.stringify(json)),
      fc.constantFrom(
        '{"acc": NaN}',
        '{"acc": Infinity}',
        '{"acc": 0.9',
        '',
        '[0.9]',
        '{"results": {"acc": 0.9}}',
      ),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(textArb, async (text) => {
        registry.write('models/m/results.json', text);
        const { code } = await cli('gate', '--root', registry.root, '--format', 'json');
        let acc: unknown;
        try {
          acc = (JSON.parse(text) as { acc?: unknown } | null)?.acc;
        } catch {
          acc = undefined;
        }
        const passes = typeof acc === 'number' && Number.isFinite(acc) && acc >= 0.5;
        expect(code).toBe(passes ? 0 : 1);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('show, history, promote and deprecate on any tag names: a contract exit code, counters in digits', async () => {
    const registry = smallRegistry();
    const commit = registry.git('rev-parse', 'HEAD');
    registry.tag('m@v1.0.0');
    registry.tag('m#canary#1');
    const piece = fc.stringMatching(/^[a-z0-9!._/-]{0,8}$/);
    const tagArb = fc.oneof(
      fc.tuple(fc.constantFrom('m', 'other'), versionArb).map(([n, v]) => `${n}@v${v}`),
      fc
        .tuple(
          fc.constantFrom('m', 'other'),
          fc.constantFrom('canary', 'production', 'canary!', 'x'),
          bigNumber,
        )
        .map(([n, s, c]) => `${n}#${s}#${c}`),
      fc.tuple(piece, fc.constantFrom('@', '#', '@v', '@deprecated'), piece).map((p) => p.join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(tagArb, { minLength: 1, maxLength: 3 }), async (tags) => {
        const created = tags.filter(
          (tag) => gitCanTag(registry.root, tag) && (registry.tag(tag, { commit }), true),
        );
        await cli('show', '--root', registry.root);
        await cli('history', '--root', registry.root, '--format', 'json');
        const promote = await cli(
          'promote',
          'm',
          '1.0.0',
          'production',
          '--root',
          registry.root,
          '--dry-run',
        );
        if (promote.code === 0) expect(promote.stdout).toMatch(/^would create m#production#[1-9]\d* on /);
        const withdraw = await cli('deprecate', 'm', '1.0.0', 'canary', '--root', registry.root, '--dry-run');
        if (withdraw.code === 0) expect(withdraw.stdout).toMatch(/^would create m#canary!#[1-9]\d* on /);
        for (const tag of created) registry.git('tag', '-d', '--end-of-options', tag);
      }),
      { seed: SEED, numRuns: 15 }, // each run writes and removes real tags (and reads them: two git calls)
    );
  });
});
