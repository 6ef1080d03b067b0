import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A fake MLflow tracking server and model registry on 127.0.0.1. Every
 * request is checked against MLflow's published protobuf service
 * definitions (test/fixtures/tracking/mlflow/*.proto, copied from
 * mlflow/mlflow): the path and method must be an endpoint of an RPC, every
 * field must be a field of its request message, required fields present.
 * A request the real API would reject is answered 400 and recorded in
 * `violations`; every answer the fake gives is checked against the
 * response message too, so replayed shapes use MLflow's field names.
 */

interface ProtoField {
  label: 'optional' | 'repeated';
  type: string;
  name: string;
  required: boolean;
}
interface ProtoMessage {
  fields: Map<string, ProtoField>;
}
interface ProtoEndpoint {
  rpc: string;
  method: string;
  path: string;
  request: string;
  response: string;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/tracking/mlflow/', import.meta.url));
const SCALARS = new Set(['string', 'int64', 'int32', 'double', 'float', 'bool']);

/** Reads the RPC endpoints, messages (nested `Response` messages as `Outer.Response`) and enums of a proto2 file. */
function readProto(text: string): {
  endpoints: ProtoEndpoint[];
  messages: Map<string, ProtoMessage>;
  enums: Set<string>;
} {
  const source = text.replace(/\/\/.*$/gm, '');
  const endpoints: ProtoEndpoint[] = [];
  const rpc = /rpc\s+(\w+)\s*\((\w+)\)\s*returns\s*\(([\w.]+)\)\s*\{/g;
  for (let m = rpc.exec(source); m; m = rpc.exec(source)) {
    const body = block(source, m.index + m[0].length - 1);
    for (const e of body.matchAll(/method:\s*"(\w+)"[\s,]*path:\s*"([^"]+)"/g))
      endpoints.push({ rpc: m[1]!, method: e[1]!, path: `/api/2.0${e[2]}`, request: m[2]!, response: m[3]! });
  }
  const messages = new Map<string, ProtoMessage>();
  const readMessage = (name: string, body: string) => {
    const fields = new Map<string, ProtoField>();
    let own = body;
    for (const nested of [...body.matchAll(/message\s+(\w+)\s*\{/g)]) {
      const inner = block(body, nested.index! + nested[0].length - 1);
      readMessage(`${name}.${nested[1]}`, inner);
      own = own.replace(inner, '');
    }
    for (const f of own.matchAll(/(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*\d+\s*(\[[^\]]*\])?\s*;/g))
      fields.set(f[3]!, {
        label: f[1] as ProtoField['label'],
        type: f[2]!,
        name: f[3]!,
        required: (f[4] ?? '').includes('validate_required'),
      });
    for (const f of own.matchAll(/map<\s*string\s*,\s*string\s*>\s+(\w+)\s*=/g))
      fields.set(f[1]!, { label: 'optional', type: 'map', name: f[1]!, required: false });
    messages.set(name, { fields });
  };
  // Top-level messages only: nested ones are read by their parent.
  let depth = 0;
  for (let i = 0; i < source.length; i += 1) {
    if (source[i] === '{') depth += 1;
    else if (source[i] === '}') depth -= 1;
    else if (depth === 0 && source.startsWith('message', i)) {
      const m = /^message\s+(\w+)\s*\{/.exec(source.slice(i));
      if (m) {
        readMessage(m[1]!, block(source, i + m[0].length - 1));
        i += m[0].length - 2;
      }
    }
  }
  const enums = new Set([...source.matchAll(/enum\s+(\w+)\s*\{/g)].map((m) => m[1]!));
  return { endpoints, messages, enums };
}

/** The text inside the braces that open at `open`. */
function block(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces in the proto file');
}

const PROTO = (() => {
  const all = ['service.excerpt.proto', 'model_registry.excerpt.proto'].map((f) =>
    readProto(readFileSync(`${FIXTURES}${f}`, 'utf8')),
  );
  return {
    endpoints: all.flatMap((p) => p.endpoints),
    messages: new Map(all.flatMap((p) => [...p.messages])),
    enums: new Set(all.flatMap((p) => [...p.enums])),
  };
})();

/** Problems of a JSON value as a message of `type` (unknown fields, wrong kinds). */
export function messageProblems(type: string, value: unknown, at = type): string[] {
  const message = PROTO.messages.get(type);
  if (!message) return [`${at}: no message ${type} in MLflow's protos`];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = message.fields.get(key);
    if (!field) {
      problems.push(`${at}.${key}: ${type} has no field ${key}`);
      continue;
    }
    const items = field.label === 'repeated' ? (Array.isArray(v) ? v : [Symbol('not a list')]) : [v];
    for (const item of items) problems.push(...valueProblems(field.type, item, `${at}.${key}`));
  }
  return problems;
}

function valueProblems(type: string, value: unknown, at: string): string[] {
  if (type === 'string') return typeof value === 'string' ? [] : [`${at}: not a string`];
  if (type === 'double' || type === 'float')
    return typeof value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(value as string)
      ? []
      : [`${at}: not a number`];
  if (type === 'int64' || type === 'int32')
    return Number.isInteger(typeof value === 'string' ? Number(value) : value)
      ? []
      : [`${at}: not an integer`];
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
  if (PROTO.enums.has(type)) return typeof value === 'string' ? [] : [`${at}: not an enum name`];
  if (SCALARS.has(type)) return [];
  return messageProblems(type, value, at);
}

/** Problems of a request: endpoint, fields, required fields. */
function requestProblems(
  method: string,
  url: URL,
  body: unknown,
): { endpoint?: ProtoEndpoint; problems: string[] } {
  const endpoint = PROTO.endpoints.find((e) => e.method === method && e.path === url.pathname);
  if (!endpoint) return { problems: [`${method} ${url.pathname} is not an endpoint of MLflow's REST API`] };
  const message = PROTO.messages.get(endpoint.request)!;
  const given: Record<string, unknown> = {};
  if (method === 'GET') {
    for (const [key, value] of url.searchParams) given[key] = value;
    if (body !== undefined) return { endpoint, problems: [`${endpoint.rpc}: a GET carries no body`] };
  } else Object.assign(given, body ?? {});
  const problems = messageProblems(endpoint.request, given);
  for (const field of message.fields.values())
    if (field.required && given[field.name] === undefined)
      problems.push(`${endpoint.rpc}: ${field.name} is required`);
  return { endpoint, problems };
}

/** One model version in the fake registry. */
export interface FakeModelVersion {
  name: string;
  version: string;
  run_id: string;
  status?: string;
  aliases?: string[];
  tags?: { key: string; value: string }[];
  /** The rest of a real answer's fields (mlflow.ModelVersion), replayed as given. */
  source?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  user_id?: string;
  description?: string;
}

/**
 * The filters search_model_versions parses that modelgate may send:
 * comparisons of name, run_id or a tag with a quoted string, joined by AND
 * (mlflow/utils/search_utils.py, SearchModelVersionUtils). Anything else is
 * refused, so a filter the real server would reject fails here too.
 */
const FILTER_CLAUSE = String.raw`(name|run_id|source_path|tags\.[\w.]+)\s*=\s*'([^']*)'`;
const FILTER = new RegExp(String.raw`^\s*${FILTER_CLAUSE}(\s+and\s+${FILTER_CLAUSE})*\s*$`, 'i');

/** MLflow's rule for alias names (mlflow/utils/validation.py, _validate_model_alias_name). */
function aliasRefusal(alias: string): string | undefined {
  if (!/^[\w-]*$/.test(alias) || !alias || alias.length > 255) return `Invalid alias name: '${alias}'`;
  if (alias.toLowerCase() === 'latest') return "'latest' alias name (case insensitive) is reserved.";
  if (/^[vV]\d+$/.test(alias)) return `Version alias name '${alias}' is reserved.`;
  return undefined;
}

/** A running fake MLflow server. */
export interface FakeMlflow {
  url: string;
  /** Runs by id: a runs/get answer's `run` object. */
  runs: Map<string, unknown>;
  /** Metric histories by `runId/key`: a get-history answer's `metrics`. */
  histories: Map<string, unknown[]>;
  versions: FakeModelVersion[];
  requests: { method: string; path: string; body?: unknown; authorization?: string }[];
  violations: string[];
  /** Answer every request with this status (a server that is down). */
  failWith?: number;
  /** Answer one RPC (by its proto name, e.g. setRegisteredModelAlias) with this status and MLflow error. */
  refuse?: { rpc: string; status: number; error_code: string; message: string };
  close(): Promise<void>;
}

/** Starts the fake; `token`: the bearer token it requires (none: it requires none, like a plain `mlflow server`). */
export async function startFakeMlflow(options: { token?: string } = {}): Promise<FakeMlflow> {
  const fake: FakeMlflow = {
    url: '',
    runs: new Map(),
    histories: new Map(),
    versions: [],
    requests: [],
    violations: [],
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        fake.violations.push(`${req.method} ${url.pathname}: body is not JSON`);
      }
    }
    fake.requests.push({
      method: req.method ?? '',
      path: `${url.pathname}${url.search}`,
      ...(body !== undefined ? { body } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const send = (status: number, answer: unknown, type?: string) => {
      if (status === 200 && type) {
        const problems = messageProblems(type, answer);
        if (problems.length) fake.violations.push(...problems.map((p) => `the fake's own answer: ${p}`));
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    };
    if (fake.failWith) return send(fake.failWith, { error_code: 'INTERNAL_ERROR', message: 'down' });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`)
      return send(401, { error_code: 'UNAUTHENTICATED', message: 'credentials required' });
    const { endpoint, problems } = requestProblems(req.method ?? '', url, body);
    if (!endpoint || problems.length) {
      fake.violations.push(...problems);
      return send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: problems.join('; ') });
    }
    if (fake.refuse?.rpc === endpoint.rpc)
      return send(fake.refuse.status, { error_code: fake.refuse.error_code, message: fake.refuse.message });
    const given = (req.method === 'GET' ? Object.fromEntries(url.searchParams) : body) as Record<
      string,
      string
    >;
    const missing = (what: string) =>
      send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `${what} not found` });
    switch (endpoint.rpc) {
      case 'getRun': {
        const run = fake.runs.get(given.run_id ?? '');
        return run ? send(200, { run }, 'GetRun.Response') : missing(`Run '${given.run_id}'`);
      }
      case 'getMetricHistory':
        return send(
          200,
          { metrics: fake.histories.get(`${given.run_id}/${given.metric_key}`) ?? [] },
          'GetMetricHistory.Response',
        );
      case 'searchModelVersions': {
        if (!FILTER.test(given.filter ?? '')) {
          fake.violations.push(`searchModelVersions: MLflow cannot parse the filter ${given.filter}`);
          return send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid filter' });
        }
        const clauses = [...(given.filter ?? '').matchAll(/(\w+)\s*=\s*'([^']*)'/g)].map(
          (m) => [m[1]!, m[2]!] as const,
        );
        const matched = fake.versions.filter((v) =>
          clauses.every(([k, want]) => (v as unknown as Record<string, string>)[k] === want),
        );
        return send(
          200,
          { model_versions: matched.map((v) => ({ ...v, status: v.status ?? 'READY' })) },
          'SearchModelVersions.Response',
        );
      }
      case 'setModelVersionTag': {
        const v = fake.versions.find((x) => x.name === given.name && x.version === given.version);
        if (!v) return missing(`Model version ${given.name} ${given.version}`);
        v.tags = [
          ...(v.tags ?? []).filter((t) => t.key !== given.key),
          { key: given.key!, value: given.value! },
        ];
        return send(200, {}, 'SetModelVersionTag.Response');
      }
      case 'setRegisteredModelAlias': {
        const refused = aliasRefusal(given.alias ?? '');
        if (refused) {
          fake.violations.push(`setRegisteredModelAlias: ${refused}`);
          return send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: refused });
        }
        const v = fake.versions.find((x) => x.name === given.name && x.version === given.version);
        if (!v) return missing(`Model version ${given.name} ${given.version}`);
        for (const other of fake.versions)
          if (other.name === given.name)
            other.aliases = (other.aliases ?? []).filter((a) => a !== given.alias);
        v.aliases = [...(v.aliases ?? []), given.alias!];
        return send(200, {}, 'SetRegisteredModelAlias.Response');
      }
      default:
        return send(501, { error_code: 'NOT_IMPLEMENTED', message: `${endpoint.rpc} is not in the fake` });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
