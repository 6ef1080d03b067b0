import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import type { DeploymentRecord } from '../core/deploy/plan.js';
import { CommandError } from '../core/repository.js';
import { inertText } from '../core/report/escape.js';
import { deployOnce } from '../io/deploy/apply-deploy.js';
import { githubDeployerApi } from '../io/deploy/deployer-api.js';
import { createOctokit } from '../io/github/octokit.js';
import { OUTPUTS, type ActionInputs } from './inputs.js';

/**
 * `command: deploy`, in a workflow `on: deployment`: turns a modelgate
 * Deployment into traffic on the configured target and reports the
 * deployment's statuses with a link to this run. What is deployed comes
 * from GitHub (the event, the release tag, the default branch's settings)
 * and from the workflow, never from a pull request.
 */
export async function runDeploy(inputs: ActionInputs): Promise<void> {
  const deployment = deploymentOfEvent();
  if (!inputs.token)
    throw new CommandError(
      'input "github-token" is empty',
      'Pass a token with deployments: write and contents: read.',
    );
  const octokit = createOctokit(inputs.token, core.warning);
  const outcome = await deployOnce(deployment, {
    api: githubDeployerApi(octokit, context.repo),
    repo: context.repo,
    gitops: inputs.gitopsToken ? createOctokit(inputs.gitopsToken, core.warning) : octokit,
    root: resolve(inputs.root),
    ...(inputs.target ? { target: inputs.target } : {}),
    ...(inputs.reloadCommand ? { reloadCommand: inputs.reloadCommand } : {}),
    logUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`,
    dryRun: inputs.dryRun,
    log: (line) => core.info(inertText(line)),
  });
  const record = { deployment: deployment.id, state: outcome.kind };
  switch (outcome.kind) {
    case 'foreign':
      core.setOutput(OUTPUTS.deployed, JSON.stringify(record));
      core.setFailed(
        `${outcome.reason}: not modelgate's to deploy, nothing changed and no status reported (run this step only for modelgate deployments: if: github.event.deployment.payload.model)`,
      );
      return;
    case 'refused':
      core.setOutput(OUTPUTS.deployed, JSON.stringify(record));
      core.setFailed(`${inertText(outcome.reason)}${outcome.fix ? ` (${outcome.fix})` : ''}`);
      return;
    case 'superseded':
      core.setOutput(OUTPUTS.deployed, JSON.stringify({ ...record, supersededBy: outcome.by }));
      core.notice(
        `deployment ${deployment.id} was superseded by deployment ${outcome.by}: traffic not changed`,
      );
      return;
    default: {
      const { content, ...rest } = outcome;
      core.setOutput(OUTPUTS.deployed, JSON.stringify({ ...record, ...rest, state: outcome.kind }));
      core.info(inertText(outcome.summary));
      const heading = outcome.kind === 'dry-run' ? 'modelgate deploy (dry run)' : 'modelgate deploy';
      await core.summary
        .addHeading(heading, 2)
        .addRaw(`${inertText(outcome.summary)} (${outcome.target}, ${inertText(outcome.path)})`, true)
        .addCodeBlock(content)
        .write();
    }
  }
}

/** The deployment of a `deployment` event (GitHub wrote the event file; the runner trusts it, and so do we). */
function deploymentOfEvent(): DeploymentRecord {
  const deployment = (context.payload as { deployment?: Partial<DeploymentRecord> }).deployment;
  if (context.eventName !== 'deployment' || !deployment)
    throw new CommandError(
      `command: deploy runs on deployment events, not "${context.eventName}"`,
      'Run it in a workflow "on: deployment".',
    );
  const { id, sha, ref, environment, payload } = deployment;
  if (
    typeof id !== 'number' ||
    typeof sha !== 'string' ||
    typeof ref !== 'string' ||
    typeof environment !== 'string'
  )
    throw new CommandError('the deployment event has no id, sha, ref or environment');
  return { id, sha, ref, environment, payload };
}
