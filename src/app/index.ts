import type { ApplicationFunctionOptions, Probot } from 'probot';
import { sameSecret } from '../core/integrity/seal.js';
import type { CommentAuthor } from '../core/report/sticky.js';
import { handleComment } from './chatops/handle-comment.js';
import { appConfig, type AppConfig } from './config.js';
import { asOctokit } from './octokit.js';
import { startAnalysis } from './start-analysis.js';
import { tickRepository } from './tick.js';
import type { AppTrust } from './trust.js';

/**
 * The app's bot account, from GET /app with the app's own JWT: `<slug>[bot]`
 * of type Bot. Its comments are the only ones the app reads state from.
 * (`performed_via_github_app` is not used: GitHub documents it as nullable,
 * and it also names an app when a person acts through it, so it does not
 * prove the app wrote the text.)
 */
async function appIdentity(app: Probot): Promise<CommentAuthor> {
  const octokit = await app.auth();
  const { data } = await octokit.rest.apps.getAuthenticated();
  if (!data?.slug) throw new Error('GitHub did not name the app (GET /app has no slug)');
  return { login: `${data.slug}[bot]`, type: 'Bot' };
}

/** Whether an Authorization header carries the tick secret (compared in constant time). */
export function tickAuthorized(header: string | undefined, secret: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  return given !== undefined && sameSecret(given, secret);
}

/**
 * The modelgate GitHub App: starts a canary analysis when a modelgate canary
 * deployment goes live (deployment_status), judges running canaries on a
 * schedule (in process, or POST /modelgate/tick from a cron job), and answers
 * ChatOps commands in pull-request and issue comments (issue_comment).
 */
export default function modelgateApp(
  app: Probot,
  options?: Partial<ApplicationFunctionOptions> & { config?: AppConfig; now?: () => Date },
): void {
  const config = options?.config ?? appConfig(process.env);
  const now = options?.now ?? (() => new Date());
  let identity: Promise<CommentAuthor> | undefined;
  const trust = async (): Promise<AppTrust> => {
    // Asked once per process; a failed answer is asked again next time.
    identity ??= appIdentity(app).catch((error: unknown) => {
      identity = undefined;
      throw error;
    });
    return { self: await identity, key: config.stateKey, warn: (message) => app.log.warn(message) };
  };
  app.on('deployment_status', (context) => startAnalysis(context, now, trust));
  app.on('issue_comment.created', (context) => handleComment(context, now, trust));

  const tickAll = async () => {
    const appOctokit = await app.auth();
    const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, {
      per_page: 100,
    });
    let judged = 0;
    for (const installation of installations) {
      const octokit = await app.auth(installation.id);
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      for (const repository of repositories) {
        try {
          judged += await tickRepository(
            asOctokit(octokit),
            { owner: repository.owner.login, repo: repository.name },
            config,
            now(),
            await trust(),
          );
        } catch (error) {
          app.log.error(
            { err: error, repository: repository.full_name },
            'canary tick failed; the next tick retries',
          );
        }
      }
    }
    return judged;
  };

  options?.addHandler?.(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/modelgate/tick')) return false;
    if (!config.tickSecret || !tickAuthorized(req.headers.authorization, config.tickSecret)) {
      res.writeHead(config.tickSecret ? 401 : 404).end();
      return true;
    }
    const judged = await tickAll();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ judged }));
    return true;
  });
  if (config.tickSeconds > 0) {
    const timer = setInterval(
      () => void tickAll().catch((error: unknown) => app.log.error({ err: error }, 'canary tick failed')),
      config.tickSeconds * 1000,
    );
    timer.unref();
  }
}
