import pg from 'pg';
import type { OutputPair } from '../../core/shadow/compare.js';
import { MAX_ANSWER_CHARS } from '../../core/shadow/recorded.js';
import type { OutputsQuery } from './settings-schema.js';

/** One interval's request for pairs: who, which versions, which window, how many at most. */
export interface PairsWindow {
  model: string;
  productionVersion: string;
  shadowVersion: string;
  start: Date;
  end: Date;
  /** The sampling cap (`outputs.sample`): passed to the query as $6 and enforced on the rows. */
  limit: number;
}

/** The pairs, or why there are none: the error never carries the database URL or its password. */
export type PairsRead = { pairs: OutputPair[]; skipped: number } | { error: string };

/** How long connecting may take before the interval's source counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Reads one interval's pairs from a PostgreSQL request log with node-postgres.
 * The query comes from the settings (a preset or the operator's SQL), never
 * from a manifest; every value is a `$n` parameter, never spliced into the
 * text. It runs in a READ ONLY transaction with `statement_timeout` set for
 * that transaction only, so a wrong query can neither write nor hang the
 * app. Rows whose answers are not strings (a failed call logs null) are
 * skipped and counted; rows beyond the cap are dropped.
 */
export async function readPostgresPairs(
  databaseUrl: string,
  query: OutputsQuery,
  window: PairsWindow,
): Promise<PairsRead> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'modelgate-shadow',
  });
  // A connection error after connect() (server restart) must not crash the app: it fails the query instead.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    await client.query("SELECT set_config('statement_timeout', $1, true)", [
      String(query.statementTimeoutMs),
    ]);
    const result = await client.query<Record<string, unknown>>(query.sql, [
      window.model,
      window.productionVersion,
      window.shadowVersion,
      window.start.toISOString(),
      window.end.toISOString(),
      window.limit,
    ]);
    await client.query('ROLLBACK');
    const names = [query.columns.requestId, query.columns.production, query.columns.shadow];
    const missing = names.filter((name) => !result.fields.some((f) => f.name === name));
    if (missing.length)
      return {
        error: `the outputs query returns no column ${missing.map((m) => `"${m}"`).join(', ')} (it returns ${result.fields.map((f) => f.name).join(', ') || 'none'}); fix shadow.outputs.columns in .github/modelgate.yml`,
      };
    const pairs: OutputPair[] = [];
    let skipped = 0;
    for (const row of result.rows.slice(0, window.limit)) {
      const id = row[query.columns.requestId];
      const production = row[query.columns.production];
      const shadow = row[query.columns.shadow];
      const prompt = query.columns.prompt ? row[query.columns.prompt] : undefined;
      if (
        (typeof id !== 'string' && typeof id !== 'number') ||
        typeof production !== 'string' ||
        typeof shadow !== 'string'
      ) {
        skipped += 1;
        continue;
      }
      pairs.push({
        id: String(id),
        production: production.slice(0, MAX_ANSWER_CHARS),
        shadow: shadow.slice(0, MAX_ANSWER_CHARS),
        ...(typeof prompt === 'string' ? { prompt: prompt.slice(0, MAX_ANSWER_CHARS) } : {}),
      });
    }
    return { pairs, skipped };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
    return {
      error: `the outputs query failed${sqlState}: ${withoutValues(redact((error as Error).message, databaseUrl))}`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The message without the URL or its password, should a driver ever quote them. */
function redact(message: string, databaseUrl: string): string {
  let out = message.split(databaseUrl).join('[database URL]');
  try {
    const password = decodeURIComponent(new URL(databaseUrl).password);
    if (password) out = out.split(password).join('[password]');
  } catch {
    // Not a URL (a libpq key=value string): nothing more to take out than the whole string.
  }
  return out.slice(0, 400);
}

/**
 * The message with every quoted value taken out. The error lands in the
 * public report: PostgreSQL quotes the offending value (`invalid input
 * syntax for type integer: "…"`), which could be a row of any table the
 * role can read.
 */
function withoutValues(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'");
}
