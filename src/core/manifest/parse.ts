import { isMap, isSeq, LineCounter, type Document } from 'yaml';
import { parseYamlDocument } from '../yaml-document.js';
import type { Finding } from '../findings.js';
import { manifestSchema, type Manifest } from './schema.js';

/** Manifests larger than this are refused before they are read. */
export const MANIFEST_MAX_BYTES = 1024 * 1024;
/** YAML aliases allowed in one manifest: enough for anchors, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 100;

export type YamlPath = readonly (string | number)[];

/** A manifest read from text: the validated value when it is valid, and line lookup either way. */
export interface ParsedManifest {
  file: string;
  manifest?: Manifest;
  /** The raw `name` when present, so findings name the model even when the schema fails. */
  rawName?: string;
  findings: Finding[];
  /** 1-based line of the node at `path`, or of its closest existing parent. */
  lineOf(path: YamlPath): number | undefined;
}

/**
 * Parses a manifest safely: duplicate keys are errors, alias expansion is
 * bounded, every error keeps its line. Pure: the caller reads the file.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: true, strict: true });
  const lineOfOffset = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: YamlPath) => lineOfPath(doc, path, lineOfOffset);
  const fail = (message: string, line?: number, fix?: string): ParsedManifest => ({
    file,
    findings: [{ rule: 'MANIFEST-SCHEMA', severity: 'error', model: file, file, line, message, fix }],
    lineOf,
  });

  const yamlError = doc.errors[0];
  if (yamlError) {
    return fail(
      `${file} is not valid YAML: ${firstLine(yamlError.message)}`,
      yamlError.linePos?.[0].line,
      'Fix the YAML syntax (duplicate keys are not allowed).',
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return fail(
      `${file} could not be expanded: ${firstLine(String((error as Error).message))}`,
      undefined,
      `Use fewer YAML aliases (at most ${MAX_ALIAS_COUNT} expansions).`,
    );
  }
  const rawName =
    value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string'
      ? (value as { name: string }).name
      : undefined;
  const model = rawName ?? file;
  const result = manifestSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const findings: Finding[] = result.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path.length ? `${path.join('.')}: ` : '';
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
      const linePath = keys.length ? [...path, String(keys[0])] : path;
      return {
        rule: 'MANIFEST-SCHEMA',
        severity: 'error',
        model,
        file,
        line: lineOf(linePath),
        message: `${file}: ${where}${describeIssue(issue, keys)}`,
        fix: 'See schema/model.schema.json for the manifest format.',
      };
    });
    return { file, rawName, findings, lineOf };
  }
  return { file, manifest: result.data, rawName, findings: [], lineOf };
}

function describeIssue(
  issue: { code: string; message: string; expected?: unknown; input?: unknown },
  keys: readonly unknown[],
): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${String(k)}"`).join(', ')}`;
  // `version: 1.3` is a YAML number: say so, rather than zod's "expected string, received number".
  if (
    issue.code === 'invalid_type' &&
    issue.expected === 'string' &&
    (typeof issue.input === 'number' || typeof issue.input === 'boolean')
  ) {
    return `YAML read ${String(issue.input)} as a ${typeof issue.input}; write it as a quoted string ("${String(issue.input)}")`;
  }
  return issue.message;
}

function lineOfPath(doc: Document, path: YamlPath, lineOfOffset: (o: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let line = rangeLine(node, lineOfOffset);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(key),
      );
      if (!pair) break;
      line = rangeLine(pair.key, lineOfOffset) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = rangeLine(node, lineOfOffset) ?? line;
    } else break;
  }
  return line;
}

function rangeLine(node: unknown, lineOfOffset: (o: number) => number): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lineOfOffset(range[0]) : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
