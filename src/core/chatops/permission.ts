import type { Command } from './command.js';

/** GitHub's repository roles, weakest first. */
export const LEVELS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

/** What a command asks for: the role it needs, and optionally teams the commenter must be in (any of them). */
export interface Requirement {
  permission: Level;
  /** `org/team-slug`, or `team-slug` in the repository's organization. */
  teams: string[];
}

/** The keys of `chatops.commands` in .github/modelgate.yml. */
export const COMMAND_KEYS = ['rollback', 'promote', 'canary', 'guard', 'ab', 'status', 'help'] as const;
export type CommandKey = (typeof COMMAND_KEYS)[number];

export interface ChatOpsSettings {
  /** The level every acting command needs unless it says otherwise (default write). */
  permission: Level;
  commands: Partial<Record<CommandKey, Partial<Requirement>>>;
  /** What to do with a `/word` that is not modelgate's: reply (default), or ignore it (another bot's command). */
  unknownCommands: 'reply' | 'ignore';
}

export const DEFAULT_CHATOPS: ChatOpsSettings = {
  permission: 'write',
  commands: {},
  unknownCommands: 'reply',
};

/**
 * Which settings key governs a command: `/canary status` and `/guard status`
 * are `status`; pause/resume/abort are `canary`; extend/stop/resume of the
 * production guard are `guard`; `/ab conclude` is `ab`.
 */
export function commandKey(command: Command): CommandKey | undefined {
  switch (command.name) {
    case 'rollback':
    case 'promote':
    case 'help':
      return command.name;
    case 'canary':
      return command.action === 'status' ? 'status' : 'canary';
    case 'guard':
      return command.action === 'status' ? 'status' : 'guard';
    case 'ab':
      return command.action === 'status' ? 'status' : 'ab';
    default:
      return undefined;
  }
}

/** Read-only commands need read access by default; the others the configured level. */
export function requirementOf(settings: ChatOpsSettings, key: CommandKey): Requirement {
  const own = settings.commands[key];
  const fallback: Level = key === 'status' || key === 'help' ? 'read' : settings.permission;
  return { permission: own?.permission ?? fallback, teams: own?.teams ?? [] };
}

/**
 * The commenter's level from GET /repos/{owner}/{repo}/collaborators/{username}/permission:
 * role_name names maintain and triage (and custom roles); permission is the
 * legacy base role (admin, write, read, none) that custom roles inherit from.
 */
export function levelOf(response: { permission: string; role_name?: string }): Level {
  const role = LEVELS.find((l) => l === response.role_name);
  if (role) return role;
  return LEVELS.find((l) => l === response.permission) ?? 'none';
}

export function reaches(actual: Level, required: Level): boolean {
  return LEVELS.indexOf(actual) >= LEVELS.indexOf(required);
}

/** `org/slug` for a team written as `slug` in a repository of `owner`. */
export function qualifiedTeam(team: string, owner: string): { org: string; slug: string } {
  const slash = team.indexOf('/');
  return slash < 0 ? { org: owner, slug: team } : { org: team.slice(0, slash), slug: team.slice(slash + 1) };
}
