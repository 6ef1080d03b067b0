import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMlflow, type FakeMlflow } from '../../helpers/fake-mlflow.js';
import { startFakeWandb, type FakeWandb } from '../../helpers/fake-wandb.js';

// The fakes are only as good as their refusals: a request MLflow's protos or W&B's client shapes do not allow fails.
describe('the fake MLflow refuses what the real API would', () => {
  let mlflow: FakeMlflow;
  beforeAll(async () => {
    mlflow = await startFakeMlflow();
  });
  afterAll(() => mlflow.close());

  it.each([
    ['GET', '/api/2.0/mlflow/runs/get?id=abc', undefined, 'GetRun.id: GetRun has no field id'],
    [
      'POST',
      '/api/2.0/mlflow/runs/get?run_id=abc',
      undefined,
      'POST /api/2.0/mlflow/runs/get is not an endpoint',
    ],
    [
      'GET',
      '/api/2.0/mlflow/metrics/get-history?run_id=abc',
      undefined,
      'getMetricHistory: metric_key is required',
    ],
    [
      'POST',
      '/api/2.0/mlflow/registered-models/alias',
      { name: 'm', alias: 'production' },
      'setRegisteredModelAlias: version is required',
    ],
    ['GET', '/api/2.0/mlflow/registered-models/get-alias?name=m', undefined, 'is not an endpoint'],
  ])('%s %s', async (method, path, body, problem) => {
    mlflow.violations.length = 0;
    const response = await fetch(`${mlflow.url}${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    expect(response.status).toBe(400);
    expect(mlflow.violations.join('\n')).toContain(problem);
  });

  it('checks its own replayed answers against the response messages', async () => {
    mlflow.violations.length = 0;
    mlflow.runs.set('abc', { info: { run_id: 'abc', status: 'FINISHED' }, data: { metric: [] } });
    await fetch(`${mlflow.url}/api/2.0/mlflow/runs/get?run_id=abc`);
    expect(mlflow.violations).toEqual([
      "the fake's own answer: GetRun.Response.run.data.metric: RunData has no field metric",
    ]);
  });
});

describe('the fake W&B refuses queries its public client would not send', () => {
  let wandb: FakeWandb;
  beforeAll(async () => {
    wandb = await startFakeWandb('key');
  });
  afterAll(() => wandb.close());
  const auth = {
    authorization: `Basic ${Buffer.from('api:key').toString('base64')}`,
    'content-type': 'application/json',
  };

  it('a field the client never selects on a Run', async () => {
    const query = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) { name summary } } }`;
    const response = await fetch(`${wandb.url}/graphql`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query, variables: { project: 'p', entity: 'e', name: 'r' } }),
    });
    expect(response.status).toBe(400);
    expect(wandb.violations).toEqual(['Run has no field(s) the client selects: summary']);
  });

  it('a key that is not the configured one is refused with 401', async () => {
    const response = await fetch(`${wandb.url}/graphql`, {
      method: 'POST',
      headers: { ...auth, authorization: 'Basic eDp5' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});
