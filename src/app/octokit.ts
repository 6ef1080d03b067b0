import type { ProbotOctokit } from 'probot';
import type { Octokit } from '../io/github/octokit.js';

/**
 * Probot's Octokit and the Action's are the same REST client built from
 * sibling plugin versions; the helpers in src/io/github take the Action's
 * type. This is the one place the app crosses that line.
 */
export function asOctokit(octokit: InstanceType<typeof ProbotOctokit>): Octokit {
  return octokit as unknown as Octokit;
}
