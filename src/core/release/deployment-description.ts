/** GitHub keeps a deployment's description, and a deployment status's, to 140 characters. */
export const DEPLOYMENT_DESCRIPTION_MAX = 140;

/**
 * `text` as a deployment (or deployment status) description GitHub accepts:
 * cut to 140 characters, counted in code points as GitHub counts them, and
 * ending in "…" when cut. A long model name or version must not stop a
 * release, and a cut never splits a character.
 */
export function deploymentDescription(text: string): string {
  const characters = [...text];
  if (characters.length <= DEPLOYMENT_DESCRIPTION_MAX) return text;
  return `${characters.slice(0, DEPLOYMENT_DESCRIPTION_MAX - 1).join('')}…`;
}
