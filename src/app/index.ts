import type { ApplicationFunctionOptions, Probot } from 'probot';
import { handleComment } from './chatops/handle-comment.js';
import { appConfig, type AppConfig } from './config.js';
import { asOctokit } from './octokit.js';
import { startAnalysis } from './start-analysis.js';
import { tickRepository } from './tick.js';

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
  app.on('deployment_status', (context) => startAnalysis(context, now));
  app.on('issue_comment.created', (context) => handleComment(context, now));

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
    if (!config.tickSecret || req.headers.authorization !== `Bearer ${config.tickSecret}`) {
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
