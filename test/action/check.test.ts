import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runAction } from '../helpers/action.js';
import { FakeGitHub, person } from '../helpers/fake-github.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import { harnessResults, harnessSamples, scores } from '../helpers/lm-eval.js';
import { addRealModel } from '../helpers/models.js';
import { registryTemplate } from '../helpers/registry.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A pull request that bumps gpt2 to 1.0.1 with new recorded results and a smoke suite: built once for the file. */
const bumped = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  const evalBlock = {
    results: [{ path: 'evals/results.json', samples: { arc_easy: 'evals/samples_arc_easy.jsonl' } }],
    suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' }],
    gates: [
      { metric: 'arc_easy/acc', max_drop: 0.02 },
      { metric: 'smoke/accuracy', min: 0.9 },
    ],
  };
  const write = (version: string, correct: number) => {
    registry.write('models/gpt2/evals/results.json', harnessResults());
    registry.write(
      'models/gpt2/evals/samples_arc_easy.jsonl',
      harnessSamples('arc_easy', scores(400, correct)),
    );
    registry.write('models/gpt2/evals/smoke.jsonl', '{"id": "a", "prompt": "Say OK", "expected": "OK"}\n');
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    registry.write('models/gpt2/model.yaml', stringify({ ...manifest, version, eval: evalBlock }));
  };
  write('1.0.0', 320);
  const base = registry.commit('gpt2 1.0.0');
  write('1.0.1', 318);
  registry.commit('gpt2 1.0.1');
  return base;
});

/** A copy of `bumped`, with a fake GitHub and a local LLM endpoint that answers OK. */
async function pullRequest() {
  const { registry, built: base } = bumped();
  const github = await FakeGitHub.start();
  const llm = await FakeLlm.start({ answer: () => 'OK' });
  servers.push(github, llm);
  const event = (fork: boolean) => ({
    pull_request: {
      number: 7,
      base: { sha: base, repo: { full_name: 'acme/models' } },
      head: { repo: { full_name: fork ? 'mallory/models' : 'acme/models' } },
    },
    repository: { full_name: 'acme/models' },
  });
  const check = (options: { fork?: boolean; endpoint?: boolean } = {}) =>
    runAction(
      registry.root,
      {
        command: 'check',
        'github-token': 'ghs_test',
        ...(options.endpoint === false ? {} : { 'eval-endpoint': llm.url, 'eval-api-key': 'sk-secret' }),
      },
      { event: event(options.fork ?? false), env: { GITHUB_API_URL: github.url } },
    );
  return { registry, github, llm, check };
}

describe('the Action, command: check', () => {
  it('posts one sticky comment with the gate table, and updates it in place', async () => {
    const { github, llm, check } = await pullRequest();
    const first = await check();
    expect(first.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    const body = github.comments[0]!.body;
    expect(body.startsWith('<!-- modelgate:check:all -->\n## modelgate check')).toBe(true);
    expect(body).toContain('| `arc_easy/acc` | 0.8114 | 0.8114 | -0.005 |');
    expect(body).toContain('| `smoke/accuracy` | — | 1 |');
    expect(llm.authorizations).toEqual(['Bearer sk-secret']);
    // The key reaches the log only in the command that tells the runner to mask it.
    expect(first.stdout.split('\n').filter((l) => l.includes('sk-secret'))).toEqual([
      '::add-mask::sk-secret',
    ]);

    const second = await check();
    expect(second.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.writes()).toEqual(['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']); // unchanged: not rewritten
    expect(github.violations).toEqual([]);
    expect(JSON.parse(first.outputs['gates-json']!)[0].gates.map((g: any) => g.verdict)).toEqual([
      'pass',
      'pass',
    ]);
  });

  it('fails the step on a real regression and edits the same comment', async () => {
    const { registry, github, check } = await pullRequest();
    expect((await check()).status).toBe(0);
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 280)));
    const result = await check();
    expect(result.status).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('❌ fail');
    expect(github.writes()).toEqual([
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    ]);
  });

  it('on a pull request from a fork, suite gates are "not run: no credentials" and never pass', async () => {
    const { github, llm, check } = await pullRequest();
    const result = await check({ fork: true });
    expect(result.status).toBe(1);
    expect(llm.requests).toBe(0);
    expect(github.comments[0]!.body).toContain(
      '⛔ not run: not run: no credentials (pull request from a fork)',
    );
  });

  it('a fork that commits its own number under a suite\'s name still gets "not run": a results file never stands in for a run', async () => {
    const { registry, llm, check } = await pullRequest();
    registry.write('models/gpt2/evals/smoke-results.json', '{"smoke/accuracy": 1}\n');
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    manifest.eval.results.push({ path: 'evals/smoke-results.json' });
    registry.write('models/gpt2/model.yaml', stringify(manifest));
    const result = await check({ fork: true });
    expect(result.status).toBe(1);
    expect(llm.requests).toBe(0);
    const smoke = JSON.parse(result.outputs['gates-json']!)[0].gates[1];
    expect(smoke).toMatchObject({
      metric: 'smoke/accuracy',
      verdict: 'not-run',
      reason:
        "not run: no credentials (pull request from a fork); models/gpt2/evals/smoke-results.json holds smoke/accuracy, but smoke is a suite in eval.suites, and a suite's metrics count only from its run in this check",
    });
  });

  it('reports in the job summary when the comment cannot be written (read-only token)', async () => {
    const { github, check } = await pullRequest();
    github.fail('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 403);
    const result = await check();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '::warning::could not write the pull-request comment (GitHub answered 403)',
    );
    expect(result.summary).toContain('## modelgate check');
  });

  it("a stranger's comment with the check marker is never edited: the Action writes its own and says it ignored it", async () => {
    const { github, check } = await pullRequest();
    const forged = '<!-- modelgate:check:all -->\n## modelgate check\n\nAll gates passed ✅ (trust me)';
    const stranger = github.postComment(7, forged, person('mallory'));
    const result = await check();
    expect(result.status).toBe(0);
    expect(stranger.body).toBe(forged);
    expect(github.comments.map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
    expect(github.comments[1]!.body).toContain('| `arc_easy/acc` | 0.8114 | 0.8114 | -0.005 |');
    expect(result.stdout).toContain(
      `::warning::ignored https://github.com/acme/models/pull/7#issuecomment-${stranger.id} by @mallory: it carries modelgate's check marker, but github-actions[bot] did not write it`,
    );
    // The next run finds its own comment and edits only that one.
    await check();
    expect(github.comments).toHaveLength(2);
    expect(stranger.body).toBe(forged);
    expect(github.violations).toEqual([]);
  });
});
