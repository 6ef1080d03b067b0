import {
  levelOf,
  qualifiedTeam,
  reaches,
  type Level,
  type Requirement,
} from '../../core/chatops/permission.js';
import { statusOf, type Octokit } from '../../io/github/octokit.js';

type Repo = { owner: string; repo: string };

/**
 * The commenter's role on the repository, from GitHub's collaborator
 * permission API (never from the webhook's author_association, which is
 * informational). No such user, or none of the repository: `none`.
 */
async function levelOfUser(octokit: Octokit, repo: Repo, login: string): Promise<Level> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    return levelOf(data);
  } catch (error) {
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
}

/** Whether `login` is an active member of one of the teams (404: not a member). */
async function inAnyTeam(octokit: Octokit, owner: string, login: string, teams: readonly string[]) {
  for (const team of teams) {
    const { org, slug } = qualifiedTeam(team, owner);
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: slug,
        username: login,
      });
      if (data.state === 'active') return true;
    } catch (error) {
      if (statusOf(error) === 403)
        throw new Error(
          `modelgate cannot see the members of ${org}/${slug}: grant the app the "Members: read" organization permission`,
        );
      if (statusOf(error) !== 404) throw error;
    }
  }
  return false;
}

/** Why `login` may not run a command that needs `requirement`; undefined when they may. */
export async function refusal(
  octokit: Octokit,
  repo: Repo,
  login: string,
  command: string,
  requirement: Requirement,
): Promise<string | undefined> {
  const level = await levelOfUser(octokit, repo, login);
  if (!reaches(level, requirement.permission)) {
    const have = level === 'none' ? 'no access' : `${level} access`;
    return `\`${command}\` needs ${requirement.permission} access to this repository or more, and you have ${have}. Nothing was done.`;
  }
  if (requirement.teams.length && !(await inAnyTeam(octokit, repo.owner, login, requirement.teams))) {
    const teams = requirement.teams.map((t) => `\`${t}\``).join(' or ');
    return `\`${command}\` is for members of ${teams}, and you are not one. Nothing was done.`;
  }
  return undefined;
}
