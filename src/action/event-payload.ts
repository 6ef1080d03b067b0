import { existsSync, readFileSync } from 'node:fs';

/**
 * The event that started the workflow run (GITHUB_EVENT_PATH), as
 * @actions/github's context reads it: {} when there is none. Read here so
 * that reading inputs does not load Octokit and its HTTP stack (about 60 ms of
 * every step's start); the commands that call GitHub use the context itself.
 */
export function eventPayload(): Record<string, unknown> {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}
