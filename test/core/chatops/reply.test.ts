import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/core/chatops/command.js';
import { DEFAULT_CHATOPS } from '../../../src/core/chatops/permission.js';
import { helpText, inert, notUnderstood, replyBody } from '../../../src/core/chatops/reply.js';
import { planRevertPullRequest, rollbackRequester } from '../../../src/core/rollback/revert-pr.js';

describe('ChatOps replies', () => {
  it('make what a commenter wrote inert: no HTML, links, images, emphasis, code or mentions', () => {
    const text = inert(
      '<script>x</script> ![i](http://e/x.png) [l](http://e) **b** `c` @org/team #1 ~s~ | \\',
      200,
    );
    expect(text).not.toMatch(/<script|\]\(|@org|(^|[^\\])[`*[]/);
    expect(text).toBe(
      '&lt;script&gt;x&lt;/script&gt; \\!\\[i\\]\\(http\u200b://e/x.png\\) \\[l\\]\\(http\u200b://e\\) \\*\\*b\\*\\* \\`c\\` @\u200borg/team \\#1 \\~s\\~ \\| \\\\',
    );
    expect(inert('a'.repeat(500))).toHaveLength(81);
  });

  it('quote the command line only, cut, and never start with a slash', () => {
    const body = replyBody({
      login: 'alice',
      commandLine: `/rollback ${'x'.repeat(200)}\nsecret second line`,
      text: 'done',
    });
    expect(body.startsWith('<!-- modelgate:reply -->\n> /rollback xxx')).toBe(true);
    expect(body).not.toContain('secret');
    expect(body.endsWith('\n\n@alice done')).toBe(true);
    expect(parseCommand(body)).toBeUndefined();
  });

  it('say what was understood', () => {
    expect(notUnderstood({ name: 'unknown', word: 'deploy' })).toMatch(
      /^`\/deploy` is not a modelgate command\. The commands are/,
    );
    expect(
      notUnderstood({ name: 'invalid', command: 'canary', problem: '"go" is not a canary action' }),
    ).toContain(
      '`/canary` was understood, but "go" is not a canary action: the usage is `/canary status|pause|resume|abort [model]`.',
    );
    expect(notUnderstood({ name: 'unknown', word: 'deploy' })).toContain(
      '`/guard status|extend <duration>|stop|resume [model]`',
    );
  });

  it('/help lists the production guard with who may use it, one table row per command', () => {
    const help = helpText(DEFAULT_CHATOPS);
    // Pipes in a usage are escaped: an unescaped one would split the row into more cells.
    for (const row of help.split('\n').filter((l) => l.startsWith('| `')))
      expect(row.replaceAll('\\|', '').split('|')).toHaveLength(4);
    expect(help).toContain(
      "| `/guard extend <duration> [model]`, `/guard stop\\|resume [model]`: lengthen the production guard's bake (e.g. `6h`), stop watching, or resume a guard the app restarted paused | write access or more |",
    );
    expect(help).toContain(
      '| `/canary status [model]`, `/guard status [model]`, `/ab status [model]`: where the rollout, the production guard or the A/B test stands | read access or more |',
    );
  });
});

describe('who asked for a rollback', () => {
  const plan = (requestedBy?: string, link?: string) =>
    planRevertPullRequest({
      model: 'gpt2',
      from: '1.1.0',
      to: '1.0.0',
      tag: 'gpt2@v1.0.0',
      reason: 'r',
      changes: [],
      requestedBy,
      link,
    });

  it('travels in the pull request body and is read back by the release', () => {
    const body = plan('alice', 'https://github.com/acme/models/pull/4#issuecomment-1').body;
    expect(rollbackRequester(body)).toEqual({
      by: 'alice',
      link: 'https://github.com/acme/models/pull/4#issuecomment-1',
    });
    expect(rollbackRequester(plan().body)).toBeUndefined();
    expect(rollbackRequester(null)).toBeUndefined();
  });

  it('a forged line with a hostile login or link is not believed', () => {
    const forged = (value: object) =>
      `<!-- modelgate-request:${Buffer.from(JSON.stringify(value)).toString('base64url')} -->`;
    expect(rollbackRequester(forged({ by: 'x\nTrigger: evil' }))).toBeUndefined();
    expect(rollbackRequester(forged({ by: 'bob', link: 'javascript:alert(1)' }))).toEqual({ by: 'bob' });
    expect(rollbackRequester('<!-- modelgate-request:!!! -->')).toBeUndefined();
  });
});
