import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { nextGuardJudgment } from '../../../src/core/guard/step.js';
import type { GuardState } from '../../../src/core/guard/state.js';

const manifest = (guard: unknown) =>
  stringify({
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'support-bot',
    version: '1.3.0',
    artifacts: { config: 'config.json', tokenizer: 'tokenizer.json' },
    guard,
  });
const metric = { name: 'error_rate', query: 'x{version="{{version}}"}', max: 0.02 };

describe('the guard block of a manifest', () => {
  it('a bake, an interval, the breach action and segments by label parse', () => {
    const parsed = parseManifest(
      manifest({
        bake: '24h',
        interval: '1h',
        on_breach: 'alert',
        metrics: [{ ...metric, by: ['language'] }],
      }),
      'models/support-bot/model.yaml',
    );
    expect(parsed.findings).toEqual([]);
    expect(parsed.manifest?.guard).toMatchObject({ bake: '24h', metrics: [{ by: ['language'] }] });
  });

  it.each([
    [{ bake: '5m', metrics: [metric] }, 'guard.bake', '5m is not between 10m and 30d'],
    [{ bake: '40d', metrics: [metric] }, 'guard.bake', '40d is not between 10m and 30d'],
    [
      { bake: '1h', interval: '30s', metrics: [metric] },
      'guard.interval',
      'a duration such as 30m, 6h or 2d',
    ],
    [{ bake: '1h', metrics: [{ ...metric, by: ['__name__'] }] }, 'guard.metrics', 'reserved by Prometheus'],
    [{ bake: '1h', metrics: [{ ...metric, by: ['a-b'] }] }, 'guard.metrics', 'a Prometheus label name'],
    [{ bake: '1h', metrics: [{ name: 'e', query: 'x' }] }, 'guard.metrics', 'needs a threshold'],
    [{ bake: '1h', on_breach: 'page', metrics: [metric] }, 'guard.on_breach', ''],
    [{ bake: '1h', metrics: [] }, 'guard.metrics', ''],
  ])('%j is a MANIFEST-SCHEMA error at %s', (guard, path, words) => {
    const parsed = parseManifest(manifest(guard), 'models/support-bot/model.yaml');
    expect(parsed.manifest).toBeUndefined();
    expect(parsed.findings[0]).toMatchObject({
      rule: 'MANIFEST-SCHEMA',
      severity: 'error',
      file: 'models/support-bot/model.yaml',
    });
    expect(parsed.findings[0]!.message).toContain(path);
    expect(parsed.findings[0]!.message).toContain(words);
  });
});

describe('the windows a guard judges', () => {
  const state = {
    status: 'watching',
    startedAt: '2026-03-10T12:00:00.000Z',
    bakeEndsAt: '2026-03-12T12:30:00.000Z',
    intervals: [],
  } as unknown as GuardState;

  it('compares the first hour with the same hour of each earlier day, while the previous version served', () => {
    const next = nextGuardJudgment(state, { interval: '1h', baseline_days: 3 })!;
    expect(next.due.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(next.comparable.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-03-09T12:00:00.000Z', '2026-03-09T13:00:00.000Z'],
      ['2026-03-08T12:00:00.000Z', '2026-03-08T13:00:00.000Z'],
      ['2026-03-07T12:00:00.000Z', '2026-03-07T13:00:00.000Z'],
    ]);
  });

  it('a day after the promotion, the day before is the new version’s own: only earlier days compare', () => {
    const intervals = Array.from({ length: 24 }, (_, i) => ({
      at: new Date(Date.parse(state.startedAt) + (i + 1) * 3_600_000).toISOString(),
      verdict: 'pass',
      measurements: [],
    }));
    const next = nextGuardJudgment({ ...state, intervals } as GuardState, {
      interval: '1h',
      baseline_days: 3,
    })!;
    expect(next.due.toISOString()).toBe('2026-03-11T13:00:00.000Z');
    expect(next.comparable.map((w) => w.end.toISOString())).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
    ]);
  });

  it('the last window ends with the bake, and after it there is none', () => {
    const intervals = Array.from({ length: 48 }, (_, i) => ({
      at: new Date(Date.parse(state.startedAt) + (i + 1) * 3_600_000).toISOString(),
      verdict: 'pass',
      measurements: [],
    }));
    const last = nextGuardJudgment({ ...state, intervals } as GuardState, { interval: '1h' })!;
    expect(last.due.toISOString()).toBe('2026-03-12T12:30:00.000Z');
    const done = [...intervals, { at: '2026-03-12T12:30:00.000Z', verdict: 'pass', measurements: [] }];
    expect(
      nextGuardJudgment({ ...state, intervals: done } as GuardState, { interval: '1h' }),
    ).toBeUndefined();
  });
});
