import * as core from '@actions/core';
import { context } from '@actions/github';

/** Every input the Action reads (action.yml), in one place. */
export interface ActionInputs {
  command: 'validate';
  root: string;
  /** The ref to compare with: the input, else the pull request's base commit, else none. */
  base?: string;
}

/** Every output the Action sets (action.yml), in one place. */
export const OUTPUTS = {
  errors: 'errors',
  requiredBump: 'required-bump',
  findingsJson: 'findings-json',
} as const;

export function readInputs(): ActionInputs {
  const command = core.getInput('command') || 'validate';
  if (command !== 'validate') throw new Error(`input "command" must be "validate", not "${command}"`);
  const base = core.getInput('base') || pullRequestBase();
  return { command, root: core.getInput('root') || '.', ...(base ? { base } : {}) };
}

function pullRequestBase(): string | undefined {
  const pullRequest = context.payload.pull_request as { base?: { sha?: unknown } } | undefined;
  return typeof pullRequest?.base?.sha === 'string' ? pullRequest.base.sha : undefined;
}
