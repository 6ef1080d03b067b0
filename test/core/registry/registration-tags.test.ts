import { describe, expect, it } from 'vitest';
import {
  registrationTags,
  restoreRefusal,
  simpleTagOf,
  undeployableRegistration,
} from '../../../src/core/registry/registration-tags.js';
import { readRegistry, type TagRecord } from '../../../src/core/registry/state.js';

const tagger = { name: 'ML Team', email: 'ml@example.com' };
const annotated = (name: string, date: number, commit = 'c1'): TagRecord => ({ name, commit, tagger, date });
const lightweight = (name: string, commit = 'c1'): TagRecord => ({ name, commit, date: 0 });

describe('registrationTags: where each released version is read', () => {
  it("reads a version at its current registration in GTO's state, numbered or simple", () => {
    const tags = registrationTags([
      annotated('m@v1.0.0', 100, 'old'),
      annotated('m@v1.0.0!#2', 200, 'old'),
      annotated('m@v1.0.0#3', 300, 'new'),
      annotated('m@v2.0.0#4', 400),
      annotated('m#prod#5', 500),
      annotated('other@v1.0.0', 100),
      annotated('dir=m@v1.0.0#6', 600),
    ]);
    expect(Object.fromEntries(tags)).toEqual({
      'm@v1.0.0': { tag: 'm@v1.0.0#3' },
      'm@v2.0.0': { tag: 'm@v2.0.0#4' },
      'other@v1.0.0': { tag: 'other@v1.0.0' },
      'dir=m@v1.0.0': { tag: 'dir=m@v1.0.0#6' },
    });
  });

  it('orders registrations of one commit in one second by name, as GTO lists them', () => {
    const tags = registrationTags([annotated('m@v1.0.0#2', 100), annotated('m@v1.0.0', 100)]);
    expect(tags.get('m@v1.0.0')).toEqual({ tag: 'm@v1.0.0#2' });
  });

  it('falls back to a lightweight tag (the simple one first), and never reads a tag with a problem', () => {
    const tags = registrationTags([
      lightweight('a@v1.0.0#1'),
      lightweight('a@v1.0.0'),
      { ...annotated('b@v1.0.0#1', 100), problem: 'it tags a tree, not a commit' },
      lightweight('b@v1.0.0#2'),
      { ...annotated('c@v1.0.0#1', 100), problem: 'it tags a tree, not a commit' },
      { ...annotated('c@v1.0.0#2', 200), problem: 'an annotated tag without a tagger (GTO cannot read it)' },
    ]);
    expect(tags.get('a@v1.0.0')).toEqual({ tag: 'a@v1.0.0' });
    expect(tags.get('b@v1.0.0')).toEqual({ tag: 'b@v1.0.0#2' });
    expect(tags.get('c@v1.0.0')).toEqual({
      tag: 'c@v1.0.0#1',
      problem: 'its registration tag c@v1.0.0#1 cannot be read: it tags a tree, not a commit',
    });
  });
});

