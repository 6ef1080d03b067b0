import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import {
  parseRolloutDuration,
  ROLLOUT_DEFAULTS,
  rolloutFileReferences,
} from '../../../src/core/manifest/rollout.js';
import { manifestJsonSchema } from '../../../src/core/manifest/schema.js';
import { AB_DEFAULTS, resolveAbPolicy } from '../../../src/core/ab/policy.js';
import {
  BLUE_GREEN_DURATIONS,
  blueGreenPolicyProblems,
  resolveBlueGreenPolicy,
} from '../../../src/core/blue-green/policy.js';
import { resolveShadowPolicy, SHADOW_DEFAULTS } from '../../../src/core/shadow/policy.js';

// The manifest's `rollout` block (issue 13, spec §1): what it accepts, and
// every refusal with the message a user reads (the fix named in it).

const MODEL = `apiVersion: modelgate.dev/v1
kind: Model
name: support-bot
version: 1.3.0
artifacts:
  config: config.json
  tokenizer: tokenizer.json
eval:
  suites:
    - { name: qa, dataset: evals/qa.jsonl, scorer: exact_match }
    - { name: smoke, dataset: evals/smoke.jsonl, scorer: exact_match }
canary:
  metrics:
    - name: error_rate
      query: sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[5m]))
      max: 0.02
      direction: increase
`;

// Spec §1's block for each strategy, every field set.
const SHADOW = `rollout:
  strategy: shadow
  shadow:
    mirror: 10
    duration: 1h
    interval: 10m
    then: canary
    outputs:
      source: replay
      replay: prompts/sample.jsonl
      sample: 500
      min_pairs: 100
      confidence: 0.95
      checks:
        exact_agreement: { min: 0.0 }
        similarity: { min: 0.6 }
        json_validity: { max_drop: 0.02 }
        refusal_rate: { max_increase: 0.02 }
        length_ratio: { min: 0.5, max: 2.0 }
        judge: { min: 0.45 }
`;
const AB = `rollout:
  strategy: ab
  ab:
    split: 50
    metric:
      name: thumbs_up_rate
      successes: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}",vote="up"}[{{interval}}]))'
      trials: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}]))'
      higher_is_better: true
    interval: 1h
    min_duration: 24h
    min_samples: 1000
    horizon: 14d
    alpha: 0.05
    auto_conclude: false
`;
const BLUE_GREEN = `rollout:
  strategy: blue_green
  blue_green:
    pre_switch:
      suites: [qa]
      duration: 10m
    auto_switch: true
    post_switch:
      duration: 30m
      interval: 5m
    scale_down_delay: 30m
`;

/** `line: message` of every finding for the manifest with `rollout` (and `model` in place of MODEL). */
function findings(rollout: string, model = MODEL): string[] {
  return parseManifest(model + rollout, 'm.yaml').findings.map((f) => `${f.line}: ${f.message}`);
}

/** The manifest with one field of a YAML block replaced (`path` of keys under `rollout`). */
function edit(block: string, change: (rollout: Record<string, unknown>) => void): string {
  const value = parseYaml(block) as { rollout: Record<string, unknown> };
  change(value.rollout);
  return stringify(value, { lineWidth: 0 });
}

