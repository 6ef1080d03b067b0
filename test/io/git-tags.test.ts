import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TagRecord } from '../../src/core/registry/state.js';
import { readTags } from '../../src/io/git-tags.js';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

// Tags a release workflow never writes but a push can carry: tag objects crafted byte by byte,
// with `git mktag` (git's own check, the one a server with receive.fsckObjects runs) where it
// accepts them, else with `git hash-object --literally`, which stores anything.

const TAGGER = 'Ana Lima <ana@example.com>';
/** 2025-10-09 08:53:20 UTC. */
const DATE = 1_760_000_000;

/** The text of a tag object: git's headers, a blank line, the message. */
function tagObject(headers: { object: string; type: string; tag: string; tagger?: string }, message: string) {
  const tagger = headers.tagger === undefined ? '' : `tagger ${headers.tagger}\n`;
  return `object ${headers.object}\ntype ${headers.type}\ntag ${headers.tag}\n${tagger}\n${message}`;
}

/** Stores a tag object and returns its id: through `git mktag`, or `--literally` for one mktag refuses. */
function storeTag(repo: TempRegistry, text: string, how: 'mktag' | 'literally' = 'mktag'): string {
  const args = how === 'mktag' ? ['mktag'] : ['hash-object', '-t', 'tag', '--literally', '-w', '--stdin'];
  return execFileSync('git', args, { cwd: repo.root, input: text, encoding: 'utf8' }).trim();
}

