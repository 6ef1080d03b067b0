import { takesAllTraffic, type NewerDeployment, type ReleaseTagFacts } from '../../core/deploy/plan.js';
import type { ReleasedWeights } from '../../core/deploy/storage-binding.js';
import { MANIFEST_MAX_BYTES } from '../../core/manifest/parse.js';
import { checkRepoPath } from '../../core/repo-path.js';
import { manifestLine } from '../../core/release/manifest-line.js';
import { parseDeploymentPayload, readDeploymentPayload } from '../../core/release/plan.js';
import { releaseTag } from '../../core/registry/tag-names.js';
import { CommandError } from '../../core/repository.js';
import type { TagRecord } from '../../core/registry/state.js';
import { statusOf, type Octokit } from '../github/octokit.js';
import { versionTagRecords } from '../github/registry-tags.js';
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
  /** The tags that register and deregister `version` of `model` (versionTagRecords). */
  registration(model: string, version: string): Promise<TagRecord[]>;
  /**
   * The model's modelgate deployments newer than deployment `id`, in any environment, newest
   * first, that can route traffic (their payload keeps the contract and their ref is their
   * version's release tag); undefined when the listing (the repository's newest) did not reach `id`.
   */
  newerDeployments(model: string, id: number): Promise<NewerDeployment[] | undefined>;
  /**
   * The version live in `environment`: the newest deployment of the model
   * whose newest status is `success` and that is a release (its ref the
   * version's release tag, annotated, on its commit); undefined when the model
   * never had one there (a first release); `unknown` when it had, but none of
   * the newest is live, or when the listing ended before the model's (the
   * split cannot be told). Only deployments that carry all the traffic count
   * (weight 100 without a mirror, or a blue-green `active`): never a rollout's step.
   */
  liveVersion(environment: string, model: string): Promise<string | undefined | { unknown: string }>;
  latestStatus(deployment: number): Promise<{ state: string; description: string } | undefined>;
  /**
   * The manifest at `path` as the released commit holds it (KServe ties its storageUri to the
   * weights there); a GitHub failure other than 404 is a CommandError (the deployment fails).
   */
  releasedManifest(path: string, commit: string): Promise<ReleasedWeights>;
  postStatus(deployment: number, state: DeployerState, description: string, logUrl?: string): Promise<void>;
}

