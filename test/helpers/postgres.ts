import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's PostgreSQL (package postgresql; 15 on bookworm): scripts/test.sh installs it. The newest one installed. */
const BIN = (() => {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').filter(
        (v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/initdb`),
      )
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
  return `/usr/lib/postgresql/${newest}/bin`;
})();

/** A real PostgreSQL on 127.0.0.1, in a temporary folder, gone after stop(). */
export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a throwaway cluster: initdb (trust on loopback only, no fsync: the
 * data dies with the test) and postgres on a random port, as the `postgres`
 * user when the tests run as root (the server refuses root). A missing
 * binary fails the test: real-server tests are never skipped silently.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-pg-'));
  // The server refuses to run as root: then it runs as Debian's postgres user, which owns the folder.
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const id = (flag: string) =>
      Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    owner = { uid: id('-u'), gid: id('-g') };
    chownSync(dir, owner.uid, owner.gid);
  }
  const data = join(dir, 'data');
  const init = spawnSync(
    join(BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { encoding: 'utf8', ...owner },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.error?.message ?? init.stderr}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(BIN, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { stdio: 'ignore', ...owner },
  );
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGINT: PostgreSQL's fast shutdown (ends sessions, no checkpoint wait worth having here).
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !spawnError && child.exitCode === null) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return { url, port, stop };
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await stop();
  throw new Error(
    `postgres did not answer on 127.0.0.1:${port}${spawnError ? `: ${spawnError.message}` : ''}`,
  );
}

/**
 * LiteLLM's request log, with the columns of "LiteLLM_SpendLogs" the preset
 * reads, typed as LiteLLM's Prisma schema declares them (BerriAI/litellm,
 * schema.prisma; Prisma maps String to text, DateTime to timestamp(3), Json
 * to jsonb).
 */
export const LITELLM_SPEND_LOGS = `CREATE TABLE "LiteLLM_SpendLogs" (
  request_id text PRIMARY KEY,
  call_type text NOT NULL,
  api_key text NOT NULL DEFAULT '',
  spend double precision NOT NULL DEFAULT 0,
  "startTime" timestamp(3) NOT NULL,
  "endTime" timestamp(3) NOT NULL,
  model text NOT NULL DEFAULT '',
  model_id text DEFAULT '',
  model_group text DEFAULT '',
  messages jsonb DEFAULT '{}',
  response jsonb DEFAULT '{}',
  status text,
  proxy_server_request jsonb DEFAULT '{}'
)`;

/** One call in LiteLLM's log: `id` is LiteLLM's own, `xRequestId` the header the mirror keeps. */
export interface LiteLlmCall {
  model: string;
  id: string;
  xRequestId: string;
  version: string;
  at: string;
  answer: string | null;
  status?: string;
}

/** Logs one call as LiteLLM writes it: the OpenAI response body in `response`, the request's headers in `proxy_server_request`. */
export async function logLiteLlmCall(db: pg.Client, row: LiteLlmCall): Promise<void> {
  await db.query(
    `INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, "startTime", "endTime", model, model_id, model_group, messages, response, status, proxy_server_request)
     VALUES ($1, 'acompletion', $2, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.at,
      `hosted_vllm/${row.model}`,
      `${row.model}@${row.version}`,
      row.model,
      JSON.stringify([{ role: 'user', content: `question of ${row.xRequestId}` }]),
      JSON.stringify(
        row.answer === null
          ? {}
          : {
              id: `chatcmpl-${row.id}`,
              object: 'chat.completion',
              choices: [
                { index: 0, message: { role: 'assistant', content: row.answer }, finish_reason: 'stop' },
              ],
            },
      ),
      row.status ?? 'success',
      JSON.stringify({
        url: '/chat/completions',
        method: 'POST',
        headers: { 'x-request-id': row.xRequestId },
      }),
    ],
  );
}
