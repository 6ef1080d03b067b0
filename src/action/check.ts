import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import { check } from '../core/check.js';
import { toMarkdown } from '../core/report/markdown.js';
import { stickyMarker } from '../core/report/sticky.js';
import { upsertStickyComment } from '../io/github/comments.js';
import { tokenIdentity } from '../io/github/identity.js';
import { createOctokit, statusOf } from '../io/github/octokit.js';
import { GitRepository } from '../io/git-repository.js';
import { readJudgingSettings } from '../io/judging-settings.js';
import { suiteRunnerFromEnvironment } from '../io/eval/suite-runner.js';
import { sharedTokenizerSandbox } from '../io/tokenizer-sandbox.js';
import { runReaderFromEnvironment } from '../io/tracking/run-reader.js';
import { annotate } from './annotate.js';
import { OUTPUTS, type ActionInputs } from './inputs.js';

interface PullRequestPayload {
  number?: number;
  base?: { repo?: { full_name?: string } };
  head?: { repo?: { full_name?: string } | null };
}

/**
 * `command: check`, on pull requests: validate and gate, one sticky comment on
 * the pull request (updated in place, never duplicated), the job summary,
 * annotations, and a failed step when a gate fails. A pull request from a
 * fork runs with no secrets: gates that need the endpoint say "not run".
 */
export async function runCheck(inputs: ActionInputs): Promise<void> {
  const root = resolve(inputs.root);
  const repo = new GitRepository(root);
  // With a base (a pull request), the base's settings judge it: the change's own never decide how.
  const judging = await readJudgingSettings(repo, root, inputs.base);
  const pull = context.payload.pull_request as PullRequestPayload | undefined;
  const fromFork = pull !== undefined && pull.head?.repo?.full_name !== pull.base?.repo?.full_name;
  const endpoint = inputs.evalEndpoint || process.env.MODELGATE_EVAL_BASE_URL;
  const runSuites = suiteRunnerFromEnvironment(
    {
      endpoint,
      model: inputs.evalModel || undefined,
      resultsDir: resolve(root, '.modelgate/results'),
      root,
      ...(fromFork ? { refuse: 'not run: no credentials (pull request from a fork)' } : {}),
      ...(!fromFork && !endpoint ? { refuse: 'not run: no credentials (eval-endpoint is not set)' } : {}),
    },
    core.debug,
    { ...process.env, ...(inputs.evalApiKey ? { MODELGATE_EVAL_API_KEY: inputs.evalApiKey } : {}) },
  );
  const report = await check(repo, {
    ...judging,
    allowEmpty: inputs.allowEmpty,
    root: inputs.root,
    base: inputs.base,
    runSuites,
    // A fork's run has no secrets: its training run is "not run", never read with someone else's key.
    readRun: runReaderFromEnvironment(
      process.env,
      fromFork ? { refuse: 'no credentials (pull request from a fork)' } : {},
    ),
    tokenizerRunner: sharedTokenizerSandbox(),
    progress: core.debug,
  });
  annotate(report.findings, root);
  const markdown = toMarkdown(report, 'modelgate check');
  await core.summary.addRaw(markdown).write();
  core.setOutput(OUTPUTS.errorCount, report.summary.errors);
  core.setOutput(OUTPUTS.errors, report.summary.errors);
  core.setOutput(OUTPUTS.requiredBump, report.summary.requiredBump);
  core.setOutput(OUTPUTS.findingsJson, JSON.stringify(report.findings));
  core.setOutput(OUTPUTS.gatesJson, JSON.stringify(report.gates));

  if (pull?.number !== undefined && inputs.token) {
    const octokit = createOctokit(inputs.token, core.warning);
    try {
      // Only a comment this token's identity wrote is edited: anyone can post one with the marker.
      const self = await tokenIdentity(octokit, core.warning);
      const comment = await upsertStickyComment(
        octokit,
        context.repo,
        pull.number,
        stickyMarker('check', 'all'),
        markdown,
        self,
      );
      for (const stranger of comment.strangers)
        core.warning(
          `ignored ${stranger.html_url} by ${stranger.user ? `@${stranger.user.login}` : 'a deleted account'}: it carries modelgate's check marker, but ${self.login} did not write it`,
        );
      core.info(`pull-request comment ${comment.action}: ${comment.url}`);
    } catch (error) {
      // A fork's token is read-only: the report still reaches the job summary.
      const status = statusOf(error);
      if (status !== 403 && status !== 404) throw error;
      core.warning(
        `could not write the pull-request comment (GitHub answered ${status}); the report is in the job summary`,
      );
    }
  }
  if (report.summary.errors > 0)
    core.setFailed(
      `modelgate check: ${report.summary.errors} error(s); see the pull-request comment and the annotations`,
    );
}
