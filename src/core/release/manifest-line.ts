import { checkRepoPath, compileGlobs } from '../repo-path.js';

/**
 * The `Manifest: <path> sha256:<hex>` line of a release tag's message: where
 * the release found the model's manifest, and that file's digest. Written by
 * the release plan; read back to find a model's manifest at its tag (the CLI,
 * the Action and the app), as where to look first, never as proof: the file
 * there must still declare the model.
 */
export function manifestLineOf(manifestFile: string, sha256: string): string {
  return `Manifest: ${manifestFile} sha256:${sha256}`;
}

/** The path a tag message's `Manifest:` line names, if it has one. */
export function manifestLine(message: string | undefined): string | undefined {
  return message?.match(/^Manifest: (.+) sha256:[0-9a-f]*$/m)?.[1];
}

/**
 * Why `path`, the manifest a deployment's payload names, is not its release's
 * manifest, or undefined when it is. The payload is written by whoever has
 * deployments: write, and the file it names decides what KServe is tied to and
 * how a rollout is judged; a file at the same commit that merely declares the
 * same model and version (an example, a fixture, a decoy added with the
 * release) must not stand in for the manifest. The release tag's `Manifest:`
 * line says which file was released; a tag without one (made before modelgate
 * wrote it, or by hand) leaves only the files the registry's manifest globs
 * (`globs`, from the default branch's settings) find.
 */
export function releasedManifestPathProblem(
  path: string,
  release: { tag: string; recorded: string | undefined; globs: readonly string[] },
): string | undefined {
  const { tag, recorded, globs } = release;
  const checked = checkRepoPath(path);
  if (!checked.ok) return `the manifest ${JSON.stringify(path)} the deployment names ${checked.reason}`;
  if (checked.path !== path)
    return `the manifest ${JSON.stringify(path)} the deployment names is not in its normal form ${JSON.stringify(checked.path)}`;
  if (recorded !== undefined)
    return recorded === path
      ? undefined
      : `the deployment names the manifest ${JSON.stringify(path)}, but ${tag} records ${JSON.stringify(recorded)} as the release's manifest`;
  const matcher = compileGlobs(globs);
  if (matcher.ok && matcher.match(path)) return undefined;
  return `${tag} records no manifest (no Manifest: line), and ${JSON.stringify(path)}, the manifest the deployment names, is not one the registry's manifest globs [${globs.join(', ')}] find`;
}
