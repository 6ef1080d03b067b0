import { CommandError } from '../core/repository.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';
import { parseSettings, SETTINGS_FILE, type Settings } from '../io/settings.js';

/**
 * The repository's .github/modelgate.yml at a ref, through the contents API:
 * defaults when it is absent, the problem when it is broken.
 */
export async function loadSettingsAt(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  ref: string | undefined,
): Promise<{ settings: Settings } | { problem: string }> {
  let text: string | undefined;
  try {
    // No ref: GitHub answers from the repository's default branch.
    const { data } = await octokit.rest.repos.getContent({
      ...repo,
      path: SETTINGS_FILE,
      ...(ref ? { ref } : {}),
    });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
      return { problem: `${SETTINGS_FILE} is not a file` };
    text = Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    return { settings: parseSettings(text) };
  } catch (error) {
    if (error instanceof CommandError) return { problem: error.message };
    throw error;
  }
}

/**
 * The settings for a rollout, from `ref` or (by default) the default branch:
 * a broken file means defaults here (the pull-request check reports it).
 */
export async function settingsOrDefaults(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  ref?: string,
): Promise<Settings> {
  const loaded = await loadSettingsAt(octokit, repo, ref).catch(() => ({ problem: 'unreadable' }));
  return 'settings' in loaded ? loaded.settings : parseSettings(undefined);
}
