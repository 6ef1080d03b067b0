import { referencedPaths } from '../manifest/references.js';
import type { Manifest } from '../manifest/schema.js';

/** A manifest found with the settings' globs: parsed, or undefined when it is not a valid manifest. */
export interface FoundManifest {
  file: string;
  manifest: Manifest | undefined;
}

/**
 * What the other models of the repository use, as a rollback must respect it:
 * for every repository path, the models whose manifests reference it (or are
 * it), and the manifests that could not be read, whose files are unknown.
 */
export interface OtherModelsFiles {
  usedBy: ReadonlyMap<string, readonly string[]>;
  unreadable: readonly string[];
}

/**
 * The files every manifest but the rolled-back model's own (`manifestFile`)
 * references. A model is named by its manifest's `name`; a second manifest
 * with the rolled-back model's name is named by its file too, so the message
 * says which one.
 */
export function otherModelsFiles(
  manifests: readonly FoundManifest[],
  manifestFile: string,
  model: string,
): OtherModelsFiles {
  const usedBy = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const { file, manifest } of manifests) {
    if (file === manifestFile) continue;
    if (!manifest) {
      unreadable.push(file);
      continue;
    }
    const user = manifest.name === model ? `${manifest.name} (${file})` : manifest.name;
    for (const path of new Set([file, ...referencedPaths(manifest, file)])) {
      const users = usedBy.get(path) ?? [];
      if (!users.includes(user)) users.push(user);
      usedBy.set(path, users);
    }
  }
  for (const users of usedBy.values()) users.sort();
  return { usedBy, unreadable: unreadable.sort() };
}
