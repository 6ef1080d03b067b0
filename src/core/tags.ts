import semver from 'semver';

/** GTO's release tag: `<name>@v<version>`. */
export function releaseTag(name: string, version: string): string {
  return `${name}@v${version}`;
}

/** Reads a release tag; tags in any other format are not ours and give undefined. */
export function parseReleaseTag(tag: string): { name: string; version: string } | undefined {
  const match = /^(.+)@v([^@#!]+)$/.exec(tag);
  if (!match || !semver.valid(match[2]!)) return undefined;
  return { name: match[1]!, version: match[2]! };
}

/** Released versions per model name. */
export function releasedVersions(tags: readonly string[]): Map<string, Set<string>> {
  const released = new Map<string, Set<string>>();
  for (const tag of tags) {
    const parsed = parseReleaseTag(tag);
    if (!parsed) continue;
    const versions = released.get(parsed.name) ?? new Set<string>();
    versions.add(parsed.version);
    released.set(parsed.name, versions);
  }
  return released;
}
