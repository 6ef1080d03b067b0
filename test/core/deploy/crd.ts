import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const CRDS = join(import.meta.dirname, '..', '..', 'fixtures', 'crds');

/**
 * The API server's structural-schema pruning, made an error: an object with
 * `properties` and neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields` loses unknown fields silently in a
 * cluster, so a misspelt field would vanish instead of routing traffic.
 */
function strictUnknownFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictUnknownFields);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = strictUnknownFields(value);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  return out;
}

/** A validator of one version of a published CRD (test/fixtures/crds, source and commit in its README). */
export function crdValidator(file: string, version: string) {
  const crd = parse(gunzipSync(readFileSync(join(CRDS, file))).toString('utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] };
  };
  const schema = crd.spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema;
  // OpenAPI v3 keywords ajv does not know (nullable, x-kubernetes-*, int32 formats) are annotations here.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(strictUnknownFields(schema) as object);
  return (object: unknown): string[] =>
    validate(object)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
