import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/core/chatops/command.js';

describe('parseCommand', () => {
  it.each([
    ['/rollback', { name: 'rollback', plan: false }],
    ['/rollback gpt2', { name: 'rollback', model: 'gpt2', plan: false }],
    ['/rollback gpt2 to 1.2.0', { name: 'rollback', model: 'gpt2', to: '1.2.0', plan: false }],
    ['/rollback to v1.2.0 --plan', { name: 'rollback', to: '1.2.0', plan: true }],
    [
      '/rollback --plan to 1.2.0-rc.1 org/gpt2',
      { name: 'rollback', model: 'org/gpt2', to: '1.2.0-rc.1', plan: true },
    ],
    ['/Rollback  gpt2\r\nbecause the canary looks off', { name: 'rollback', model: 'gpt2', plan: false }],
    ['/promote', { name: 'promote' }],
    ['/promote gpt2', { name: 'promote', model: 'gpt2' }],
    ['/canary', { name: 'canary', action: 'status' }],
    ['/canary status', { name: 'canary', action: 'status' }],
    ['/canary PAUSE gpt2', { name: 'canary', action: 'pause', model: 'gpt2' }],
    ['/canary resume', { name: 'canary', action: 'resume' }],
    ['/canary abort gpt2', { name: 'canary', action: 'abort', model: 'gpt2' }],
    ['/guard', { name: 'guard', action: 'status' }],
    ['/guard status gpt2', { name: 'guard', action: 'status', model: 'gpt2' }],
    ['/guard STOP', { name: 'guard', action: 'stop' }],
    ['/guard resume gpt2', { name: 'guard', action: 'resume', model: 'gpt2' }],
    ['/guard extend 6h', { name: 'guard', action: 'extend', extend: { ms: 21_600_000, text: '6h' } }],
    [
      '/guard extend 2D org/gpt2',
      { name: 'guard', action: 'extend', model: 'org/gpt2', extend: { ms: 172_800_000, text: '2d' } },
    ],
    ['/help', { name: 'help' }],
    ['  /help  ', { name: 'help' }],
  ])('%j', (body, command) => {
    expect(parseCommand(body)).toEqual(command);
  });

  it.each([
    ['/rollback to', 'rollback', '"to" needs a version'],
    ['/rollback to latest', 'rollback', '"latest" is not a version (like 1.2.0)'],
    ['/rollback gpt2 llama', 'rollback', 'too many arguments'],
    ['/rollback <b>x</b>', 'rollback', '"<b>x</b>" is not a model name'],
    ['/promote a b', 'promote', 'too many arguments'],
    ['/canary restart', 'canary', '"restart" is not a canary action'],
    ['/canary pause a b', 'canary', 'too many arguments'],
    ['/guard pause', 'guard', '"pause" is not a guard action'],
    ['/guard stop a b', 'guard', 'too many arguments'],
    ['/guard extend', 'guard', '"extend" needs a duration such as 6h'],
    ['/guard extend gpt2', 'guard', '"gpt2" is not a duration (such as 30m, 6h or 2d)'],
    ['/guard extend 90s', 'guard', '"90s" is not a duration (such as 30m, 6h or 2d)'],
    ['/guard extend 5m', 'guard', 'an extension is between 10m and 30d, not 5m'],
    ['/guard extend 31d', 'guard', 'an extension is between 10m and 30d, not 31d'],
    ['/guard extend 6h gpt2 more', 'guard', 'too many arguments'],
    ['/guard extend 6h <b>x</b>', 'guard', '"<b>x</b>" is not a model name'],
    ['/help me', 'help', '/help takes no arguments'],
    [`/promote ${'a'.repeat(300)}`, 'promote', 'the command is longer than 200 characters'],
  ])('%j is ours, with arguments that do not fit', (body, command, problem) => {
    expect(parseCommand(body)).toEqual({ name: 'invalid', command, problem });
  });

  it('a slash word that is not ours is unknown; anything else is not a command', () => {
    expect(parseCommand('/rolback gpt2')).toEqual({ name: 'unknown', word: 'rolback' });
    expect(parseCommand('/lgtm')).toEqual({ name: 'unknown', word: 'lgtm' });
    for (const body of [
      '',
      'rollback',
      'please /rollback',
      '> /rollback',
      '/',
      '/ rollback',
      '/123',
      '<!-- modelgate:reply -->\n/rollback',
    ])
      expect(parseCommand(body)).toBeUndefined();
  });
});
