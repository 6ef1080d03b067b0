import * as core from '@actions/core';
import { context } from '@actions/github';

export const COMMANDS = ['validate', 'check', 'release', 'rollback'] as const;
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
  /** check: the OpenAI-compatible endpoint of eval.suites, its key and model name. */
  evalEndpoint: string;
  evalApiKey: string;
  evalModel: string;
  /** rollback: the model, and the version to go back to (default: the last good release). */
  model: string;
  to: string;
}

/** Every output the Action sets (action.yml), in one place. */
export const OUTPUTS = {
  errors: 'errors',
  requiredBump: 'required-bump',
  findingsJson: 'findings-json',
  released: 'released',
  gatesJson: 'gates-json',
  pullRequest: 'pull-request',
} as const;

export function readInputs(): ActionInputs {
  const command = (core.getInput('command') || 'validate') as ActionCommand;
  if (!COMMANDS.includes(command))
    throw new Error(`input "command" must be one of ${COMMANDS.join(', ')}, not "${command}"`);
  const base = core.getInput('base') || pullRequestBase();
  const token = core.getInput('github-token');
  const evalApiKey = core.getInput('eval-api-key');
  for (const secret of [token, evalApiKey]) if (secret) core.setSecret(secret);
  return {
    command,
    root: core.getInput('root') || '.',
    ...(base ? { base } : {}),
    token,
    dryRun: core.getInput('dry-run') !== '' && core.getBooleanInput('dry-run'),
    evalEndpoint: core.getInput('eval-endpoint'),
    evalApiKey,
    evalModel: core.getInput('eval-model'),
    model: core.getInput('model'),
    to: core.getInput('to'),
  };
}

function pullRequestBase(): string | undefined {
  const pullRequest = context.payload.pull_request as { base?: { sha?: unknown } } | undefined;
  return typeof pullRequest?.base?.sha === 'string' ? pullRequest.base.sha : undefined;
}
