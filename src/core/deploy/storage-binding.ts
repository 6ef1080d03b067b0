import { parseManifest } from '../manifest/parse.js';
import { kserveSource, loads, storageLocation } from './storage-uri.js';

/** What the deployer read of a release's weights: the manifest at its tag, or why it could not. */
export type ReleasedWeights = { manifest: string; text: string } | { manifest: string; unreadable: string };

/**
 * Why a KServe `storageUri` is not the release's weights, or undefined when
 * every weights file the manifest at the release tag lists lies in it.
 * KServe loads whatever the URI holds; only the manifest's URIs (and their
 * sha256, checked where the weights were made) are the release's. A manifest
 * that cannot be read, is another model's or version's, or lists no weights
 * leaves nothing to tie the URI to: refused, never deployed unchecked.
 */
export function storageBindingProblem(
  storageUri: string,
  weights: ReleasedWeights | undefined,
  release: { model: string; version: string; tag: string },
): { reason: string; fix: string } | undefined {
  const { model, version, tag } = release;
  const listFix = `List the weights of ${model} ${version} in its manifest (artifacts.weights: uri and sha256 of each file), under deploy.kserve.storage_uri, and release it.`;
  if (!weights)
    return {
      reason: `the manifest of ${model} ${version} was not read, so what ${storageUri} holds cannot be tied to the release`,
      fix: 'Deploy with the Action (command: deploy), which reads the manifest at the release tag.',
    };
  if ('unreadable' in weights)
    return {
      reason: `the manifest ${weights.manifest} at ${tag} cannot be read (${weights.unreadable}), so what ${storageUri} holds cannot be tied to the release`,
      fix: `Deploy a deployment whose payload names ${model}'s manifest (command: release makes one).`,
    };
  const parsed = parseManifest(weights.text, weights.manifest);
  const manifest = parsed.manifest;
  if (!manifest)
    return {
      reason: `the manifest ${weights.manifest} at ${tag} is not valid (${parsed.findings[0]?.message ?? 'no manifest'}), so what ${storageUri} holds cannot be tied to the release`,
      fix: `Release a version of ${model} whose manifest validates.`,
    };
  if (manifest.name !== model || manifest.version !== version)
    return {
      reason: `${weights.manifest} at ${tag} is the manifest of ${manifest.name} ${manifest.version}, not of ${model} ${version}`,
      fix: `Deploy a deployment whose payload names ${model}'s manifest (command: release makes one).`,
    };
  const listed = manifest.artifacts.weights ?? [];
  if (!listed.length)
    return {
      reason: `the manifest of ${model} ${version} lists no weights, so what ${storageUri} holds is nothing the release checked`,
      fix: listFix,
    };
  const source = kserveSource(storageUri);
  if (!source.ok)
    return {
      reason: `KServe would load ${model} ${version} from ${storageUri}, which ${source.reason}`,
      fix: 'Make deploy.kserve.storage_uri a folder such as s3://bucket/{model}/{version}/ (docs/deploy.md lists the forms).',
    };
  const files = [];
  for (const { uri } of listed) {
    const file = storageLocation(uri);
    if (!file.ok)
      return {
        reason: `the manifest of ${model} ${version} lists the weights file ${uri}, which ${file.reason}, so whether KServe loads it cannot be told`,
        fix: `Give each weights file of ${model} a plain URI (docs/deploy.md lists the forms), and release it.`,
      };
    files.push({ uri, location: file.location });
  }
  if (source.source.kind === 'object') {
    if (files.some((f) => loads(source.source, f.location))) return undefined;
    return {
      reason: `KServe would download ${storageUri} itself for ${model} ${version}, and it is none of the weights files its manifest lists`,
      fix: `Make deploy.kserve.storage_uri the URL of a weights file (or archive) the manifest lists, or a folder (s3://, gs://, pvc://, Azure). ${listFix}`,
    };
  }
  const outside = files.filter((f) => !loads(source.source, f.location));
  if (outside.length)
    return {
      reason: `KServe would load ${model} ${version} from ${storageUri}, but its manifest lists ${outside.length === 1 ? 'a weights file' : `${outside.length} weights files`} elsewhere (${outside[0]!.uri})`,
      fix: `Make deploy.kserve.storage_uri the folder that holds the release's weights, or list the weights where KServe loads them from. ${listFix}`,
    };
  return undefined;
}
