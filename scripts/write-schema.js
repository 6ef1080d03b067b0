// Writes schema/model.schema.json from the zod schema, so editors and other
// tools validate manifests exactly as modelgate does. Run by `npm run build`.
import { writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { manifestJsonSchema } from '../build/core/manifest/schema.js';

writeFileSync(
  new URL('../schema/model.schema.json', import.meta.url),
  `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`,
);
