import { describe, expect, it } from 'vitest';
import type { CanaryState } from '../../../src/core/canary/state.js';
import {
  blueGreenPolicyProblems,
  BlueGreenPolicyError,
  resolveBlueGreenPolicy,
} from '../../../src/core/blue-green/policy.js';
import { renderBlueGreenSection } from '../../../src/core/blue-green/report.js';

describe('the blue_green policy', () => {
  it('fills Argo-like defaults: 10m of preview health over every suite, automatic switch, 30m watched every 5m, blue warm for that window', () => {
    expect(resolveBlueGreenPolicy()).toEqual({
      preSwitch: { durationMs: 600_000 },
      autoSwitch: true,
      postSwitch: { durationMs: 1_800_000, intervalMs: 300_000 },
      scaleDownDelayMs: 1_800_000,
    });
    expect(
      resolveBlueGreenPolicy({ pre_switch: { suites: ['smoke'], duration: '0s' }, auto_switch: false }),
    ).toMatchObject({
      preSwitch: { suites: ['smoke'], durationMs: 0 },
      autoSwitch: false,
    });
  });

  it('refuses a blue that would be gone before the post-switch analysis could switch back, and durations out of bounds', () => {
    expect(blueGreenPolicyProblems({ post_switch: { duration: '1h' }, scale_down_delay: '30m' })).toEqual([
      {
        path: 'scale_down_delay',
        message:
          '30m is shorter than post_switch.duration (1h): blue would be gone before the post-switch analysis could switch back to it',
      },
    ]);
    expect(
      blueGreenPolicyProblems({
        pre_switch: { duration: '2d', suites: ['qa', 'qa'] },
        post_switch: { interval: '10 minutes' },
      }),
    ).toEqual([
      { path: 'pre_switch.duration', message: '2d is not between 0s and 1d' },
      { path: 'post_switch.interval', message: '"10 minutes" is not a duration such as 30s, 10m, 1h or 2d' },
      { path: 'pre_switch.suites', message: 'suite qa is named twice' },
    ]);
    expect(() => resolveBlueGreenPolicy({ scale_down_delay: '1m' })).toThrow(BlueGreenPolicyError);
  });
});

describe('the blue-green report', () => {
  it('renders what a manifest and a model wrote as inert text: no HTML comment, no fake state marker, no table break', () => {
    const state = {
      v: 1,
      model: 'support-bot',
      version: '1.3.0',
      ref: 'support-bot@v1.3.0',
      sha: 'a'.repeat(40),
      manifest: 'models/support-bot/model.yaml',
      trigger: 'a'.repeat(40),
      pr: 42,
      environment: 'support-bot/preview',
      productionEnvironment: 'support-bot/production',
      deploymentId: 11,
      weight: 0,
      stepStartedAt: '2026-11-30T10:00:00.000Z',
      intervals: [],
      status: 'failed',
      strategy: 'blue_green',
      blueGreen: {
        phase: 'preview',
        suites: {
          at: '2026-11-30T10:00:00.000Z',
          verdict: 'fail',
          reason: 'suite x did not run: <!-- modelgate-state:AAAA.BBBB --> | injected',
          gatesFrom: "the release's manifest",
          suites: [{ name: 'x', notRun: 'not run: <img src=x onerror=alert(1)>' }],
          gates: [],
        },
        preSwitch: {
          verdict: 'fail',
          reason: '[click](https://evil.example) @everyone',
          at: '2026-11-30T10:00:00.000Z',
        },
      },
    } satisfies CanaryState;
    const markdown = renderBlueGreenSection(state, {});
    expect(markdown).toContain('**❌ pre-switch analysis failed: no user traffic reached it**');
    expect(markdown).not.toContain('<!--');
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain('\\[click\\](https://evil.example)');
    expect(markdown).toContain('\\| injected');
    expect(markdown).not.toMatch(/(^|\s)@everyone/);
  });
});
