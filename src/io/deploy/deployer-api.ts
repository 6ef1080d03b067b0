import type { ReleaseTagFacts } from '../../core/deploy/plan.js';
import { parseDeploymentPayload, readDeploymentPayload } from '../../core/release/plan.js';
import { releaseTag } from '../../core/registry/tag-names.js';
import { CommandError } from '../../core/repository.js';
import { statusOf, type Octokit } from '../github/octokit.js';
import { parseSettings, SETTINGS_FILE, SETTINGS_MAX_BYTES, type Settings } from '../settings.js';

type Repo = { owner: string; repo: string };

/** The states a deployer reports (GitHub's deployment status states that modelgate uses). */
export type DeployerState = 'in_progress' | 'success' | 'failure' | 'inactive';

/** How far back the deployer looks for the version live in production. */
const LIVE_LOOKBACK = 10;
/** Pages of 100 deployments read at most to find a model's in a shared environment (or in the repository). */
const DEPLOYMENT_PAGES = 3;

/** The GitHub calls the deployer needs, and nothing else: a narrow surface over the REST API. */
export interface DeployerApi {
  /** `.github/modelgate.yml` on the default branch: trusted, unlike anything a pull request changed. */
  settings(): Promise<Settings>;
  releaseTag(tag: string): Promise<ReleaseTagFacts>;
  /**
   * The newest modelgate deployment of `model` in any environment: a canary step, a promotion, a
   * switch back and a rollback all route the same model's traffic, so a deployment is superseded by
   * a newer one wherever it is. Undefined when none is among the repository's newest.
   */
  newestDeployment(model: string): Promise<number | undefined>;
  /**
   * The version live in `environment`: the newest deployment of the model
   * whose newest status is `success`; undefined when the model was never
   * deployed there (a first release); `unknown` when it was, but none of the
   * newest ones is reported live (the split cannot be told). Only deployments that carry all the
   * traffic count (weight 100 without a mirror, or a blue-green `active`): never a rollout's step.
   */
  liveVersion(environment: string, model: string): Promise<string | undefined | { unknown: string }>;
  latestStatus(deployment: number): Promise<{ state: string; description: string } | undefined>;
  postStatus(deployment: number, state: DeployerState, description: string, logUrl?: string): Promise<void>;
}

/** DeployerApi over the GitHub REST API for the registry's repository. */
export function githubDeployerApi(octokit: Octokit, repo: Repo): DeployerApi {
  // Only payloads that keep the contract count: a version string from anyone with deployments: write
  // goes into rendered files and Service names, so it is never read loosely. Several pages: a shared
  // production environment holds other models' deployments too.
  const modelgateDeployments = async (environment: string | undefined, model: string) => {
    const found: { id: number; ref: string; sha: string; version: string | undefined; whole: boolean }[] = [];
    let page = 0;
    // Whether the listing was read to its end: a model not found in a cut listing may be further back.
    let complete = true;
    for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
      ...repo,
      ...(environment === undefined ? {} : { environment }),
      per_page: 100,
    })) {
      for (const d of data) {
        if (readDeploymentPayload(d.payload)?.model !== model) continue;
        // A deployment of the model whose payload breaks the contract is never live, but it is there:
        // production is then not "never deployed" (which would let a canary take every request).
        const parsed = parseDeploymentPayload(d.payload);
        // Only a deployment that carries all the traffic makes a version live (liveVersion): a promotion, a
        // rollback, a blue-green switch. A rollout's partial step (a repository whose only stage is
        // production rolls out there) never does, so a version that failed at its second step is not
        // "live" for the next one.
        const whole =
          !parsed.ok ||
          parsed.payload.role === 'active' ||
          (parsed.payload.weight === 100 && parsed.payload.mirror === undefined);
        found.push({
          id: d.id,
          ref: d.ref,
          sha: d.sha,
          version: parsed.ok ? parsed.payload.version : undefined,
          whole,
        });
      }
      if (++page >= DEPLOYMENT_PAGES || found.length >= LIVE_LOOKBACK) {
        complete = data.length < 100;
        break;
      }
    }
    return { found, complete };
  };
  const latestStatus = async (deployment: number) => {
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: deployment,
      per_page: 1,
    });
    return data[0] && { state: data[0].state, description: data[0].description ?? '' };
  };
  const releaseTagFacts = async (tag: string): Promise<ReleaseTagFacts> => {
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
    releaseTag: (tag) => releaseTagFacts(tag),
    async newestDeployment(model) {
      return (await modelgateDeployments(undefined, model)).found[0]?.id;
    },
    async liveVersion(environment, model) {
      const { found, complete } = await modelgateDeployments(environment, model);
      const deployments = found.filter((d) => d.whole);
      for (const deployment of deployments.slice(0, LIVE_LOOKBACK)) {
        const { version } = deployment;
        if (version === undefined) continue;
        const status = await latestStatus(deployment.id);
        if (status?.state !== 'success') continue;
        // Live only as a release: anyone with deployments: write can make a deployment and report it a
        // success, and its version would name the Service the rest of the traffic goes to.
        const tag = releaseTag(model, version);
        const facts = deployment.ref === tag ? await releaseTagFacts(tag) : undefined;
        if (facts?.exists && facts.annotated && facts.commit === deployment.sha) return version;
      }
      if (!found.length && complete) return undefined;
      if (!found.length)
        return {
          unknown: `no deployment of ${model} is among the ${DEPLOYMENT_PAGES * 100} newest in ${environment}, so whether it was ever deployed there cannot be told`,
        };
      return {
        unknown: `none of the ${Math.min(deployments.length, LIVE_LOOKBACK)} newest ${environment} deployments of ${model} reports success as a release`,
      };
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
