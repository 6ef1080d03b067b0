import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';

/**
 * One manifest per model name in a tree. Releases, tags, bases and
 * deployments all know a model by its name: with two manifests declaring it,
 * which one is "the model" would depend on the order files are read, and a
 * copy left behind could carry the version check while the other is changed.
 * `declaring`: the manifests of the tree found to declare the same name
 * (see ModelManifests.sameName).
 */
export function checkUniqueName(head: ModelFacts, declaring: readonly string[]): Finding[] {
  const others = [...new Set(declaring)].filter((f) => f !== head.manifestFile);
  if (!others.length) return [];
  return [
    {
      rule: 'MANIFEST-SCHEMA',
      severity: 'error',
      model: head.name,
      file: head.manifestFile,
      line: head.lineOf(['name']),
      message: `name "${head.name}" is declared by ${others.length + 1} manifests: ${[head.manifestFile, ...others].sort().join(', ')}; a model has one manifest`,
      fix: 'Give each model its own name; to move a model to another folder, move its manifest (git mv) instead of copying it.',
    },
  ];
}
