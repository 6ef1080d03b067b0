import { describe, expect, it } from 'vitest';
import { openEvent, queuedEvent, sealEvent } from '../../src/app/queued-event.js';
import { sealKeyFrom } from '../../src/core/integrity/seal.js';
import { issueComment, STATE_KEY } from '../helpers/canary-app.js';

const command = (body: string, login = 'alice') =>
  queuedEvent('delivery-1', 'issue_comment', issueComment(body, { login }));

describe('a webhook event in the queue', () => {
  it('carries only what the handlers read: a comment is cut at 4 KiB', () => {
    const event = command(`/canary status\n${'x'.repeat(10_000)}`);
    const payload = event.payload as {
      comment: { body: string; user: { login: string } };
      repository: object;
    };
    expect(payload.comment.body).toHaveLength(4096);
    expect(payload.comment.user).toEqual({ login: 'alice', type: 'User' });
    expect(Object.keys(payload)).toEqual(['action', 'installation', 'repository', 'comment', 'issue']);
  });

  it('runs only when modelgate queued it: its MAC verifies under the state key', () => {
    const event = command('/promote');
    expect(openEvent({ ...sealEvent(event, STATE_KEY) }, STATE_KEY, 1)).toEqual(event);
  });

  it('a job someone with access to Redis wrote or changed is refused, with the reason', () => {
    const sealed = sealEvent(command('/canary status', 'mallory'), STATE_KEY);
    // The commenter changed to a maintainer, the MAC kept.
    const asMaintainer = { ...sealed, event: sealed.event.replace('"mallory"', '"maintainer"') };
    expect(openEvent(asMaintainer, STATE_KEY, 1)).toEqual({
      refused: 'its MAC does not verify (not queued by modelgate)',
    });
    // Sealed with another key, or with none.
    const forged = sealEvent(
      command('/promote', 'maintainer'),
      sealKeyFrom('a key the attacker chose, long enough'),
    );
    expect(openEvent({ ...forged }, STATE_KEY, 1)).toEqual({
      refused: 'its MAC does not verify (not queued by modelgate)',
    });
    expect(openEvent({ event: sealed.event }, STATE_KEY, 1)).toEqual({
      refused: 'it carries no sealed event',
    });
    // A sealed event replayed under another delivery id.
    const replayed = { ...sealed, event: sealed.event.replace('"delivery-1"', '"delivery-2"') };
    expect(openEvent(replayed, STATE_KEY, 1)).toEqual({
      refused: 'its MAC does not verify (not queued by modelgate)',
    });
    expect(openEvent({ event: '{', mac: sealed.mac }, STATE_KEY, 1)).toEqual({
      refused: 'its event is not JSON',
    });
    // A sealed event moved to a job of another installation: it would run with that installation's token.
    expect(openEvent({ ...sealed }, STATE_KEY, 2)).toEqual({
      refused: 'it was queued for installation 1, but the job runs as installation 2',
    });
  });
});
