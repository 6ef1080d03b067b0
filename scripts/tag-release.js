// Tags a release of modelgate itself (.github/workflows/release.yml runs it on the default branch):
// `vX.Y.Z` for package.json's version on the checked-out commit, and the Action's major tag `vX`
// moved to it, so `uses: owner/modelgate@vX` gets every compatible release. Safe to run again:
// what is already tagged is left alone, a version already tagged on another commit is refused.
//
//   node scripts/tag-release.js [--push] [--notes FILE]
//
// Run in the repository root with its tags fetched. Refuses (exit 1) unless CHANGELOG.md has a
// `## [X.Y.Z] - YYYY-MM-DD` section for the version and dist/ is the build of the sources.
// --notes writes that section (the release notes); GITHUB_OUTPUT, when set, gets version, tag and
// prerelease.
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import semver from 'semver';
import { assertFreshBundle } from './source-digest.js';

class ReleaseRefused extends Error {}

const git = (...args) =>
  execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The commit a tag points at, or undefined when there is no such tag. */
function tagged(tag) {
  try {
    return git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  } catch {
    return undefined;
  }
}

/** The CHANGELOG.md section of `version` (its text under the heading), or a refusal saying what to add. */
function releaseNotes(changelog, version) {
  const heading = new RegExp(`^## \\[${version.replace(/[.+]/g, '\\$&')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm');
  const start = changelog.match(heading);
  if (!start)
    throw new ReleaseRefused(
      `CHANGELOG.md has no section for ${version}: rename "## [Unreleased]" to "## [${version}] - YYYY-MM-DD" (today's date) and add a new empty "## [Unreleased]" above it.`,
    );
  const body = changelog.slice(start.index + start[0].length);
  const next = body.search(/^## /m);
  return (next === -1 ? body : body.slice(0, next)).trim();
}

/** The tag changes for `version` at `head`: what to create, what to move, what is already done. */
function planTags(version, head) {
  const tag = `v${version}`;
  const steps = [];
  const existing = tagged(tag);
  if (existing === undefined) steps.push({ tag, to: head, move: false });
  else if (existing !== head)
    throw new ReleaseRefused(
      `${tag} already exists on ${existing.slice(0, 12)}, not on this commit (${head.slice(0, 12)}): a released version is never re-tagged. Bump "version" in package.json.`,
    );
  if (semver.prerelease(version)) return { tag, steps };
  // The major tag follows the newest stable release of its major: a fix to an older minor leaves it alone.
  const major = `v${semver.major(version)}`;
  const newest = git('tag', '--list', `${major}.*`)
    .split('\n')
    .map((name) => semver.valid(name.slice(1)))
    .filter((found) => found && !semver.prerelease(found) && semver.major(found) === semver.major(version))
    .reduce((max, found) => (semver.gt(found, max) ? found : max), version);
  if (newest === version && tagged(major) !== head) steps.push({ tag: major, to: head, move: true });
  return { tag, major, steps };
}

function main() {
  const { values } = parseArgs({ options: { push: { type: 'boolean' }, notes: { type: 'string' } } });
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
  if (!semver.valid(version) || semver.clean(version) !== version)
    throw new ReleaseRefused(`package.json's version "${version}" is not a SemVer 2 version such as 1.2.3`);
  const notes = releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), version);
  try {
    assertFreshBundle('.');
  } catch (error) {
    throw new ReleaseRefused(error instanceof Error ? error.message : String(error));
  }
  const head = git('rev-parse', 'HEAD');
  const { tag, steps } = planTags(version, head);
  for (const step of steps) {
    git(
      'tag',
      ...(step.move ? ['--force'] : []),
      '--annotate',
      step.tag,
      '-m',
      `modelgate ${version}`,
      step.to,
    );
    console.log(`${step.move ? 'moved' : 'tagged'} ${step.tag} -> ${step.to.slice(0, 12)}`);
  }
  if (steps.length === 0) console.log(`${tag} is already released on ${head.slice(0, 12)}: nothing to tag`);
  // Only the major tag is forced ("+"): a version tag already on the remote elsewhere makes the push fail.
  if (values.push && steps.length > 0)
    git(
      'push',
      'origin',
      ...steps.map((step) => `${step.move ? '+' : ''}refs/tags/${step.tag}:refs/tags/${step.tag}`),
    );
  if (values.notes) writeFileSync(values.notes, `${notes}\n`);
  if (process.env.GITHUB_OUTPUT)
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `version=${version}\ntag=${tag}\nprerelease=${semver.prerelease(version) ? 'true' : 'false'}\n`,
    );
}

try {
  main();
} catch (error) {
  if (!(error instanceof ReleaseRefused)) throw error;
  console.error(`release refused: ${error.message}`);
  process.exitCode = 1;
}
