import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { nameProblem, tagCounter, versionProblem } from '../../../src/core/registry/names.js';
import {
  assignmentTag,
  parseRegistryTag,
  readRegistryTag,
  releaseTag,
  unassignmentTag,
} from '../../../src/core/registry/tag-names.js';

describe("GTO's tag formats", () => {
  it.each([
    ['awesome-model@v0.0.1', { action: 'register', name: 'awesome-model', version: '0.0.1' }],
    ['awesome-model@v1.2.3-rc.1', { action: 'register', name: 'awesome-model', version: '1.2.3-rc.1' }],
    ['awesome-model@v0.0.1!', { action: 'deregister', name: 'awesome-model', version: '0.0.1' }],
    ['awesome-model#prod#2', { action: 'assign', name: 'awesome-model', stage: 'prod', number: 2 }],
    ['awesome-model#prod!#3', { action: 'unassign', name: 'awesome-model', stage: 'prod', number: 3 }],
    ['awesome-model#prod', { action: 'assign', name: 'awesome-model', stage: 'prod' }],
    ['awesome-model@deprecated', { action: 'deprecate', name: 'awesome-model' }],
    ['team/llm_chat@v2.0.0', { action: 'register', name: 'team/llm_chat', version: '2.0.0' }],
    ['m@v1.0.0+build.5', { action: 'register', name: 'm', version: '1.0.0+build.5' }],
    ['m#prod#9007199254740990', { action: 'assign', name: 'm', stage: 'prod', number: 9007199254740990 }],
    // GTO's other forms (iterative/gto tests/test_tag.py, test_parse_name and test_parse_correct_names):
    ['path@v1.2.3#5', { action: 'register', name: 'path', version: '1.2.3', number: 5 }],
    ['path@v1.2.3!#2', { action: 'deregister', name: 'path', version: '1.2.3', number: 2 }],
    ['nn#prod!', { action: 'unassign', name: 'nn', stage: 'prod' }],
    ['nn@v1.0.0-alpha.beta', { action: 'register', name: 'nn', version: '1.0.0-alpha.beta' }],
    ['m@deprecated#4', { action: 'deprecate', name: 'm', number: 4 }],
    ['Model@v1.0.0', { action: 'register', name: 'Model', version: '1.0.0' }],
    ['model#Prod#1', { action: 'assign', name: 'model', stage: 'Prod', number: 1 }],
    ['model#prod#0', { action: 'assign', name: 'model', stage: 'prod', number: 0 }],
    ['d/x=M#Prod#007', { action: 'assign', name: 'd/x:M', stage: 'Prod', number: 7 }],
    [
      'Some/folder/A=Model@v1.0.0+build.1#3',
      { action: 'register', name: 'Some/folder/A:Model', version: '1.0.0+build.1', number: 3 },
    ],
  ])('reads %s', (tag, parsed) => {
    expect(parseRegistryTag(tag)).toEqual(parsed);
  });

  it.each([
    'v1.0.0',
    'release-2024',
    'model@1.0.0',
    'model@v1.0',
    'model#prod#x',
    'model#prod#1#2',
    'model@v01.0.0',
    '@v1.0.0',
    // GTO's invalid tag names (iterative/gto tests/test_tag.py, test_parse_wrong_names):
    '',
    '###',
    '@@@',
    'model@v1',
    'nn#prod#-1',
    'model@v111',
    'model-prod',
    'model@0.0.1',
    'model#prod#1-2',
    'model#prod?#1-2',
    'model#prod@v1.2.3',
    'model@v1.2.3#prod',
    'model@prod@v1@stage-1',
    'namespace/model@0.0.1',
    '@namespace/model@0.0.1',
    'model#prod#v1#stage#1-',
    'model#prod-v1-stage@1-2#@',
    'a=b=c@v1.0.0',
    'm#p!!',
    'team//model@v1.0.0',
    'model#pro//d#1',
    `${'m'.repeat(101)}@v1.0.0`,
  ])('ignores %s (not a registry tag)', (tag) => {
    expect(parseRegistryTag(tag)).toBeUndefined();
  });

  it('writes what it reads', () => {
    expect(parseRegistryTag(releaseTag('m', '1.2.3'))).toEqual({
      action: 'register',
      name: 'm',
      version: '1.2.3',
    });
    expect(assignmentTag('m', 'canary', 7)).toBe('m#canary#7');
    expect(unassignmentTag('m', 'canary', 8)).toBe('m#canary!#8');
  });

  it.each([
    [
      'm#prod#999999999999999999999999',
      'counter 999999999999999999999999 is larger than 9007199254740990, the largest modelgate can count on from',
    ],
    [
      'm#prod!#9007199254740991',
      'counter 9007199254740991 is larger than 9007199254740990, the largest modelgate can count on from',
    ],
    [
      'm@v99999999999999999999.0.0',
      'version "99999999999999999999.0.0": major, minor and patch must each be at most 9007199254740991',
    ],
    ['m@created', 'GTO reserves name@created but does not read it (its registry fails on it)'],
  ])("ignores %s with a reason (a tag in the model's name it cannot use)", (tag, reason) => {
    expect(readRegistryTag(tag)).toEqual({ kind: 'ignored', name: 'm', reason });
    expect(parseRegistryTag(tag)).toBeUndefined();
  });
});

describe('one validator for names, versions and counters', () => {
  const manifestWith = (name: string, version: string) =>
    parseManifest(
      `apiVersion: modelgate.dev/v1\nkind: Model\nname: "${name}"\nversion: "${version}"\nartifacts: { config: c.json, tokenizer: t.json }\n`,
      'm.yaml',
    ).manifest !== undefined;

  it.each([
    ['m', '1.0.0'],
    ['team/llm_chat', '2.0.0-rc.1+build.7'],
    ['m', '9007199254740991.0.0'],
    ['a'.repeat(100), '1.0.0'],
    ['team//m', '1.0.0'],
    ['m', '99999999999999999999.0.0'],
    ['m', `1.0.0-${'a'.repeat(300)}`],
    ['m', '1.0'],
    ['a'.repeat(101), '1.0.0'],
  ])('the manifest schema and the tag parser agree on %s %s', (name, version) => {
    const valid = manifestWith(name, version);
    expect(valid).toBe(nameProblem(name) === undefined && versionProblem(version) === undefined);
    expect(parseRegistryTag(releaseTag(name, version)) !== undefined).toBe(valid);
  });

  it("reads tags of models GTO names and manifests do not (capitals): the registry is GTO's, the manifest rule stays stricter", () => {
    expect(manifestWith('M', '1.0.0')).toBe(false);
    expect(parseRegistryTag(releaseTag('M', '1.0.0'))).toEqual({
      action: 'register',
      name: 'M',
      version: '1.0.0',
    });
  });

  it('counts tags only while the next counter is still exact', () => {
    expect(tagCounter('1')).toBe(1);
    expect(tagCounter('9007199254740990')).toBe(9007199254740990);
    expect(tagCounter('9007199254740991')).toBeUndefined();
    expect(tagCounter('0')).toBe(0);
    expect(tagCounter('007')).toBe(7);
    expect(tagCounter('1e3')).toBeUndefined();
  });
});