describe('undeployableRegistration: a Deployment names the simple tag, an annotated tag of the deployed commit', () => {
  const base = { name: 'm', version: '1.0.0', commit: 'c'.repeat(40) };

  it('passes a version registered by its simple tag, or registered again on the commit its simple tag holds', () => {
    expect(
      undeployableRegistration({ ...base, registeredBy: 'm@v1.0.0', simpleTag: { commit: base.commit } }),
    ).toBeUndefined();
    expect(
      undeployableRegistration({ ...base, registeredBy: 'm@v1.0.0#3', simpleTag: { commit: base.commit } }),
    ).toBeUndefined();
  });

  it('asks for the simple tag when only a numbered one registers the version', () => {
    expect(undeployableRegistration({ ...base, registeredBy: 'm@v1.0.0#4', simpleTag: undefined })?.fix).toBe(
      `Create the simple tag on the same commit and push it: git tag -a -m "Registering m 1.0.0" m@v1.0.0 'm@v1.0.0#4^{commit}' && git push origin m@v1.0.0`,
    );
  });

  it('asks to replace a simple tag that is no release (lightweight, unreadable)', () => {
    expect(
      undeployableRegistration({
        ...base,
        registeredBy: 'm@v1.0.0#4',
        simpleTag: simpleTagOf(
          readRegistry([{ name: 'm@v1.0.0', commit: base.commit, date: 0 }]).get('m'),
          '1.0.0',
        ),
      }),
    ).toEqual({
      reason:
        'm 1.0.0 is registered as m@v1.0.0#4, and its simple tag m@v1.0.0, which deployments name, is not a release: a lightweight tag (GTO reads annotated tags only)',
      fix: `Replace it with an annotated tag on the same commit and push it: git tag -a -f -m "Registering m 1.0.0" m@v1.0.0 'm@v1.0.0#4^{commit}' && git push --force origin m@v1.0.0`,
      command: `git tag -a -f -m "Registering m 1.0.0" m@v1.0.0 'm@v1.0.0#4^{commit}' && git push --force origin m@v1.0.0`,
    });
  });

  it('refuses a version registered again elsewhere while its simple tag holds the earlier registration', () => {
    expect(
      undeployableRegistration({
        ...base,
        registeredBy: 'm@v1.0.0#3',
        simpleTag: { commit: 'a'.repeat(40) },
      }),
    ).toEqual({
      reason:
        'm 1.0.0 was registered again as m@v1.0.0#3, and its simple tag m@v1.0.0, which deployments name, is the earlier registration on aaaaaaaaaaaa',
      fix: 'Release this content as a new version: m@v1.0.0 cannot be moved (released versions are immutable).',
    });
  });
});

describe("restoreRefusal: whether a version can be put back into production unreviewed (the guard's rollback)", () => {
  const refusal = (tags: TagRecord[], version = '1.0.0') =>
    restoreRefusal(readRegistry(tags).get('m'), 'm', version);
  const byHand = 'Roll back to a released version by hand (modelgate rollback m --to VERSION)';

  it('puts back a version its simple tag registers, or that was registered again on the same commit', () => {
    expect(refusal([annotated('m@v1.0.0', 100)])).toBeUndefined();
    expect(
      refusal([annotated('m@v1.0.0', 100), annotated('m@v1.0.0!#2', 200), annotated('m@v1.0.0#3', 300)]),
    ).toBeUndefined();
  });

  it('refuses a version deregistered since, naming the withdrawal and what to do instead', () => {
    expect(refusal([annotated('m@v1.0.0', 100), annotated('m@v1.0.0!#2', 200)])).toEqual({
      reason: 'm 1.0.0 was deregistered (m@v1.0.0 is withdrawn), so it is no release',
      fix: `${byHand}, or register 1.0.0 again if its withdrawal was a mistake.`,
    });
  });

  it('refuses a version no deployment could name, or that no annotated tag registers, with the way back by hand', () => {
    expect(
      refusal([
        annotated('m@v1.0.0', 100, 'old'),
        annotated('m@v1.0.0!#2', 200, 'old'),
        annotated('m@v1.0.0#3', 300, 'new'),
      ]),
    ).toEqual({
      reason: expect.stringMatching(
        /registered again as m@v1\.0\.0#3, and its simple tag m@v1\.0\.0, which deployments name, is the earlier registration/,
      ),
      fix: `${byHand}.`,
    });
    expect(refusal([annotated('m@v1.0.0#4', 100)])).toEqual({
      reason: expect.stringContaining("GTO's numbered registration"),
      fix: `${byHand}.`,
    });
    const none = { reason: 'no annotated tag registers m 1.0.0', fix: `${byHand}.` };
    expect(refusal([])).toEqual(none);
    expect(refusal([annotated('m@v2.0.0', 100)])).toEqual(none);
    expect(refusal([lightweight('m@v1.0.0')])).toEqual(none);
  });
});
