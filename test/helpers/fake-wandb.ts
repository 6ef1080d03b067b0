import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A fake W&B GraphQL API on 127.0.0.1. W&B does not publish its GraphQL
 * schema, so a request is checked against the shapes W&B's own public
 * client sends (test/fixtures/tracking/wandb/run-fragment.graphql, copied
 * from wandb/wandb): POST /graphql with basic auth `api:<key>`, a JSON body
 * of {query, variables}; the query's variables are exactly the client's
 * (`$project: String!, $entity: String!, $name: String!`), its root is
 * `project(name: $project, entityName: $entity) { run(name: $name) {…} }`,
 * and every field it selects on the run is one the client selects. Anything
 * else is answered 400 and recorded in `violations`.
 */

const CLIENT = readFileSync(
  fileURLToPath(new URL('../fixtures/tracking/wandb/run-fragment.graphql', import.meta.url)),
  'utf8',
).replace(/#.*$/gm, '');

/** Scalar fields the client selects on a Run (object fields like `user` are not read by modelgate). */
const RUN_FIELDS = new Set(
  [...CLIENT.slice(CLIENT.indexOf('fragment RunFragment')).matchAll(/^\s+(\w+)\s*$/gm)]
    .map((m) => m[1]!)
    .concat('projectId'),
);
const VARIABLES =
  /query\s+\w+\(\s*\$project:\s*String!\s*,\s*\$entity:\s*String!\s*,\s*\$name:\s*String!\s*\)/;
const ROOT =
  /^\s*query[^{]*\{\s*project\(name:\s*\$project,\s*entityName:\s*\$entity\)\s*\{\s*run\(name:\s*\$name\)\s*\{([^{}]*)\}\s*\}\s*\}\s*$/;

/** A run as the API stores it: config and summaryMetrics are JSON strings, as W&B answers them. */
export interface FakeWandbRun {
  name: string;
  displayName?: string;
  state: string;
  config: Record<string, { value: unknown; desc?: string | null }>;
  summaryMetrics: Record<string, unknown>;
  tags: string[];
  commit?: string | null;
}

export interface FakeWandb {
  url: string;
  /** Runs by `entity/project/name`. */
  runs: Map<string, FakeWandbRun>;
  requests: { query: string; variables: Record<string, unknown>; authorization?: string }[];
  violations: string[];
  close(): Promise<void>;
}

/** Starts the fake, accepting one API key. */
export async function startFakeWandb(apiKey: string): Promise<FakeWandb> {
  const fake: FakeWandb = {
    url: '',
    runs: new Map(),
    requests: [],
    violations: [],
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const reject = (problem: string) => {
      fake.violations.push(problem);
      send(400, { errors: [{ message: problem }] });
    };
    if (req.method !== 'POST' || req.url !== '/graphql')
      return reject(`${req.method} ${req.url} is not the GraphQL endpoint`);
    if (req.headers.authorization !== `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`)
      return send(401, { errors: [{ message: 'user is not logged in' }] });
    let body: { query?: unknown; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reject('the body is not JSON');
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const variables = body.variables ?? {};
    fake.requests.push({
      query,
      variables,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (!VARIABLES.test(query))
      return reject("the query's variables are not the client's ($project, $entity, $name: String!)");
    const root = ROOT.exec(query.replace(VARIABLES, 'query'));
    if (!root) return reject('the query is not project(name, entityName) { run(name) { … } }');
    const fields = root[1]!.split(/\s+/).filter(Boolean);
    const unknown = fields.filter((f) => !RUN_FIELDS.has(f));
    if (unknown.length) return reject(`Run has no field(s) the client selects: ${unknown.join(', ')}`);
    for (const key of ['project', 'entity', 'name'])
      if (typeof variables[key] !== 'string') return reject(`variable $${key} is not a string`);
    const run = fake.runs.get(`${variables.entity}/${variables.project}/${variables.name}`);
    if (!run) return send(200, { data: { project: null } });
    const full: Record<string, unknown> = {
      id: Buffer.from(`Run:v1:${run.name}:${variables.project}:${variables.entity}`).toString('base64'),
      name: run.name,
      displayName: run.displayName ?? run.name,
      state: run.state,
      config: JSON.stringify(run.config),
      summaryMetrics: JSON.stringify(run.summaryMetrics),
      tags: run.tags,
      commit: run.commit ?? null,
    };
    send(200, { data: { project: { run: Object.fromEntries(fields.map((f) => [f, full[f] ?? null])) } } });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