describe('the rollout block of spec §1', () => {
  it.each([
    ['shadow', SHADOW],
    ['ab', AB],
    ['blue_green', BLUE_GREEN],
  ])('accepts the %s block with every field set', (_strategy, block) => {
    const parsed = parseManifest(MODEL + block, 'm.yaml');
    expect(parsed.findings).toEqual([]);
    expect(parsed.manifest?.rollout).toEqual((parseYaml(block) as { rollout: unknown }).rollout);
  });

  it('accepts each strategy with no block where every field has a default, and no rollout at all', () => {
    for (const rollout of [
      '',
      'rollout: {}\n',
      'rollout: { strategy: canary }\n',
      'rollout: { strategy: shadow }\n',
      'rollout: { strategy: blue_green }\n',
    ])
      expect(findings(rollout), rollout).toEqual([]);
  });

  it('leaves defaults to the strategies: a parsed block holds only what the manifest wrote', () => {
    const parsed = parseManifest(
      `${MODEL}rollout:\n  strategy: shadow\n  shadow: { mirror: 25 }\n`,
      'm.yaml',
    );
    expect(parsed.manifest?.rollout).toEqual({ strategy: 'shadow', shadow: { mirror: 25 } });
  });

  it('accepts the edges of every bound', () => {
    const edges = [
      edit(SHADOW, (r) => Object.assign(r.shadow as object, { mirror: 1, duration: '10m', interval: '10s' })),
      edit(SHADOW, (r) =>
        Object.assign(r.shadow as object, { mirror: 100, duration: '7d', interval: '24h' }),
      ),
      edit(SHADOW, (r) =>
        Object.assign((r.shadow as { outputs: object }).outputs, {
          sample: 10_000,
          min_pairs: 1,
          confidence: 0.999,
        }),
      ),
      edit(SHADOW, (r) =>
        Object.assign((r.shadow as { outputs: object }).outputs, { sample: 1, confidence: 0.5 }),
      ),
      edit(AB, (r) =>
        Object.assign(r.ab as object, {
          split: 1,
          interval: '10s',
          min_duration: '10m',
          horizon: '10m',
          alpha: 0.001,
        }),
      ),
      edit(AB, (r) =>
        Object.assign(r.ab as object, {
          split: 99,
          interval: '24h',
          min_duration: '30d',
          horizon: '90d',
          alpha: 0.2,
        }),
      ),
      edit(BLUE_GREEN, (r) =>
        Object.assign(r.blue_green as object, {
          pre_switch: { duration: '0s', suites: ['qa'] },
          post_switch: { duration: '1m', interval: '10s' },
          scale_down_delay: '1m',
        }),
      ),
      edit(BLUE_GREEN, (r) =>
        Object.assign(r.blue_green as object, {
          pre_switch: { duration: '24h', suites: [] },
          post_switch: { duration: '7d', interval: '24h' },
          scale_down_delay: '30d',
        }),
      ),
    ];
    for (const rollout of edges) expect(findings(rollout), rollout).toEqual([]);
  });

  it('still parses the example registry manifests', () => {
    for (const model of ['support-bot', 'ticket-router']) {
      const file = `examples/registry/models/${model}/model.yaml`;
      const text = readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
      expect(parseManifest(text, file).findings).toEqual([]);
    }
  });
});

