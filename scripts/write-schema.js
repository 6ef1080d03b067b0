// Writes the JSON Schemas of modelgate's contracts from their zod schemas, so
// editors and other tools validate exactly as modelgate does: the manifest
// (schema/model.schema.json) and the Deployment payload a deployer reads
// (schema/deployment-payload.schema.json). Run by `npm run build`.
import { writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { manifestJsonSchema } from '../build/core/manifest/schema.js';
import { deploymentPayloadJsonSchema } from '../build/core/release/plan.js';

for (const [file, schema] of [
  ['model.schema.json', manifestJsonSchema()],
  ['deployment-payload.schema.json', deploymentPayloadJsonSchema()],
])
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
