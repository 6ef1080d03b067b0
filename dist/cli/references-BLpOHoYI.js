import { d as rolloutFileReferences } from './parse-B69nEYJT.js';
import { a as resolveArtifactPath } from './state-AWNhEueb.js';

/** Repository paths of every file a manifest references (unresolvable references left out). */
function referencedPaths(manifest, manifestFile) {
    const { weights, ...files } = manifest.artifacts;
    const refs = [
        ...Object.values(files),
        ...weights.map((w) => w.path),
        ...(manifest.eval?.results ?? []).flatMap((r) => [r.path, ...Object.values(r.samples ?? {})]),
        ...(manifest.eval?.suites ?? []).map((s) => (typeof s.scorer === 'object' ? s.scorer.schema : undefined)),
        ...(manifest.eval?.suites ?? []).map((s) => s.dataset),
        ...rolloutFileReferences(manifest.rollout).map(([, ref]) => ref),
    ].filter((ref) => typeof ref === 'string');
    return refs.flatMap((ref) => {
        const resolved = resolveArtifactPath(manifestFile, ref);
        return resolved.ok ? [resolved.path] : [];
    });
}

export { referencedPaths as r };
