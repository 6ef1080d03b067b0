import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPostgresPairs } from '../../../src/io/shadow/postgres.js';
import { readShadowSection, shadowSettingsSchema } from '../../../src/io/shadow/settings-schema.js';
import {
  LITELLM_SPEND_LOGS,
  logLiteLlmCall,
  startPostgres,
  type LiteLlmCall,
  type RunningPostgres,
} from '../../helpers/postgres.js';

let server: RunningPostgres;
let db: pg.Client;

const logCall = (row: Omit<LiteLlmCall, 'model'>) => logLiteLlmCall(db, { model: 'support-bot', ...row });

beforeAll(async () => {
  server = await startPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  await db.query(LITELLM_SPEND_LOGS);
  // Request r1..r6 answered by production 1.2.0, mirrored to the shadow 1.3.0 a moment later.
  for (let i = 1; i <= 6; i += 1) {
    const at = `2026-11-22T10:0${i}:00Z`;
    await logCall({
      id: `p${i}`,
      xRequestId: `r${i}`,
      version: '1.2.0',
      at,
      answer: `Answer ${i} from production`,
    });
    await logCall({
      id: `s${i}`,
      xRequestId: `r${i}`,
      version: '1.3.0',
      at: `2026-11-22T10:0${i}:02Z`,
      answer: `Answer ${i} from the shadow`,
    });
  }
  // A request the shadow failed (no answer), one outside the window, another model's traffic.
  await logCall({
    id: 'p7',
    xRequestId: 'r7',
    version: '1.2.0',
    at: '2026-11-22T10:07:00Z',
    answer: 'Answer 7',
  });
  await logCall({
    id: 's7',
    xRequestId: 'r7',
    version: '1.3.0',
    at: '2026-11-22T10:07:01Z',
    answer: null,
    status: 'failure',
  });
  await logCall({ id: 'p8', xRequestId: 'r8', version: '1.2.0', at: '2026-11-22T11:30:00Z', answer: 'late' });
  await logCall({ id: 's8', xRequestId: 'r8', version: '1.3.0', at: '2026-11-22T11:30:01Z', answer: 'late' });
}, 60_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
});

const window = {
  model: 'support-bot',
  productionVersion: '1.2.0',
  shadowVersion: '1.3.0',
  start: new Date('2026-11-22T10:00:00Z'),
  end: new Date('2026-11-22T10:10:00Z'),
  limit: 500,
};
const litellm = () =>
  readShadowSection(shadowSettingsSchema.parse({ outputs: { preset: 'litellm' } })).outputs!;

