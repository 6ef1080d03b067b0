import type { ReleaseTagFacts } from '../../core/deploy/plan.js';
import { readDeploymentPayload } from '../../core/release/plan.js';
import { CommandError } from '../../core/repository.js';
import { statusOf, type Octokit } from '../github/octokit.js';
import { parseSettings, SETTINGS_FILE, SETTINGS_MAX_BYTES, type Settings } from '../settings.js';

type Repo = { owner: string; repo: string };

/** The states a deployer reports (GitHub's deployment status states that modelgate uses). */
export type DeployerState = 'in_progress' | 'success' | 'failure' | 'inactive';

/** How far back the deployer looks for the version live in production. */
const LIVE_LOOKBACK = 10;

/** The GitHub calls the deployer needs, and nothing else: a narrow surface over the REST API. */
export interface DeployerApi {
  /** `.github/modelgate.yml` on the default branch: trusted, unlike anything a pull request changed. */
  settings(): Promise<Settings>;
  releaseTag(tag: string): Promise<ReleaseTagFacts>;
  /** The newest modelgate deployment of `model` in `environment`. */
  newestDeployment(environment: string, model: string): Promise<number | undefined>;
  /** The version of the newest deployment of `model` in `environment` whose newest status is success. */
  liveVersion(environment: string, model: string): Promise<string | undefined>;
  latestStatus(deployment: number): Promise<{ state: string; description: string } | undefined>;
  postStatus(deployment: number, state: DeployerState, description: string, logUrl?: string): Promise<void>;
}

/** DeployerApi over the GitHub REST API for the registry's repository. */
export function githubDeployerApi(octokit: Octokit, repo: Repo): DeployerApi {
  const modelgateDeployments = async (environment: string, model: string) => {
    const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment, per_page: 30 });
    return data.filter((d) => readDeploymentPayload(d.payload)?.model === model);
  };
  const latestStatus = async (deployment: number) => {
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: deployment,
      per_page: 1,
    });
    return data[0] && { state: data[0].state, description: data[0].description ?? '' };
  };
  return {
    async settings() {
      const { data: repository } = await octokit.rest.repos.get(repo);
      let text: string | undefined;
      try {
        const { data } = await octokit.rest.repos.getContent({
          ...repo,
          path: SETTINGS_FILE,
          ref: repository.default_branch,
        });
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
          throw new CommandError(`${SETTINGS_FILE} on ${repository.default_branch} is not a file`);
        if (data.size > SETTINGS_MAX_BYTES)
          throw new CommandError(`${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`);
        text = Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      return parseSettings(text);
    },
    async releaseTag(tag) {
      let ref;
      try {
        ref = (await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` })).data;
      } catch (error) {
        if (statusOf(error) === 404) return { exists: false };
        throw error;
      }
      // GET /git/ref/tags/x also answers for a ref that only starts with x: take exact names only.
      if (ref.ref !== `refs/tags/${tag}`) return { exists: false };
      if (ref.object.type !== 'tag') return { exists: true, annotated: false, commit: ref.object.sha };
      const { data: annotated } = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.object.sha });
      // A tag of a tag is not a release (GTO cannot read it either): report it as pointing at no commit.
      return {
        exists: true,
        annotated: true,
        commit: annotated.object.type === 'commit' ? annotated.object.sha : `a ${annotated.object.type}`,
      };
    },
    async newestDeployment(environment, model) {
      return (await modelgateDeployments(environment, model))[0]?.id;
    },
    async liveVersion(environment, model) {
      for (const deployment of (await modelgateDeployments(environment, model)).slice(0, LIVE_LOOKBACK)) {
        const status = await latestStatus(deployment.id);
        if (status?.state === 'success') return readDeploymentPayload(deployment.payload)?.version;
      }
      return undefined;
    },
    latestStatus,
    async postStatus(deployment, state, description, logUrl) {
      await octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: deployment,
        state,
        description,
        ...(logUrl ? { log_url: logUrl } : {}),
        // A newer success marks the earlier ones of the environment inactive, as GitHub shows them.
        auto_inactive: true,
      });
    },
  };
}
