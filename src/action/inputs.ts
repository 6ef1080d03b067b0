import * as core from '@actions/core';
import { eventPayload } from './event-payload.js';
import { CommandError } from '../core/repository.js';

export const COMMANDS = ['validate', 'check', 'release', 'rollback', 'deploy'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

/** Every input the Action reads (action.yml), in one place. */
export interface ActionInputs {
  command: ActionCommand;
  root: string;
  /** validate: the ref to compare with (the input, else the pull request's base commit). */
  base?: string;
  /** validate, check: a registry with no manifest passes (otherwise the step fails: nothing was checked). */
  allowEmpty: boolean;
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
  /** deploy: the target to route (gateway-api, kserve, nginx; default the only one configured). */
  target: string;
  /** deploy, nginx: the workflow's command that reloads nginx after the file changed. */
  reloadCommand: string;
  /** deploy: the token that commits GitOps files (default: github-token). */
  gitopsToken: string;
}

/** Every input the Action reads, by its name in action.yml (a test holds the two together). */
export const INPUTS = {
  command: 'command',
  root: 'root',
  base: 'base',
  allowEmpty: 'allow-empty',
  githubToken: 'github-token',
  evalEndpoint: 'eval-endpoint',
  evalApiKey: 'eval-api-key',
  evalModel: 'eval-model',
  model: 'model',
  to: 'to',
  dryRun: 'dry-run',
  target: 'target',
  reloadCommand: 'reload-command',
  gitopsToken: 'gitops-token',
} as const;

/** Every output the Action sets (action.yml), in one place. */
export const OUTPUTS = {
  errorCount: 'error-count',
  /** Deprecated name of error-count, set too until 1.0. */
  errors: 'errors',
  requiredBump: 'required-bump',
  findingsJson: 'findings-json',
  releasedJson: 'released-json',
  /** Deprecated name of released-json, set too until 1.0. */
  released: 'released',
  gatesJson: 'gates-json',
  pullRequest: 'pull-request',
  deployed: 'deployed',
} as const;

export function readInputs(): ActionInputs {
  const command = (core.getInput(INPUTS.command) || 'validate') as ActionCommand;
  if (!COMMANDS.includes(command))
    throw new CommandError(`input "command" must be one of ${COMMANDS.join(', ')}, not "${command}"`);
  const base = core.getInput(INPUTS.base) || pullRequestBase();
  const token = core.getInput(INPUTS.githubToken);
  const evalApiKey = core.getInput(INPUTS.evalApiKey);
  const gitopsToken = core.getInput(INPUTS.gitopsToken);
  for (const secret of [token, evalApiKey, gitopsToken]) if (secret) core.setSecret(secret);
  return {
    command,
    root: core.getInput(INPUTS.root) || '.',
    ...(base ? { base } : {}),
    allowEmpty: booleanInput(INPUTS.allowEmpty),
    token,
    dryRun: booleanInput(INPUTS.dryRun),
    evalEndpoint: core.getInput(INPUTS.evalEndpoint),
    evalApiKey,
    evalModel: core.getInput(INPUTS.evalModel),
    model: core.getInput(INPUTS.model),
    to: core.getInput(INPUTS.to),
    target: core.getInput(INPUTS.target),
    reloadCommand: core.getInput(INPUTS.reloadCommand),
    gitopsToken,
  };
}

/** A true/false input (YAML 1.2 core schema words); empty is false; anything else fails the step with the input named. */
function booleanInput(name: string): boolean {
  return core.getInput(name) !== '' && core.getBooleanInput(name);
}

function pullRequestBase(): string | undefined {
  const pullRequest = eventPayload().pull_request as { base?: { sha?: unknown } } | undefined;
  return typeof pullRequest?.base?.sha === 'string' ? pullRequest.base.sha : undefined;
}