describe('the PostgreSQL output source', () => {
  it("pairs production's and the shadow's answers in LiteLLM's spend log by the mirrored x-request-id", async () => {
    const read = await readPostgresPairs(server.url, litellm(), window);
    expect(read).toMatchObject({ skipped: 0 });
    if (!('pairs' in read)) throw new Error(read.error);
    const byId = new Map(read.pairs.map((p) => [p.id, p]));
    // r7, which the shadow failed, is an empty answer: a failing shadow is not judged on its successes only.
    expect([...byId.keys()].sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(byId.get('r7')).toMatchObject({ production: 'Answer 7', shadow: '' });
    expect(byId.get('r3')).toMatchObject({
      production: 'Answer 3 from production',
      shadow: 'Answer 3 from the shadow',
    });
    expect(byId.get('r3')!.prompt).toContain('question of r3');
  });

  it('takes at most the sampling cap, passed to the query as its LIMIT', async () => {
    const read = await readPostgresPairs(server.url, litellm(), { ...window, limit: 2 });
    expect('pairs' in read && read.pairs.length).toBe(2);
  });

  it('passes every value as a parameter: a quote in a version cannot change the query', async () => {
    const read = await readPostgresPairs(server.url, litellm(), {
      ...window,
      shadowVersion: "1.3.0' OR '1'='1",
    });
    expect(read).toEqual({ pairs: [], skipped: 0 });
  });

  it('runs the query READ ONLY: a query that writes fails and writes nothing', async () => {
    const query = readShadowSection(
      shadowSettingsSchema.parse({
        outputs: {
          query: `WITH gone AS (DELETE FROM "LiteLLM_SpendLogs" RETURNING request_id)
                  SELECT request_id, '' AS production, '' AS shadow FROM gone
                  WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND $3::text IS NOT NULL
                    AND $4::timestamptz IS NOT NULL AND $5::timestamptz IS NOT NULL LIMIT $6::int`,
        },
      }),
    ).outputs!;
    const read = await readPostgresPairs(server.url, query, window);
    // PostgreSQL names the statement (a SELECT with a data-modifying WITH), not the DELETE inside it.
    expect(read).toEqual({
      error: 'the outputs query failed (SQLSTATE 25006): cannot execute SELECT in a read-only transaction',
    });
    const { rows } = await db.query('SELECT count(*)::int AS n FROM "LiteLLM_SpendLogs"');
    expect(rows[0].n).toBe(16);
  });

  it('stops a slow query at statement_timeout', async () => {
    const query = readShadowSection(
      shadowSettingsSchema.parse({
        outputs: {
          statement_timeout: '1s',
          query: `SELECT 'r' AS request_id, 'a' AS production, 'b' AS shadow, pg_sleep(30)
                  WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND $3::text IS NOT NULL
                    AND $4::timestamptz IS NOT NULL AND $5::timestamptz IS NOT NULL LIMIT $6::int`,
        },
      }),
    ).outputs!;
    const started = Date.now();
    const read = await readPostgresPairs(server.url, query, window);
    expect(read).toEqual({
      error: 'the outputs query failed (SQLSTATE 57014): canceling statement due to statement timeout',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names the missing result column, and never shows the database password', async () => {
    const custom = readShadowSection(
      shadowSettingsSchema.parse({
        outputs: {
          query: `SELECT 'r' AS rid, 'a' AS production, 'b' AS shadow
                  WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND $3::text IS NOT NULL
                    AND $4::timestamptz IS NOT NULL AND $5::timestamptz IS NOT NULL LIMIT $6::int`,
        },
      }),
    ).outputs!;
    expect(await readPostgresPairs(server.url, custom, window)).toEqual({
      error:
        'the outputs query returns no column "request_id" (it returns rid, production, shadow); fix shadow.outputs.columns in .github/modelgate.yml',
    });
    const secretUrl = `postgresql://nobody:s3cret-pa55@127.0.0.1:${server.port}/missing`;
    const read = await readPostgresPairs(secretUrl, custom, window);
    expect('error' in read && read.error).toMatch(/^the outputs query failed( \(SQLSTATE \w{5}\))?: /);
    expect(JSON.stringify(read)).not.toContain('s3cret-pa55');
  });

  it("never quotes a value from the database in its error: the report is public, the role's tables are not", async () => {
    await db.query(`CREATE TABLE secrets (token text); INSERT INTO secrets VALUES ('tok-123-secret')`);
    const leaking = readShadowSection(
      shadowSettingsSchema.parse({
        outputs: {
          query: `SELECT CAST((SELECT token FROM secrets LIMIT 1) AS int) AS request_id, 'a' AS production, 'b' AS shadow
                  WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND $3::text IS NOT NULL
                    AND $4::timestamptz IS NOT NULL AND $5::timestamptz IS NOT NULL LIMIT $6::int`,
        },
      }),
    ).outputs!;
    const read = await readPostgresPairs(server.url, leaking, window);
    expect(read).toEqual({
      error: 'the outputs query failed (SQLSTATE 22P02): invalid input syntax for type integer: "…"',
    });
  });
});

describe('the shadow: settings section', () => {
  it.each([
    [
      { outputs: { query: 'SELECT 1 LIMIT $6' } },
      'the query must use every parameter, $1, $2, $3, $4, $5 missing',
    ],
    [{ outputs: { query: 'SELECT $1,$2,$3,$4,$5,$6,$7' } }, 'the query uses $7; only $1 to $6 exist'],
    [{ outputs: { query: 'SELECT $1,$2,$3,$4,$5 LIMIT $6; DROP TABLE x' } }, 'one statement only'],
    [{ outputs: { preset: 'litellm', statement_timeout: '2h' } }, 'a duration from 1s to 5m'],
    [{ judge: { url: 'http://user:pw@judge/v1', model: 'j' } }, 'credentials do not belong in the URL'],
    [{ outputs: { preset: 'helicone' } }, 'Invalid'],
  ])('refuses %j', (section, words) => {
    const parsed = shadowSettingsSchema.safeParse(section);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(words);
  });
});