describe('refusals, each naming the fix', () => {
  it('refuses a strategy block that does not match the strategy', () => {
    expect(findings(`${AB}  shadow: { mirror: 10 }\n`)).toEqual([
      '33: m.yaml: rollout.shadow: a shadow block needs strategy: shadow (the strategy is ab): remove rollout.shadow or set rollout.strategy: shadow',
    ]);
    expect(findings('rollout:\n  blue_green: { auto_switch: false }\n')).toEqual([
      '19: m.yaml: rollout.blue_green: a blue_green block needs strategy: blue_green (the strategy is canary, the default): remove rollout.blue_green or set rollout.strategy: blue_green',
    ]);
  });

  it('refuses an A/B test without its product metric', () => {
    expect(findings('rollout:\n  strategy: ab\n')).toEqual([
      '19: m.yaml: rollout.strategy: strategy ab compares a product metric: add rollout.ab.metric with name, successes, trials and higher_is_better',
    ]);
    expect(findings('rollout:\n  strategy: ab\n  ab: { split: 20 }\n')).toEqual([
      '20: m.yaml: rollout.ab.metric: required: an A/B test compares a product metric; add rollout.ab.metric with name, successes, trials and higher_is_better',
    ]);
  });

  it('refuses a product metric without a direction: it is never guessed', () => {
    expect(findings(AB.replace('      higher_is_better: true\n', ''))).toEqual([
      '22: m.yaml: rollout.ab.metric.higher_is_better: required: say whether a higher rate is better (true) or worse (false); modelgate never guesses a direction',
    ]);
  });

  it('names what a product metric must be when it is something else', () => {
    const metric = (fields: object) =>
      findings(edit(AB, (r) => Object.assign((r.ab as { metric: object }).metric, fields))).map((p) =>
        p.replace(/^\d+: m\.yaml: /, ''),
      );
    expect(metric({ higher_is_better: 'up' })).toEqual(['rollout.ab.metric.higher_is_better: true or false']);
    expect(metric({ direction: 'increase' })).toEqual(['rollout.ab.metric: unknown key "direction"']);
    expect(findings(edit(AB, (r) => Object.assign(r.ab as object, { metric: 'thumbs_up_rate' })))).toEqual([
      '22: m.yaml: rollout.ab.metric: a mapping with name, successes, trials and higher_is_better',
    ]);
  });

  it('refuses a product-metric query that cannot tell the arms apart', () => {
    expect(findings(AB.replace(',version="{{version}}",vote="up"', ',vote="up"'))).toEqual([
      '24: m.yaml: rollout.ab.metric.successes: the query must contain {{version}}, so each arm is counted on its own (both arms would read the same number)',
    ]);
  });

  it('refuses replay as a source without the recorded prompts, and prompts with another source', () => {
    expect(findings(SHADOW.replace('      replay: prompts/sample.jsonl\n', ''))).toEqual([
      '26: m.yaml: rollout.shadow.outputs.source: source replay sends recorded prompts to both versions: name the file in rollout.shadow.outputs.replay (JSON lines, relative to the manifest folder)',
    ]);
    expect(findings(SHADOW.replace('source: replay', 'source: postgres'))).toEqual([
      '27: m.yaml: rollout.shadow.outputs.replay: replay is read only with source: replay (the source is postgres): remove replay or set source: replay',
    ]);
  });

  it.each([
    [
      '/etc/passwd',
      '/etc/passwd is an absolute path; artifact paths are relative to the manifest folder: name a file inside the repository, relative to the manifest folder',
    ],
    [
      'C:\\\\prompts.jsonl',
      'C:\\prompts.jsonl is an absolute path; artifact paths are relative to the manifest folder: name a file inside the repository, relative to the manifest folder',
    ],
    [
      'prompts/.git/config',
      "prompts/.git/config is inside .git/, git's own metadata, which modelgate never reads or writes: name a file inside the repository, relative to the manifest folder",
    ],
    [
      '../../.GIT/config',
      "../../.GIT/config is inside .git/, git's own metadata, which modelgate never reads or writes: name a file inside the repository, relative to the manifest folder",
    ],
  ])('refuses a replay file at %s', (path, message) => {
    expect(findings(SHADOW.replace('prompts/sample.jsonl', `"${path}"`))).toEqual([
      `27: m.yaml: rollout.shadow.outputs.replay: ${message}`,
    ]);
  });

  it("hands a replay path with .. to the loader, which knows the manifest's folder", () => {
    // `../shared/prompts.jsonl` is inside the repository for models/bot/model.yaml and outside for
    // model.yaml at the root: only the loader can tell (ARTIFACT-MISSING, as for every artifact).
    const parsed = parseManifest(
      MODEL + SHADOW.replace('prompts/sample.jsonl', '../shared/prompts.jsonl'),
      'm.yaml',
    );
    expect(parsed.findings).toEqual([]);
    expect(rolloutFileReferences(parsed.manifest!.rollout)).toEqual([
      [['rollout', 'shadow', 'outputs', 'replay'], '../shared/prompts.jsonl'],
    ]);
    expect(rolloutFileReferences({ strategy: 'ab' })).toEqual([]);
  });

  it('refuses a scale_down_delay shorter than the post-switch window, its default included', () => {
    expect(findings(BLUE_GREEN.replace('scale_down_delay: 30m', 'scale_down_delay: 20m'))).toEqual([
      '28: m.yaml: rollout.blue_green.scale_down_delay: 20m is shorter than post_switch.duration (30m): blue must stay warm until the post-switch analysis ends, so a failure can switch straight back; set scale_down_delay to 30m or more',
    ]);
    expect(findings('rollout:\n  strategy: blue_green\n  blue_green: { scale_down_delay: 10m }\n')).toEqual([
      '20: m.yaml: rollout.blue_green.scale_down_delay: 10m is shorter than post_switch.duration (the default 30m): blue must stay warm until the post-switch analysis ends, so a failure can switch straight back; set scale_down_delay to 30m or more',
    ]);
  });

  it('refuses an interval longer than the window it divides', () => {
    expect(findings('rollout:\n  strategy: shadow\n  shadow: { interval: 2h }\n')).toEqual([
      "20: m.yaml: rollout.shadow.interval: 2h is longer than the shadow's duration (the default 1h): shorten interval or lengthen rollout.shadow.duration",
    ]);
    expect(
      findings(AB.replace('interval: 1h', 'interval: 24h').replace('min_duration: 24h', 'min_duration: 2h')),
    ).toEqual([
      '27: m.yaml: rollout.ab.interval: 24h is longer than min_duration (2h): shorten interval or lengthen rollout.ab.min_duration',
    ]);
    expect(findings(AB.replace('horizon: 14d', 'horizon: 12h'))).toEqual([
      '28: m.yaml: rollout.ab.min_duration: 24h is longer than the horizon (12h): shorten min_duration or lengthen rollout.ab.horizon',
    ]);
    expect(findings(BLUE_GREEN.replace('interval: 5m', 'interval: 1h'))).toEqual([
      '27: m.yaml: rollout.blue_green.post_switch.interval: 1h is longer than post_switch.duration (30m): shorten interval or lengthen rollout.blue_green.post_switch.duration',
    ]);
  });

  it('refuses shadow and blue-green rollouts with no serving metric to judge; an A/B test needs none', () => {
    const noMetrics = MODEL.replace(/canary:[\s\S]*$/, '');
    expect(findings('rollout: { strategy: shadow }\n', noMetrics)).toEqual([
      "12: m.yaml: rollout.strategy: strategy shadow judges serving health with canary.metrics (the shadow's against production's), and none is listed: add canary.metrics (an error rate, a latency) or choose another strategy",
    ]);
    expect(findings('rollout: { strategy: blue_green }\n', `${noMetrics}canary: { metrics: [] }\n`)).toEqual([
      "13: m.yaml: rollout.strategy: strategy blue_green judges serving health with canary.metrics (green's against blue's), and none is listed: add canary.metrics (an error rate, a latency) or choose another strategy",
    ]);
    expect(findings(AB, noMetrics)).toEqual([]);
  });

  it('refuses pre-switch suites that eval.suites does not have, or names twice', () => {
    expect(findings(BLUE_GREEN.replace('suites: [qa]', 'suites: [qa, safety]'))).toEqual([
      '22: m.yaml: rollout.blue_green.pre_switch.suites.1: suite safety is not in eval.suites (qa, smoke): add it there or remove it from rollout.blue_green.pre_switch.suites',
    ]);
    expect(findings(BLUE_GREEN.replace('suites: [qa]', 'suites: [qa, qa]'))).toEqual([
      '22: m.yaml: rollout.blue_green.pre_switch.suites: suite qa is named twice: name each suite once',
    ]);
  });

  it('refuses a pre-switch analysis that judges nothing', () => {
    const problem = (why: string) =>
      `rollout.blue_green.pre_switch: the pre-switch analysis judges nothing (no eval suite, ${why}), so the switch would follow untested: list eval.suites, or give a canary metric a min or max and pre_switch.duration above 0s`;
    const noSuites = MODEL.replace(/eval:[\s\S]*?canary:/, 'canary:');
    expect(
      findings(BLUE_GREEN.replace('suites: [qa]', 'suites: []').replace('duration: 10m', 'duration: 0s')),
    ).toEqual([`21: m.yaml: ${problem('and a 0s health window')}`]);
    expect(
      findings(
        'rollout:\n  strategy: blue_green\n  blue_green:\n    pre_switch: { duration: 0s }\n',
        noSuites,
      ),
    ).toEqual([`17: m.yaml: ${problem('and a 0s health window')}`]);
    // A metric with only a direction holds a preview to nothing: there is no baseline traffic to compare with.
    const directionOnly = noSuites.replace('      max: 0.02\n', '');
    expect(findings('rollout: { strategy: blue_green }\n', directionOnly)).toEqual([
      `13: m.yaml: ${problem('and no canary metric with min or max')}`,
    ]);
    // The default 10m health window with a bounded metric is something judged.
    expect(findings('rollout: { strategy: blue_green }\n', noSuites)).toEqual([]);
  });

  it.each([
    ['shadow: { mirror: 0 }', 'rollout.shadow.mirror: Too small: expected number to be >=1'],
    ['shadow: { mirror: 12.5 }', 'rollout.shadow.mirror: Invalid input: expected int, received number'],
    ['shadow: { duration: 9m }', 'rollout.shadow.duration: 9m is not between 10m and 7d'],
    ['shadow: { duration: 8d }', 'rollout.shadow.duration: 8d is not between 10m and 7d'],
    ['shadow: { duration: 1w }', 'rollout.shadow.duration: a duration such as 30s, 10m, 1h or 2d'],
    ['shadow: { interval: 1d }', 'rollout.shadow.interval: a duration such as 30s, 10m or 1h'],
    ['shadow: { interval: 5s }', 'rollout.shadow.interval: 5s is not between 10s and 24h'],
    ['shadow: { then: rollback }', 'rollout.shadow.then: Invalid option: expected one of "canary"|"promote"'],
    [
      'shadow: { outputs: { source: file } }',
      'rollout.shadow.outputs.source: Invalid option: expected one of "postgres"|"replay"',
    ],
    [
      'shadow: { outputs: { sample: 100 } }',
      'rollout.shadow.outputs.source: required: where the answers come from, postgres (the request log) or replay (recorded prompts)',
    ],
    [
      'shadow: { outputs: { source: postgres, sample: 10001 } }',
      'rollout.shadow.outputs.sample: Too big: expected number to be <=10000',
    ],
    [
      'shadow: { outputs: { source: postgres, confidence: 0.9999 } }',
      'rollout.shadow.outputs.confidence: Too big: expected number to be <=0.999',
    ],
    [
      'shadow: { outputs: { source: postgres, checks: { similarity: { min: 1.5 } } } }',
      'rollout.shadow.outputs.checks.similarity.min: Too big: expected number to be <=1',
    ],
    [
      'shadow: { outputs: { source: postgres, checks: { length_ratio: { max: 0.8 } } } }',
      'rollout.shadow.outputs.checks.length_ratio.max: Too small: expected number to be >=1',
    ],
    [
      'shadow: { outputs: { source: postgres, checks: { bleu: { min: 0.3 } } } }',
      'rollout.shadow.outputs.checks: unknown key "bleu"',
    ],
    ['shadow: { percent: 10 }', 'rollout.shadow: unknown key "percent"'],
  ])('bounds the shadow: %s', (block, message) => {
    const problems = findings(`rollout:\n  strategy: shadow\n  ${block}\n`);
    expect(problems.map((p) => p.replace(/^\d+: m\.yaml: /, ''))).toEqual([message]);
  });

  it.each([
    [{ split: 100 }, 'rollout.ab.split: Too big: expected number to be <=99'],
    [{ alpha: 0.5 }, 'rollout.ab.alpha: Too big: expected number to be <=0.2'],
    [{ min_samples: 0 }, 'rollout.ab.min_samples: Too small: expected number to be >=1'],
    [{ horizon: '91d' }, 'rollout.ab.horizon: 91d is not between 10m and 90d'],
    [{ min_duration: '31d' }, 'rollout.ab.min_duration: 31d is not between 10m and 30d'],
    [{ auto_conclude: 'yes' }, 'rollout.ab.auto_conclude: Invalid input: expected boolean, received string'],
  ])('bounds the A/B test: %o', (fields, message) => {
    const problems = findings(edit(AB, (r) => Object.assign(r.ab as object, fields)));
    expect(problems.map((p) => p.replace(/^\d+: m\.yaml: /, ''))).toEqual([message]);
  });

  it.each([
    [
      'pre_switch: { duration: 25h }',
      'rollout.blue_green.pre_switch.duration: 25h is not between 0s and 24h',
    ],
    [
      'post_switch: { duration: 30s }',
      'rollout.blue_green.post_switch.duration: 30s is not between 1m and 7d',
    ],
    ['scale_down_delay: 31d', 'rollout.blue_green.scale_down_delay: 31d is not between 1m and 30d'],
    ['auto_promote: true', 'rollout.blue_green: unknown key "auto_promote"'],
  ])('bounds blue-green: %s', (block, message) => {
    const problems = findings(`rollout:\n  strategy: blue_green\n  blue_green: { ${block} }\n`);
    expect(problems.map((p) => p.replace(/^\d+: m\.yaml: /, ''))).toEqual([message]);
  });

  it('refuses an unknown strategy and an unknown key', () => {
    expect(findings('rollout: { strategy: rolling }\n')).toEqual([
      '18: m.yaml: rollout.strategy: Invalid option: expected one of "canary"|"blue_green"|"shadow"|"ab"',
    ]);
    expect(findings('rollout: { strategy: canary, steps: [5, 100] }\n')).toEqual([
      '18: m.yaml: rollout: unknown key "steps"',
    ]);
  });
});