/** Points refs/tags/<name> at each object, in one `git update-ref --stdin`. */
function pointTags(repo: TempRegistry, refs: Record<string, string>): void {
  const input = Object.entries(refs)
    .map(([name, oid]) => `create refs/tags/${name} ${oid}\n`)
    .join('');
  execFileSync('git', ['update-ref', '--stdin'], {
    cwd: repo.root,
    input,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/** A registry whose one commit is released as support-bot 1.0.0 (a normal annotated tag). */
function releasedRegistry(): { repo: TempRegistry; commit: string } {
  const repo = TempRegistry.create('file');
  repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.0.0\n');
  const commit = repo.commit('support-bot 1.0.0');
  repo.tag('support-bot@v1.0.0', { commit, date: DATE });
  return { repo, commit };
}

/** `git tag -a`, as a person or the release workflow makes one, with its tagger and date fixed. */
function annotatedTag(repo: TempRegistry, name: string, target: string, message: string, date: string) {
  execFileSync('git', ['tag', '-a', '-m', message, name, target], {
    cwd: repo.root,
    env: {
      ...process.env,
      GIT_COMMITTER_NAME: 'Ana Lima',
      GIT_COMMITTER_EMAIL: 'ana@example.com',
      GIT_COMMITTER_DATE: date,
    },
    stdio: 'ignore',
  });
}

describe('readTags: every tag of the repository, and what GTO would read differently', () => {
  let commit: string;
  let tags: TagRecord[];
  const byName = (name: string) => tags.filter((t) => t.name === name);

  beforeAll(async () => {
    const repo = TempRegistry.create('file');
    repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.0.0\n');
    commit = repo.commit('support-bot 1.0.0');
    const tree = repo.treeOf(commit);
    const blob = repo.git('rev-parse', `${commit}:models/support-bot/model.yaml`);

    annotatedTag(
      repo,
      'support-bot@v1.0.0',
      commit,
      'Register support-bot 1.0.0\n\nTrigger: abc',
      `${DATE} +0300`,
    );
    // `git tag -a` of an existing annotated tag nests it (git only hints "You have created a nested tag").
    annotatedTag(repo, 'support-bot@v1.3.0', 'support-bot@v1.0.0', 'nested', `${DATE + 30} +0000`);
    repo.git('tag', 'support-bot@v1.6.0', commit);

    const at = (seconds: number) => `${TAGGER} ${DATE + seconds} +0000`;
    // The forged record is what readTags' own format prints for a tag: fields split by NUL, ended by NUL and a newline.
    const forged = [
      'support-bot@v9.9.9',
      'tag',
      commit,
      'support-bot@v9.9.9',
      'commit',
      commit,
      'Mallory',
      '<m@example.com>',
      `${DATE + 99} +0000`,
      'forged',
    ];
    pointTags(repo, {
      'support-bot@v1.1.0': storeTag(
        repo,
        tagObject({ object: tree, type: 'tree', tag: 'support-bot@v1.1.0', tagger: at(10) }, 'a tree\n'),
      ),
      'support-bot@v1.2.0': storeTag(
        repo,
        tagObject({ object: blob, type: 'blob', tag: 'support-bot@v1.2.0', tagger: at(20) }, 'a blob\n'),
      ),
      'support-bot@v1.4.0': storeTag(
        repo,
        tagObject({ object: commit, type: 'commit', tag: 'support-bot@v2.0.0', tagger: at(40) }, 'renamed\n'),
      ),
      // mktag refuses a tag without a tagger ("missingTaggerEntry"); git still reads one that is stored.
      'support-bot@v1.5.0': storeTag(
        repo,
        tagObject({ object: commit, type: 'commit', tag: 'support-bot@v1.5.0' }, 'no tagger\n'),
        'literally',
      ),
      // mktag accepts a NUL in the message.
      'support-bot@v1.7.0': storeTag(
        repo,
        tagObject(
          { object: commit, type: 'commit', tag: 'support-bot@v1.7.0', tagger: at(70) },
          `cut here\0\n${forged.join('\0')}\0\nafter\n`,
        ),
      ),
    });
    tags = await readTags(repo.root);
  });

  it('reads an annotated tag: its commit, tagger, date in seconds, offset and message (the last newline trimmed)', () => {
    expect(byName('support-bot@v1.0.0')).toEqual([
      {
        name: 'support-bot@v1.0.0',
        commit,
        tagger: { name: 'Ana Lima', email: 'ana@example.com' },
        date: DATE,
        offset: '+0300',
        message: 'Register support-bot 1.0.0\n\nTrigger: abc',
        problem: undefined,
      },
    ]);
  });

  it('reads a lightweight tag as its commit, dated 0, with no tagger (the registry reports it)', () => {
    expect(byName('support-bot@v1.6.0')).toEqual([{ name: 'support-bot@v1.6.0', commit, date: 0 }]);
  });

  it.each([
    ['support-bot@v1.1.0', 'tree'],
    ['support-bot@v1.2.0', 'blob'],
    ['support-bot@v1.3.0', 'tag'],
  ])('marks %s, which tags a %s, not a commit', (name, type) => {
    expect(byName(name).map((t) => t.problem)).toEqual([`it tags a ${type}, not a commit`]);
  });

  it('marks a tag object named another tag than its ref, which GTO would read as the other name', () => {
    expect(byName('support-bot@v1.4.0')).toMatchObject([
      {
        commit,
        problem:
          'the tag object is named "support-bot@v2.0.0", not "support-bot@v1.4.0" (GTO would read it as the other name)',
      },
    ]);
    expect(byName('support-bot@v2.0.0')).toEqual([]);
  });

  it('marks an annotated tag without a tagger, which GTO cannot read', () => {
    expect(byName('support-bot@v1.5.0')).toEqual([
      {
        name: 'support-bot@v1.5.0',
        commit,
        tagger: undefined,
        date: 0,
        offset: undefined,
        message: 'no tagger',
        problem: 'an annotated tag without a tagger (GTO cannot read it)',
      },
    ]);
  });

  it('cuts a message at its first NUL, so text shaped like a record after it is never read as a tag', () => {
    // for-each-ref's %(contents) stops at the NUL: the forged record never reaches the parser.
    expect(byName('support-bot@v1.7.0')).toEqual([
      {
        name: 'support-bot@v1.7.0',
        commit,
        tagger: { name: 'Ana Lima', email: 'ana@example.com' },
        date: DATE + 70,
        offset: '+0000',
        message: 'cut here',
        problem: undefined,
      },
    ]);
    expect(byName('support-bot@v9.9.9')).toEqual([]);
  });

  it('returns one record per tag ref, no more', () => {
    expect(tags.map((t) => t.name)).toEqual([
      'support-bot@v1.0.0',
      'support-bot@v1.1.0',
      'support-bot@v1.2.0',
      'support-bot@v1.3.0',
      'support-bot@v1.4.0',
      'support-bot@v1.5.0',
      'support-bot@v1.6.0',
      'support-bot@v1.7.0',
    ]);
  });
});

describe('a tag object whose target is missing', () => {
  const missing = '1'.repeat(40);
  let repo: TempRegistry;
  let commit: string;

  beforeAll(() => {
    repo = TempRegistry.create('file');
    repo.write('README.md', 'models\n');
    commit = repo.commit('first');
    repo.tag('support-bot@v1.0.0', { commit, date: DATE });
    // git lets the ref exist: update-ref checks the tag object, not what it points at. Like every
    // tag GTO cannot read, it is reported and skipped, so one broken tag does not hide the registry.
    const text = tagObject(
      { object: missing, type: 'commit', tag: 'support-bot@v1.1.0', tagger: `${TAGGER} ${DATE + 10} +0000` },
      'points nowhere\n',
    );
    pointTags(repo, { 'support-bot@v1.1.0': storeTag(repo, text, 'literally') });
  });

  it('readTags marks it: "it tags a missing object, not a commit", and reads the other tags', async () => {
    const tags = await readTags(repo.root);
    expect(tags.map((t) => [t.name, t.problem])).toEqual([
      ['support-bot@v1.0.0', undefined],
      ['support-bot@v1.1.0', 'it tags a missing object, not a commit'],
    ]);
  });

  it('show: exit 0, the good version, and one warning naming the tag (no stack trace)', async () => {
    expect(await runCli('show', '--root', repo.root)).toEqual({
      code: 0,
      stdout: 'support-bot  latest 1.0.0\n',
      stderr:
        'modelgate: warning: ignored the tag support-bot@v1.1.0: it tags a missing object, not a commit\n',
    });
  });
});

describe('show and history report a tag they cannot read and list the good ones', () => {
  let repo: TempRegistry;
  let commit: string;
  const WARNING =
    'modelgate: warning: ignored the tag support-bot@v1.1.0: the tag object is named "support-bot@v2.0.0", not "support-bot@v1.1.0" (GTO would read it as the other name)\n';

  beforeAll(() => {
    repo = TempRegistry.create('file');
    repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.0.0\n');
    commit = repo.commit('support-bot 1.0.0');
    repo.tag('support-bot@v1.0.0', { commit, date: DATE });
    repo.tag('support-bot#canary#1', { commit, date: DATE + 1 });
    // A tag object made as support-bot@v2.0.0, pushed under the ref support-bot@v1.1.0.
    const renamed = tagObject(
      { object: commit, type: 'commit', tag: 'support-bot@v2.0.0', tagger: `${TAGGER} ${DATE + 2} +0000` },
      'Register support-bot 2.0.0\n',
    );
    pointTags(repo, { 'support-bot@v1.1.0': storeTag(repo, renamed) });
  });

  it('show: exit 0, the good version and its stage, and one warning naming the tag and why', async () => {
    expect(await runCli('show', '--root', repo.root)).toEqual({
      code: 0,
      stdout: 'support-bot  latest 1.0.0  canary 1.0.0\n',
      stderr: WARNING,
    });
  });

  it('history: exit 0, the good events only, and the same warning', async () => {
    const history = await runCli('history', '--root', repo.root, '--format', 'json');
    expect(history.code).toBe(0);
    expect(history.stderr).toBe(WARNING);
    const events = (
      JSON.parse(history.stdout) as { events: { action: string; version: string; tag: string }[] }
    ).events;
    expect(events.map((e) => `${e.action} ${e.version} ${e.tag}`)).toEqual([
      'register 1.0.0 support-bot@v1.0.0',
      'assign 1.0.0 support-bot#canary#1',
    ]);
  });
});

describe('show does not take a nested tag (a tag of a tag) for a release', () => {
  let repo: TempRegistry;

  beforeAll(() => {
    ({ repo } = releasedRegistry());
    // Tagging the tag, not its commit: 1.1.0 was never released from this commit. Since git 2.44,
    // for-each-ref's %(*…) fields peel every level, so they alone cannot tell this tag from a good one.
    annotatedTag(repo, 'support-bot@v1.1.0', 'support-bot@v1.0.0', 'nested', `${DATE + 1} +0000`);
  });

  it('show: exit 0, latest stays 1.0.0, and the nested tag is reported', async () => {
    expect(await runCli('show', '--root', repo.root)).toEqual({
      code: 0,
      stdout: 'support-bot  latest 1.0.0\n',
      stderr: 'modelgate: warning: ignored the tag support-bot@v1.1.0: it tags a tag, not a commit\n',
    });
  });
});

describe('a tag object whose type header lies about its target', () => {
  let repo: TempRegistry;
  let tree: string;

  beforeAll(() => {
    repo = TempRegistry.create('file');
    repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.0.0\n');
    tree = repo.treeOf(repo.commit('support-bot 1.0.0'));
    // "type commit" over a tree: mktag and update-ref check the type; a literal store and a ref
    // file written by hand do not.
    const lying = storeTag(
      repo,
      tagObject(
        { object: tree, type: 'commit', tag: 'support-bot@v1.8.0', tagger: `${TAGGER} ${DATE} +0000` },
        'lies\n',
      ),
      'literally',
    );
    writeFileSync(join(repo.root, '.git', 'refs', 'tags', 'support-bot@v1.8.0'), `${lying}\n`);
  });

  it('is marked with the type its target really has, not the one the header claims', async () => {
    expect((await readTags(repo.root)).map((t) => [t.name, t.problem])).toEqual([
      ['support-bot@v1.8.0', 'it tags a tree, not a commit'],
    ]);
  });

  it('is read apart when git cannot list it beside an honest tag of the same object: both are reported', async () => {
    // An honest tag of the same tree, read first, makes git see the lie and fail the whole listing;
    // readTags then lists the tags in parts, and each is read (or refused) on its own.
    const honest = storeTag(
      repo,
      tagObject(
        { object: tree, type: 'tree', tag: 'support-bot@v1.1.0', tagger: `${TAGGER} ${DATE} +0000` },
        'tree\n',
      ),
    );
    pointTags(repo, { 'support-bot@v1.1.0': honest });
    expect(() => repo.git('for-each-ref', '--format=%(tag) %(type)', 'refs/tags')).toThrow(
      /is a tree, not a commit/,
    );
    expect((await readTags(repo.root)).map((t) => [t.name, t.problem])).toEqual([
      ['support-bot@v1.1.0', 'it tags a tree, not a commit'],
      ['support-bot@v1.8.0', 'it tags a tree, not a commit'],
    ]);
    const show = await runCli('show', '--root', repo.root);
    expect(show).toMatchObject({ code: 0, stdout: 'support-bot  latest —\n' }); // nothing released
    expect(show.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('a tag object whose type header says blob, tag or tree over a commit', () => {
  it.each(['blob', 'tag', 'tree'])(
    'is not a release: readTags marks it and show ignores it (header says %s)',
    async (claimed) => {
      const repo = TempRegistry.create('file');
      repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.0.0\n');
      repo.tag('support-bot@v1.0.0', { commit: repo.commit('support-bot 1.0.0'), date: DATE });
      repo.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.1.0\n');
      const commit = repo.commit('support-bot 1.1.0');
      // GTO's git library builds the target from the header's type, so it cannot read this as a
      // release of the commit. git lists it (update-ref checks only a header that says commit)
      // when no other tag names the commit first; else git refuses the listing (the test above).
      const lying = storeTag(
        repo,
        tagObject({ object: commit, type: claimed, tag: 'support-bot@v1.1.0', tagger: at(DATE + 1) }, 'x\n'),
        'literally',
      );
      pointTags(repo, { 'support-bot@v1.1.0': lying });
      const problem = `its tag object says it tags a ${claimed}, but it tags a commit (GTO cannot read it)`;
      expect((await readTags(repo.root)).map((t) => [t.name, t.problem])).toEqual([
        ['support-bot@v1.0.0', undefined],
        ['support-bot@v1.1.0', problem],
      ]);
      expect(await runCli('show', '--root', repo.root)).toEqual({
        code: 0,
        stdout: 'support-bot  latest 1.0.0\n',
        stderr: `modelgate: warning: ignored the tag support-bot@v1.1.0: ${problem}\n`,
      });
    },
  );
});

function at(seconds: number): string {
  return `${TAGGER} ${seconds} +0000`;
}

describe('a lying tag beside a release of the same commit', () => {
  it('leaves the release readable: the tags are listed apart, and only the lying one is skipped', async () => {
    const { repo, commit } = releasedRegistry();
    // "type blob" over the released commit: listed after the release, it makes git fail the whole
    // listing ("is a commit, not a blob"), which used to stop every command that reads tags.
    const lying = storeTag(
      repo,
      tagObject({ object: commit, type: 'blob', tag: 'support-bot@v1.1.0', tagger: at(DATE + 1) }, 'x\n'),
      'literally',
    );
    pointTags(repo, { 'support-bot@v1.1.0': lying });
    expect(() => repo.git('for-each-ref', '--format=%(tag) %(type)', 'refs/tags')).toThrow(
      /is a commit, not a blob/,
    );
    const problem = 'its tag object says it tags a blob, but it tags a commit (GTO cannot read it)';
    expect(await runCli('show', '--root', repo.root)).toEqual({
      code: 0,
      stdout: 'support-bot  latest 1.0.0\n',
      stderr: `modelgate: warning: ignored the tag support-bot@v1.1.0: ${problem}\n`,
    });
  });
});

describe('a tag object that is damaged on disk', () => {
  it('stops every command that reads tags, naming the tag and the fix: what it holds is unknown', async () => {
    const { repo, commit } = releasedRegistry();
    const bad = storeTag(
      repo,
      tagObject({ object: commit, type: 'commit', tag: 'support-bot@v1.1.0', tagger: at(DATE + 1) }, 'x\n'),
    );
    pointTags(repo, { 'support-bot@v1.1.0': bad });
    // The loose object's bytes are no longer zlib: git cannot read it, alone or with the others.
    const file = join(repo.root, '.git', 'objects', bad.slice(0, 2), bad.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');
    const show = await runCli('show', '--root', repo.root);
    expect(show.code).toBe(2);
    expect(show.stdout).toBe('');
    expect(show.stderr).toMatch(
      /^modelgate: git cannot read the tag support-bot@v1\.1\.0 in \S+: inflate: data stream error \(incorrect header check\)\n {2}fix: Check the repository with `git fsck`, then fetch a good copy of the tag \(`git fetch origin --force tag support-bot@v1\.1\.0`\) or delete it \(`git tag -d support-bot@v1\.1\.0`\)\.\n$/,
    );
  });
});

describe('an annotated tag whose tagger line has no date GTO can read', () => {
  it.each([
    ['no date', 'tagger Ana Lima <ana@example.com>', ''],
    ['a word for a date', 'tagger Ana Lima <ana@example.com> notadate +0000', '0 +0000'],
    ['a negative date', 'tagger Ana Lima <ana@example.com> -5 +0000', '18446744073709551611 +0000'],
    ['a date past 2^64', 'tagger Ana Lima <ana@example.com> 99999999999999999999 +0000', ''],
  ])('is not a release (%s): readTags marks it and history leaves it out', async (_case, line, gitReads) => {
    const { repo, commit } = releasedRegistry();
    // mktag refuses such a tagger line; a literal store keeps it, and git reads it as it can.
    const text = `object ${commit}\ntype commit\ntag support-bot@v1.1.0\n${line}\n\nno date\n`;
    pointTags(repo, { 'support-bot@v1.1.0': storeTag(repo, text, 'literally') });
    const problem = `its tagger line has no date GTO can read (git reads ${JSON.stringify(gitReads)})`;
    expect((await readTags(repo.root)).map((t) => [t.name, t.problem])).toEqual([
      ['support-bot@v1.0.0', undefined],
      ['support-bot@v1.1.0', problem],
    ]);
    const history = await runCli('history', '--root', repo.root, '--format', 'json');
    expect(history.code).toBe(0);
    expect(history.stderr).toBe(`modelgate: warning: ignored the tag support-bot@v1.1.0: ${problem}\n`);
    expect(history.stdout).not.toContain('support-bot@v1.1.0');
  });
});
