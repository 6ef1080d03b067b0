import { z } from 'zod';

/**
 * `shadow:` in `.github/modelgate.yml` (default branch only): where a
 * shadow's answers are read and who judges them. The database URL is never
 * here: it comes from the app's environment (MODELGATE_SHADOW_DATABASE_URL),
 * and a manifest never names a query, a column or an endpoint.
 */
export interface ShadowSettings {
  /** The request log's query, or undefined when the settings configure none (then only replay can compare outputs). */
  outputs?: OutputsQuery;
  /** The pairwise judge's endpoint, when the settings configure one. */
  judge?: JudgeEndpointSettings;
}

/** The SQL that returns one interval's pairs, and the names of its result columns. */
export interface OutputsQuery {
  /** `preset` name, or `custom` for a query written in the settings. */
  kind: 'litellm' | 'custom';
  sql: string;
  columns: { requestId: string; production: string; shadow: string; prompt?: string };
  /** Milliseconds the database may spend on the query. */
  statementTimeoutMs: number;
}

/** Where the pairwise judge answers (an OpenAI-compatible endpoint); its key comes from the environment. */
export interface JudgeEndpointSettings {
  url: string;
  model: string;
  /** At most this many pairs judged per interval (each costs two judge requests). */
  maxPairs: number;
}

/**
 * The parameters every outputs query receives, in this order: the model,
 * production's version, the shadow's version, the window's start and end
 * (timestamptz; start inclusive, end exclusive) and the sampling cap.
 */
const QUERY_PARAMETERS = [
  'model',
  'production_version',
  'shadow_version',
  'window_start',
  'window_end',
  'limit',
] as const;

/**
 * The preset for LiteLLM's proxy request log, the `LiteLLM_SpendLogs` table
 * of its Prisma schema (BerriAI/litellm, schema.prisma: `request_id`,
 * `model_group`, `model_id`, `startTime`, `status`, `messages` Json,
 * `response` Json, `proxy_server_request` Json). Assumptions (docs/shadow.md):
 * the proxy stores prompts and responses (`store_prompts_in_spend_logs: true`),
 * each version is its own deployment with `model_info.id: <model>@<version>`
 * in the model group `<model>`, and the mirror keeps the request's
 * `x-request-id` header, which joins a request's two rows. A mirrored
 * request the shadow failed (a logged call whose status is not `success`)
 * counts as an empty answer: a shadow that fails on the hard requests must
 * not be judged on the easy ones only.
 */
const LITELLM_QUERY = `WITH answers AS (
  SELECT proxy_server_request #>> '{headers,x-request-id}' AS request_id,
         model_id,
         messages::text AS prompt,
         response #>> '{choices,0,message,content}' AS output,
         status,
         "startTime"
  FROM "LiteLLM_SpendLogs"
  WHERE model_group = $1
    AND model_id IN ($1 || '@' || $2, $1 || '@' || $3)
    AND "startTime" >= $4::timestamptz - interval '5 minutes'
    AND "startTime" < $5::timestamptz
)
SELECT p.request_id AS request_id, p.prompt AS prompt, p.output AS production,
       CASE WHEN s.status = 'success' THEN coalesce(s.output, '') ELSE '' END AS shadow
FROM answers p
JOIN answers s ON s.request_id = p.request_id AND s.model_id = $1 || '@' || $3
WHERE p.model_id = $1 || '@' || $2
  AND p.status = 'success'
  AND p."startTime" >= $4::timestamptz
  AND p.request_id IS NOT NULL AND p.output IS NOT NULL
ORDER BY md5(p.request_id)
LIMIT $6::int`;

/** Longest a query may run: a request log behind an index answers in well under this. */
const TIMEOUT_PATTERN = /^(\d+)(s|m)$/;
const DEFAULT_TIMEOUT = '30s';
const MAX_TIMEOUT_MS = 5 * 60_000;

