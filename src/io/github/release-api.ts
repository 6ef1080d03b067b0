import { CommandError } from '../../core/repository.js';
import {
  trustedRequester,
  type RequestTrust,
  type RollbackRequester,
} from '../../core/rollback/revert-pr.js';
import { statusOf, type Octokit } from './octokit.js';

/** The GitHub calls a release needs, and nothing else: a narrow surface that tests can fake. */
export interface ReleaseApi {
  /** The commit a tag points to, or undefined when there is no such tag. */
  tagCommit(tag: string): Promise<string | undefined>;
  /** The repository's default branch, as GitHub has it now. */
  defaultBranch(): Promise<string>;
  /**
   * Whether `commit` is on `branch`: the branch's head is the commit or one
   * of its descendants (GitHub's compare says `identical` or `ahead`). A commit
   * GitHub does not know, or one the branch's history diverged from, is not.
   */
  onBranch(commit: string, branch: string): Promise<boolean>;
  /** Creates an annotated tag object and its ref. */
  createTag(tag: string, commit: string, message: string): Promise<void>;
  releaseExists(tag: string): Promise<boolean>;
  createRelease(release: { tag: string; name: string; body: string; prerelease: boolean }): Promise<string>;
  listDeployments(environment: string, ref: string): Promise<{ environment: string; payload: unknown }[]>;
  createDeployment(deployment: {
    ref: string;
    environment: string;
    payload: object;
    description: string;
    production: boolean;
  }): Promise<{ id: number; url: string }>;
  /**
   * The pull request a merge commit came from, if any, with who asked for
   * it when modelgate opened it (`ignoredRequest` says why a request line
   * in its body was not believed).
   */
  pullRequestFor(commit: string): Promise<
    | {
        number: number;
        title: string;
        url: string;
        author?: string;
        requester?: RollbackRequester;
        ignoredRequest?: string;
      }
    | undefined
  >;
}

/**
 * ReleaseApi over the GitHub REST API. Without `requestTrust`, no request
 * line of a merged pull request is believed.
 */
export function githubReleaseApi(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  requestTrust?: RequestTrust,
): ReleaseApi {
  const notFound =
    <T>(fallback: T) =>
    (error: unknown) => {
      if (statusOf(error) === 404) return fallback;
      throw error;
    };
  return {
    async tagCommit(tag) {
      const ref = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` }).catch(notFound(undefined));
      if (!ref) return undefined;
      const object = ref.data.object;
      if (object.type !== 'tag') return object.sha;
      const annotated = await octokit.rest.git.getTag({ ...repo, tag_sha: object.sha });
      return annotated.data.object.sha;
    },
    async defaultBranch() {
      return (await octokit.rest.repos.get(repo)).data.default_branch;
    },
    async onBranch(commit, branch) {
      // The branch's head by its full ref: a bare name in compare could resolve to a tag of that name.
      const head = await octokit.rest.git
        .getRef({ ...repo, ref: `heads/${branch}` })
        .catch((error: unknown) => {
          if (statusOf(error) === 404) return undefined;
          throw error;
        });
      if (!head) return false;
      // base...head = commit...branch head: "ahead" means the branch has moved on from the commit, which
      // it contains; "behind" or "diverged" mean the commit holds work the branch does not.
      const compared = await octokit.rest.repos
        .compareCommitsWithBasehead({ ...repo, basehead: `${commit}...${head.data.object.sha}`, per_page: 1 })
        .catch((error: unknown) => {
          // 404: GitHub does not have the commit; 422: the two share no history. Neither is on the branch.
          if (statusOf(error) === 404 || statusOf(error) === 422) return undefined;
          throw error;
        });
      if (!compared) return false;
      const { status, behind_by } = compared.data;
      return (status === 'identical' || status === 'ahead') && behind_by === 0;
    },
    async createTag(tag, commit, message) {
      const created = await octokit.rest.git.createTag({
        ...repo,
        tag,
        message,
        object: commit,
        type: 'commit',
      });
      await octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: created.data.sha });
    },
    async releaseExists(tag) {
      const found = await octokit.rest.repos.getReleaseByTag({ ...repo, tag }).catch(notFound(undefined));
      return found !== undefined;
    },
    async createRelease({ tag, name, body, prerelease }) {
      const created = await octokit.rest.repos.createRelease({
        ...repo,
        tag_name: tag,
        name,
        body,
        prerelease,
        make_latest: 'false',
      });
      return created.data.html_url;
    },
    async listDeployments(environment, ref) {
      const list = await octokit.rest.repos.listDeployments({ ...repo, environment, ref, per_page: 100 });
      return list.data.map((d) => ({ environment: d.environment, payload: d.payload }));
    },
    async createDeployment({ ref, environment, payload, description, production }) {
      const created = await octokit.rest.repos.createDeployment({
        ...repo,
        ref,
        environment,
        payload: payload as Record<string, unknown>,
        description,
        auto_merge: false,
        required_contexts: [],
        production_environment: production,
        transient_environment: false,
      });
      if (!('id' in created.data))
        throw new CommandError(
          `GitHub did not create the deployment: ${created.data.message ?? 'no reason given'}`,
          'Re-run: every step of a release finds its own earlier work.',
        );
      return { id: created.data.id, url: created.data.url };
    },
    async pullRequestFor(commit) {
      const pulls = await octokit.rest.repos
        .listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: commit })
        .catch(notFound(undefined));
      const merged = pulls?.data.find((p) => p.merged_at) ?? pulls?.data[0];
      if (!merged) return undefined;
      const request = requestTrust
        ? trustedRequester(
            {
              body: merged.body,
              author: merged.user && { login: merged.user.login, type: merged.user.type },
              branch: merged.head.ref,
              headRepository: merged.head.repo?.full_name,
            },
            requestTrust,
          )
        : {};
      return {
        number: merged.number,
        title: merged.title,
        url: merged.html_url,
        author: merged.user?.login,
        ...(request.requester ? { requester: request.requester } : {}),
        ...(request.ignored ? { ignoredRequest: request.ignored } : {}),
      };
    },
  };
}
