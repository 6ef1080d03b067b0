/**
 * What a model name, a stage, a version and a tag counter may be: one set of
 * rules shared by the manifest schema, the tag parser and every command that
 * writes a tag, so whatever validates can also be released, promoted and
 * deprecated, and whatever modelgate writes it reads back.
 */

/** One rule a name must follow, with the words a finding uses when it does not. */
export interface NameRule {
  pattern: RegExp;
  message: string;
}

/** Longest model or stage name: leaves room for `#stage#N` in one git ref component. */
export const NAME_MAX_LENGTH = 100;
/** semver's own limit (node-semver MAX_LENGTH): longer strings are not versions. */
export const VERSION_MAX_LENGTH = 256;
/** Git stores a tag as a file `refs/tags/<name>.lock` while writing it: 255 bytes per path component, minus `.lock`. */
const REF_COMPONENT_MAX_BYTES = 250;

/** Patterns for model names (GTO-compatible) and stage names, after the length (1 to NAME_MAX_LENGTH). */
export const NAME_RULES: readonly NameRule[] = [
  {
    pattern: /^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/,
    message: 'lowercase letters, digits, -, _ and /, starting and ending with a letter or digit',
  },
  // git refuses an empty path component in a tag name ("a//b@v1.0.0").
  // Written without lookahead, so every JSON Schema validator reads it.
  { pattern: /^[^/]*(\/[^/]+)*$/, message: 'no "//": git refuses tag names with an empty path segment' },
];

/** Every name rule in one expression, for callers that only need yes or no. */
export const MODEL_NAME = new RegExp(`^(?=.{1,${NAME_MAX_LENGTH}}$)(?!.*//)[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$`);

// SemVer 2.0.0, from semver.org's recommended expression.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The version pattern (the JSON Schema carries it); `versionProblem` adds the length and numeric limits. */
export const VERSION_RULE: NameRule = {
  pattern: SEMVER,
  message: 'must be a SemVer 2 version such as 1.2.0',
};
export const VERSION_TOO_LONG = `at most ${VERSION_MAX_LENGTH} characters (semver's limit)`;
export const NAME_TOO_LONG = `at most ${NAME_MAX_LENGTH} characters`;

/** Why `version` is not a version modelgate can compare and tag, or undefined when it is. */
export function versionProblem(version: string): string | undefined {
  if (version.length > VERSION_MAX_LENGTH) return VERSION_TOO_LONG;
  if (!VERSION_RULE.pattern.test(version)) return VERSION_RULE.message;
  // node-semver refuses numbers it cannot hold exactly (then every comparison throws).
  const [major = '', minor = '', patch = ''] = version.split(/[-+]/, 1)[0]!.split('.');
  if (![major, minor, patch].every((part) => Number.isSafeInteger(Number(part))))
    return `major, minor and patch must each be at most ${Number.MAX_SAFE_INTEGER}`;
  return undefined;
}

/** Why `name` is not a model (or stage) name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length > NAME_MAX_LENGTH) return NAME_TOO_LONG;
  return NAME_RULES.find((rule) => !rule.pattern.test(name))?.message;
}

/**
 * A tag counter (`#N`) as GTO reads it: decimal digits, leading zeros allowed
 * (`#007` is 7, `#0` is 0), whose successor is still exact, so the next tag is
 * always `N + 1` written out in digits (never `1e+24`). Undefined for anything else.
 */
export function tagCounter(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value + 1) ? value : undefined;
}

/** Why git would refuse to create a tag of this name (a path component too long), or undefined. */
export function tagNameProblem(tag: string): string | undefined {
  const encoder = new TextEncoder();
  const longest = Math.max(...tag.split('/').map((part) => encoder.encode(part).length));
  return longest > REF_COMPONENT_MAX_BYTES
    ? `the tag ${tag.length > 60 ? `${tag.slice(0, 60)}…` : tag} has a part of ${longest} bytes; git allows ${REF_COMPONENT_MAX_BYTES}`
    : undefined;
}