function timeoutMs(text: string): number | undefined {
  const match = TIMEOUT_PATTERN.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (match[2] === 's' ? 1000 : 60_000);
  return ms >= 1000 && ms <= MAX_TIMEOUT_MS ? ms : undefined;
}

/** Why a custom query cannot be run as modelgate runs it, or undefined when it can. */
function queryProblem(sql: string): string | undefined {
  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const beyond = [...used].filter((n) => n < 1 || n > QUERY_PARAMETERS.length);
  if (beyond.length)
    return `the query uses $${beyond[0]}; only $1 to $${QUERY_PARAMETERS.length} exist (${QUERY_PARAMETERS.join(', ')})`;
  const missing = QUERY_PARAMETERS.map((_, i) => i + 1).filter((n) => !used.has(n));
  if (missing.length)
    return `the query must use every parameter, $${missing.join(', $')} missing (${QUERY_PARAMETERS.map((p, i) => `$${i + 1} ${p}`).join(', ')}; LIMIT $6 caps the sample)`;
  if (sql.includes(';')) return 'one statement only: no ";"';
  return undefined;
}

const column = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a result column name (letters, digits, _)');

/** The zod schema of the `shadow:` section, for the settings file's parser. */
export const shadowSettingsSchema = z.strictObject({
  outputs: z
    .union([
      z.strictObject({
        preset: z.literal('litellm'),
        statement_timeout: z.string().optional(),
      }),
      z.strictObject({
        query: z
          .string()
          .min(1)
          .max(16 * 1024)
          .superRefine((sql, ctx) => {
            const problem = queryProblem(sql);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        columns: z
          .strictObject({
            request_id: column.optional(),
            production: column.optional(),
            shadow: column.optional(),
            prompt: column.optional(),
          })
          .optional(),
        statement_timeout: z.string().optional(),
      }),
    ])
    .superRefine((outputs, ctx) => {
      if (outputs.statement_timeout !== undefined && timeoutMs(outputs.statement_timeout) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['statement_timeout'],
          message: 'a duration from 1s to 5m, such as 30s',
        });
    })
    .optional(),
  judge: z
    .strictObject({
      url: z
        .string()
        .max(1024)
        .superRefine((text, ctx) => {
          let url: URL | undefined;
          try {
            url = new URL(text);
          } catch {
            // reported below
          }
          if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
            ctx.addIssue({
              code: 'custom',
              message: 'an http(s) URL of an OpenAI-compatible API, e.g. http://judge:8000/v1',
            });
          else if (url.username || url.password)
            ctx.addIssue({
              code: 'custom',
              message: 'credentials do not belong in the URL: the app sends MODELGATE_JUDGE_API_KEY',
            });
        }),
      model: z.string().min(1).max(256),
      max_pairs: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
});

/** The section as the app uses it, defaults filled in. */
export function readShadowSection(section: z.infer<typeof shadowSettingsSchema> | undefined): ShadowSettings {
  const out: ShadowSettings = {};
  const outputs = section?.outputs;
  if (outputs) {
    const statementTimeoutMs = timeoutMs(outputs.statement_timeout ?? DEFAULT_TIMEOUT)!;
    out.outputs =
      'preset' in outputs
        ? {
            kind: 'litellm',
            sql: LITELLM_QUERY,
            columns: {
              requestId: 'request_id',
              production: 'production',
              shadow: 'shadow',
              prompt: 'prompt',
            },
            statementTimeoutMs,
          }
        : {
            kind: 'custom',
            sql: outputs.query,
            columns: {
              requestId: outputs.columns?.request_id ?? 'request_id',
              production: outputs.columns?.production ?? 'production',
              shadow: outputs.columns?.shadow ?? 'shadow',
              ...(outputs.columns?.prompt ? { prompt: outputs.columns.prompt } : {}),
            },
            statementTimeoutMs,
          };
  }
  if (section?.judge)
    out.judge = {
      url: section.judge.url,
      model: section.judge.model,
      maxPairs: section.judge.max_pairs ?? 100,
    };
  return out;
}