describe('the strategies read what the schema accepts', () => {
  it('reads every duration the schema accepts, and nothing else', () => {
    expect(parseRolloutDuration('0s')).toBe(0);
    expect(parseRolloutDuration('90s')).toBe(90_000);
    expect(parseRolloutDuration('10m')).toBe(600_000);
    expect(parseRolloutDuration('2d')).toBe(172_800_000);
    expect(parseRolloutDuration('99999999999999999999s')).toBeUndefined();
    expect(parseRolloutDuration('1w')).toBeUndefined();
  });

  it('keeps the same defaults as each strategy', () => {
    const { outputs, ...shadow } = ROLLOUT_DEFAULTS.shadow;
    expect({ ...shadow, ...outputs }).toEqual(SHADOW_DEFAULTS);
    expect(ROLLOUT_DEFAULTS.ab).toEqual(AB_DEFAULTS);
    expect(ROLLOUT_DEFAULTS.blue_green.pre_switch.duration).toBe(
      BLUE_GREEN_DURATIONS['pre_switch.duration'].default,
    );
    expect(ROLLOUT_DEFAULTS.blue_green.post_switch).toEqual({
      duration: BLUE_GREEN_DURATIONS['post_switch.duration'].default,
      interval: BLUE_GREEN_DURATIONS['post_switch.interval'].default,
    });
  });

  it('resolves the parsed blocks of spec §1 into the policies the strategies run', () => {
    const rollout = (block: string) => parseManifest(MODEL + block, 'm.yaml').manifest!.rollout!;
    expect(resolveShadowPolicy(rollout(SHADOW).shadow!)).toMatchObject({ mirror: 10, durationMs: 3_600_000 });
    expect(resolveAbPolicy(rollout(AB).ab!)).toMatchObject({ split: 50, horizonMs: 14 * 86_400_000 });
    const blueGreen = rollout(BLUE_GREEN).blue_green!;
    expect(blueGreenPolicyProblems(blueGreen)).toEqual([]);
    expect(resolveBlueGreenPolicy(blueGreen)).toMatchObject({ scaleDownDelayMs: 1_800_000 });
  });
});

describe('the generated JSON Schema', () => {
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile(manifestJsonSchema());
  const asJson = (rollout: string) => parseYaml(MODEL + rollout) as unknown;

  it('declares the rollout block, so editors check it as modelgate does', () => {
    for (const block of [SHADOW, AB, BLUE_GREEN]) expect(validate(asJson(block)), block).toBe(true);
    expect(validate(asJson('rollout: { strategy: rolling }\n'))).toBe(false);
    expect(validate(asJson('rollout: { strategy: shadow, shadow: { mirror: 101 } }\n'))).toBe(false);
    expect(validate(asJson(AB.replace('      higher_is_better: true\n', '')))).toBe(false);
    expect(validate(asJson(SHADOW.replace('duration: 1h', 'duration: 1 hour')))).toBe(false);
  });
});