/** DeployerApi over the GitHub REST API for the registry's repository. */
export function githubDeployerApi(octokit: Octokit, repo: Repo): DeployerApi {
  // The repository's deployments (of `environment`, when given), newest first: pages of 100, at
  // most DEPLOYMENT_PAGES, until `enough` holds. `cut` when pages were left unread.
  const listed = async (
    environment: string | undefined,
    enough: (seen: readonly ListedDeployment[]) => boolean,
  ) => {
    const seen: ListedDeployment[] = [];
    let page = 0;
    for await (const { data, headers } of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
      ...repo,
      ...(environment === undefined ? {} : { environment }),
      per_page: 100,
    })) {
      seen.push(...data.map(listedDeployment));
      if (enough(seen)) return { seen, cut: false };
      if (++page >= DEPLOYMENT_PAGES) return { seen, cut: /rel="next"/.test(headers.link ?? '') };
    }
    return { seen, cut: false };
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
    const manifest = manifestLine(annotated.message);
    return {
      exists: true,
      annotated: true,
      commit: annotated.object.type === 'commit' ? annotated.object.sha : `a ${annotated.object.type}`,
      ...(manifest === undefined ? {} : { manifest }),
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
    async releasedManifest(path, commit) {
      const checked = checkRepoPath(path);
      if (!checked.ok || !checked.path)
        return { manifest: path, unreadable: `the path ${checked.ok ? 'is empty' : checked.reason}` };
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path: checked.path, ref: commit });
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
          return { manifest: checked.path, unreadable: 'it is not a file' };
        if (data.size > MANIFEST_MAX_BYTES)
          return { manifest: checked.path, unreadable: `it is larger than ${MANIFEST_MAX_BYTES / 1024} KiB` };
        return { manifest: checked.path, text: Buffer.from(data.content, 'base64').toString('utf8') };
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return { manifest: checked.path, unreadable: 'no such file at the release' };
        // Unread is unchecked: the deployment fails (a re-run reads it again), it is never applied.
        throw new CommandError(
          `${checked.path} at ${commit.slice(0, 12)} could not be read from GitHub (${status === undefined ? (error instanceof Error ? error.message : String(error)) : `HTTP ${status}`}), so the KServe storageUri cannot be tied to the release's weights`,
          'Re-run the deploy job once GitHub answers.',
        );
      }
    },
    releaseTag: (tag) => releaseTagFacts(tag),
    registration: (model, version) => versionTagRecords(octokit, repo, model, version),
    async newerDeployments(model, id) {
      const { seen, cut } = await listed(undefined, (all) => all.some((d) => d.id <= id));
      if (cut && !seen.some((d) => d.id <= id)) return undefined;
      // Only deployments that can route: one whose payload breaks the contract, or whose ref is not its
      // version's release tag, is refused by every deployer run and replaces nothing (it could stand a
      // pending guard rollback down). A failure status is no such sign: a run that failed is re-run.
      return seen
        .filter(
          (d) =>
            d.id > id &&
            d.model === model &&
            d.version !== undefined &&
            d.ref === releaseTag(model, d.version),
        )
        .map(({ id: newer, environment, whole }) => ({ id: newer, environment, whole }));
    },
    async liveVersion(environment, model) {
      const wholeOf = (all: readonly ListedDeployment[]) => all.filter((d) => d.model === model && d.whole);
      const { seen, cut } = await listed(environment, (all) => wholeOf(all).length >= LIVE_LOOKBACK);
      const deployments = wholeOf(seen).slice(0, LIVE_LOOKBACK);
      for (const deployment of deployments) {
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
      if (!deployments.length && !cut) return undefined;
      if (!deployments.length)
        return {
          unknown: `no deployment of ${model} that takes all its traffic is among the ${DEPLOYMENT_PAGES * 100} newest in ${environment}, so whether one serves it cannot be told`,
        };
      return {
        unknown: `none of the ${deployments.length} newest ${environment} deployments of ${model} that take all its traffic is a release reported live`,
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
        // Never GitHub's own: it marks every earlier deployment of the environment inactive, other
        // models' too when models share one, which ends their rollouts. The deployer says which it replaced.
        auto_inactive: false,
      });
    },
  };
}

/** A deployment as the deployer reads it from a listing. */
interface ListedDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  /** The model of a modelgate payload, else undefined (anyone else's deployment). */
  model: string | undefined;
  /** The version of a payload that keeps the contract, else undefined. */
  version: string | undefined;
  /**
   * It carries all the model's traffic: a promotion, a rollback, a blue-green switch (weight 100
   * without a mirror, or `active`). One whose payload breaks the contract counts too: it is never
   * live, but production is then not "never deployed" (which would let a canary take every request).
   */
  whole: boolean;
}

// Only payloads that keep the contract give a version: a version string from anyone with
// deployments: write goes into rendered files and Service names, so it is never read loosely.
function listedDeployment(d: {
  id: number;
  ref: string;
  sha: string;
  environment?: string;
  payload: unknown;
}): ListedDeployment {
  const model = readDeploymentPayload(d.payload)?.model;
  const parsed = parseDeploymentPayload(d.payload);
  const whole = !parsed.ok || takesAllTraffic(parsed.payload);
  return {
    id: d.id,
    ref: d.ref,
    sha: d.sha,
    environment: d.environment ?? '',
    model,
    version: parsed.ok ? parsed.payload.version : undefined,
    whole,
  };
}
