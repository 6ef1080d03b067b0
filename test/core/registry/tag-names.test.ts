import { describe, expect, it } from 'vitest';
import {
  assignmentTag,
  parseRegistryTag,
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
  ])('reads %s', (tag, parsed) => {
    expect(parseRegistryTag(tag)).toEqual(parsed);
  });

  it.each([
    'v1.0.0',
    'release-2024',
    'model@1.0.0',
    'model@v1.0',
    'Model@v1.0.0',
    'model#prod#0',
    'model#prod#x',
    'model#prod#1#2',
    'model@v01.0.0',
    'model#Prod#1',
    '@v1.0.0',
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
});
