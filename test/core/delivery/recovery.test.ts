import { describe, expect, it } from 'vitest';
import { planRecovery, type DeliveryAttempt } from '../../../src/core/delivery/recovery.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
let nextId = 1;
const attempt = (
  fields: Partial<DeliveryAttempt> & { guid: string; minutesAgo: number },
): DeliveryAttempt => {
  const { minutesAgo, ...rest } = fields;
  return {
    id: nextId++,
    delivered_at: ago(minutesAgo),
    redelivery: false,
    status_code: 502,
    event: 'deployment_status',
    action: 'created',
    installation_id: 1,
    repository_id: 10,
    ...rest,
  };
};
const since = new Date(NOW.getTime() - 3 * 24 * 3_600_000);

describe('recovering missed webhook deliveries', () => {
  it('redelivers each event that never reached the app once, from its newest attempt, oldest event first', () => {
    const first = attempt({ guid: 'a', minutesAgo: 30 });
    const retried = attempt({ guid: 'a', minutesAgo: 20, redelivery: true, status_code: 0 });
    const other = attempt({ guid: 'b', minutesAgo: 25, repository_id: 11 });
    const plan = planRecovery([retried, other, first], since, NOW, { complete: true });
    expect(plan.redeliver.map((a) => a.id)).toEqual([other.id, retried.id]);
    expect(plan.repositories).toEqual([
      { installationId: 1, repositoryId: 10 },
      { installationId: 1, repositoryId: 11 },
    ]);
  });

  it('never redelivers an event one of whose attempts reached the app', () => {
    const plan = planRecovery(
      [attempt({ guid: 'a', minutesAgo: 10, status_code: 200 }), attempt({ guid: 'a', minutesAgo: 30 })],
      since,
      NOW,
      { complete: true },
    );
    expect(plan.redeliver).toEqual([]);
  });

  it('leaves a ChatOps command older than an hour for its author to repeat; a deployer status is news at any age', () => {
    const command = attempt({ guid: 'c', minutesAgo: 90, event: 'issue_comment' });
    const fresh = attempt({ guid: 'd', minutesAgo: 10, event: 'issue_comment' });
    const status = attempt({ guid: 'e', minutesAgo: 2 * 24 * 60 });
    const plan = planRecovery([fresh, command, status], since, NOW, { complete: true });
    expect(plan.redeliver.map((a) => a.guid)).toEqual(['e', 'd']);
  });

  it('ignores events the app does not handle and deliveries before the window', () => {
    const plan = planRecovery(
      [
        attempt({ guid: 'p', minutesAgo: 5, event: 'push' }),
        attempt({ guid: 'old', minutesAgo: 4 * 24 * 60 }),
      ],
      since,
      NOW,
      { complete: false },
    );
    expect(plan).toEqual({ redeliver: [], repositories: [], complete: false });
  });
});
