import { describe, expect, it } from 'vitest';
import {
  commandKey,
  DEFAULT_CHATOPS,
  levelOf,
  qualifiedTeam,
  reaches,
  requirementOf,
} from '../../../src/core/chatops/permission.js';
import { parseCommand } from '../../../src/core/chatops/command.js';
import { parseSettings } from '../../../src/io/settings.js';

describe('ChatOps permissions', () => {
  it("reads GitHub's answer: role_name for maintain, triage and the base roles; permission for custom roles", () => {
    expect(levelOf({ permission: 'write', role_name: 'maintain' })).toBe('maintain');
    expect(levelOf({ permission: 'read', role_name: 'triage' })).toBe('triage');
    expect(levelOf({ permission: 'admin', role_name: 'admin' })).toBe('admin');
    expect(levelOf({ permission: 'write', role_name: 'release-engineer' })).toBe('write');
    expect(levelOf({ permission: 'none', role_name: '' })).toBe('none');
    expect(levelOf({ permission: 'sudo', role_name: 'root' })).toBe('none');
  });

  it('orders the levels', () => {
    expect(reaches('maintain', 'write')).toBe(true);
    expect(reaches('write', 'write')).toBe(true);
    expect(reaches('triage', 'write')).toBe(false);
    expect(reaches('none', 'read')).toBe(false);
  });

  it('read-only commands need read by default, the others the configured level', () => {
    const key = (body: string) => commandKey(parseCommand(body)!)!;
    expect(requirementOf(DEFAULT_CHATOPS, key('/help'))).toEqual({ permission: 'read', teams: [] });
    expect(requirementOf(DEFAULT_CHATOPS, key('/canary status'))).toEqual({ permission: 'read', teams: [] });
    expect(requirementOf(DEFAULT_CHATOPS, key('/canary abort'))).toEqual({ permission: 'write', teams: [] });
    // The production guard: the same rules as the canary (status reads, the rest acts).
    expect(key('/guard status')).toBe('status');
    expect(key('/guard')).toBe('status');
    expect(key('/guard extend 6h')).toBe('guard');
    expect(key('/guard stop')).toBe('guard');
    expect(key('/guard resume')).toBe('guard');
    expect(requirementOf(DEFAULT_CHATOPS, key('/guard stop'))).toEqual({ permission: 'write', teams: [] });
    const settings = parseSettings(
      'chatops:\n  permission: maintain\n  commands:\n    promote: { permission: admin, teams: [release, other-org/sre] }\n    status: { permission: triage }\n',
    ).chatops;
    expect(requirementOf(settings, key('/rollback'))).toEqual({ permission: 'maintain', teams: [] });
    expect(requirementOf(settings, key('/promote'))).toEqual({
      permission: 'admin',
      teams: ['release', 'other-org/sre'],
    });
    expect(requirementOf(settings, key('/canary'))).toEqual({ permission: 'triage', teams: [] });
    expect(requirementOf(settings, key('/guard status'))).toEqual({ permission: 'triage', teams: [] });
    expect(requirementOf(settings, key('/guard extend 1d'))).toEqual({ permission: 'maintain', teams: [] });
    const guardOnly = parseSettings(
      'chatops:\n  commands:\n    guard: { permission: admin, teams: [sre] }\n',
    ).chatops;
    expect(requirementOf(guardOnly, key('/guard stop'))).toEqual({ permission: 'admin', teams: ['sre'] });
    expect(requirementOf(guardOnly, key('/canary abort'))).toEqual({ permission: 'write', teams: [] });
    expect(qualifiedTeam('release', 'acme')).toEqual({ org: 'acme', slug: 'release' });
    expect(qualifiedTeam('other-org/sre', 'acme')).toEqual({ org: 'other-org', slug: 'sre' });
  });

  it('a misspelt or unknown key in chatops is an error, never a silent default', () => {
    expect(() => parseSettings('chatops:\n  permision: read\n')).toThrow(
      '.github/modelgate.yml: chatops.permision: unknown setting',
    );
    expect(() => parseSettings('chatops:\n  commands:\n    deploy: { permission: read }\n')).toThrow(
      '.github/modelgate.yml: chatops.commands.deploy: unknown setting',
    );
    expect(() => parseSettings('chatops:\n  permission: owner\n')).toThrow('chatops.permission');
    expect(() => parseSettings('chatops:\n  commands:\n    promote: { teams: ["a b"] }\n')).toThrow(
      'a team slug, or org/slug',
    );
  });
});
