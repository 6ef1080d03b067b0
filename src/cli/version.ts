import { readFileSync } from 'node:fs';

/**
 * modelgate's version: package.json's `version`. The build replaces this
 * module with the literal (rollup.config.js, embedVersion), so the bundle
 * never looks for a package.json beside it; run from the sources (tests,
 * build/), it is read from the repository's package.json here.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
