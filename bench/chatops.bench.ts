import { expect, it } from 'vitest';
import { liveCanary, webhookExample } from '../test/helpers/canary-app.js';
import { report } from './measure.js';

const COMMENTS = 300;
const CONCURRENCY = 8;

/** The real issue_comment example as a new comment on pull request #42 of acme/models. */
function comment(id: number, body: string, login: string, at: Date) {
  const payload = webhookExample('issue_comment', 'created');
  Object.assign(payload.comment, {
    id,
    body,
    // Written just now on the app's clock: a command older than an hour is not acted on.
    created_at: at.toISOString(),
    html_url: `https://github.com/acme/models/pull/42#issuecomment-${id}`,
  });
  payload.comment.user.login = login;
  payload.issue.number = 42;
  payload.issue.pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
  Object.assign(payload.repository, { name: 'models', full_name: 'acme/models', default_branch: 'main' });
  payload.repository.owner.login = 'acme';
  payload.installation = { id: 1, node_id: 'I' };
  return payload;
}

it('ChatOps: a flood of refused commands costs four GitHub requests each; /canary status is answered at rate too', async () => {
  const live = await liveCanary('1.3.0', 'http://127.0.0.1:9');
  await live.deliver({ id: 2, weight: 10 });
  live.github.pullFiles.set(42, ['models/gpt2/model.yaml']);
  // Many commenters: one commenter's commands past 20 in 10 minutes are not acted on (CommenterLimit).
  const COMMENTERS = 50;
  for (let i = 0; i < COMMENTERS; i++) live.github.roles.set(`reader-${i}`, 'read');
  const probot = live.probot();

  const run = async (body: string, login: string, firstId: number) => {
    const before = live.github.requests.length;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COMMENTS) {
          const id = firstId + next++;
          await probot.receive({
            id: `b-${id}`,
            name: 'issue_comment',
            payload: comment(id, body, `${login}-${id % COMMENTERS}`, live.clock()),
          } as any);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const requests = live.github.requests
      .slice(before)
      .filter((r) => !r.operation.startsWith('/app/')).length;
    return { perSecond: COMMENTS / seconds, requestsEach: requests / COMMENTS };
  };

  const refused = await run('/rollback', 'outsider', 1_000_000);
  const status = await run('/canary status', 'reader', 2_000_000);
  expect(refused.requestsEach).toBe(4);
  expect(live.github.pullRequests).toEqual([]);
  report(
    `chatops: ${COMMENTS} refused /rollback comments at concurrency ${CONCURRENCY}: ${refused.perSecond.toFixed(0)} comments/s, ${refused.requestsEach} GitHub requests each (target: 4, nothing acted on); ${COMMENTS} /canary status: ${status.perSecond.toFixed(0)} comments/s, ${status.requestsEach.toFixed(1)} requests each (GitHub API: local stub)`,
  );
});
