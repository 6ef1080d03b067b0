import * as core from '@actions/core';
import { context } from '@actions/github';

export const COMMANDS = ['validate', 'release'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

/** Every input the Action reads (action.yml), in one place. */
export interface ActionInputs {
  command: ActionCommand;
  root: string;
  /** validate: the ref to compare with (the input, else the pull request's base commit). */
  base?: string;
  /** release: the token that creates tags, releases and deployments. */
  token: string;
  /** release: print the plan, change nothing. */
  dryRun: boolean;
}

/** Every output the Action sets (action.yml), in one place. */
export const OUTPUTS = {
  errors: 'errors',
  requiredBump: 'required-bump',
  findingsJson: 'findings-json',
  released: 'released',
} as const;

export function readInputs(): ActionInputs {
  const command = (core.getInput('command') || 'validate') as ActionCommand;
  if (!COMMANDS.includes(command))
    throw new Error(`input "command" must be one of ${COMMANDS.join(', ')}, not "${command}"`);
  const base = core.getInput('base') || pullRequestBase();
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  return {
    command,
    root: core.getInput('root') || '.',
    ...(base ? { base } : {}),
    token,
    dryRun: core.getInput('dry-run') !== '' && core.getBooleanInput('dry-run'),
  };
}

function pullRequestBase(): string | undefined {
  const pullRequest = context.payload.pull_request as { base?: { sha?: unknown } } | undefined;
  return typeof pullRequest?.base?.sha === 'string' ? pullRequest.base.sha : undefined;
}
