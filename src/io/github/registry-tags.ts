import type { TagRecord } from '../../core/registry/state.js';
import { parseRegistryTag, releaseTag } from '../../core/registry/tag-names.js';
import type { Octokit } from './octokit.js';

type Repo = { owner: string; repo: string };

/** A tag as GitHub lists it: its name, and the object it points at (not peeled). */
export interface TagRef {
  name: string;
  object: { sha: string; type: string };
}

/**
 * Registry tags read through the API: annotated tags are peeled to their
 * commit (and give their tagger date); lightweight ones count as undated,
 * which GTO's numbered tags order anyway. A tag GTO would not read (a tag of
 * something else than a commit, or one whose object names another tag)
 * carries its problem, so the registry reports it instead of reading it.
 */
export function tagRecordsOf(octokit: Octokit, repo: Repo, refs: readonly TagRef[]): Promise<TagRecord[]> {
  return Promise.all(
    refs.map(async (ref): Promise<TagRecord> => {
      if (ref.object.type !== 'tag') return { name: ref.name, commit: ref.object.sha, date: 0 };
      const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.object.sha });
      const problem =
        data.object.type !== 'commit'
          ? `it tags a ${data.object.type}, not a commit`
          : data.tag !== ref.name
            ? `the tag object is named ${data.tag}`
            : undefined;
      return {
        name: ref.name,
        commit: data.object.sha,
        date: Math.floor(Date.parse(data.tagger.date) / 1000) || 0,
        offset: utcOffset(data.tagger.date),
        tagger: { name: data.tagger.name, email: data.tagger.email },
        message: data.message,
        ...(problem ? { problem } : {}),
      };
    }),
  );
}

/**
 * The tags that register and deregister `version` of `model` (`<model>@v<version>`,
 * `…#N`, `…!`, `…!#N`): what decides whether the version is a release now.
 * Reading only these gives the version the registration a read of all the
 * model's tags gives it (registrations are read before stage tags).
 */
export async function versionTagRecords(
  octokit: Octokit,
  repo: Repo,
  model: string,
  version: string,
): Promise<TagRecord[]> {
  const { data } = await octokit.rest.git.listMatchingRefs({
    ...repo,
    ref: `tags/${releaseTag(model, version)}`,
  });
  const own = data
    .map((r) => ({ name: r.ref.replace(/^refs\/tags\//, ''), object: r.object }))
    .filter((r) => {
      const tag = parseRegistryTag(r.name);
      return (tag?.action === 'register' || tag?.action === 'deregister') && tag.version === version;
    });
  return tagRecordsOf(octokit, repo, own);
}

/** The UTC offset of an ISO 8601 date as git writes it ("+0300"); GitHub's API gives "Z" (UTC). */
function utcOffset(date: string): string {
  const zone = /([+-])(\d{2}):?(\d{2})$/.exec(date);
  return zone ? `${zone[1]}${zone[2]}${zone[3]}` : '+0000';
}
