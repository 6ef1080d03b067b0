import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCanonical, TEMPLATE_LIMITS } from '../../../src/core/template/render.js';
import { fixturePath } from '../../setup/fixture-packages.js';
import { addTinyModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

/** Templates a pull request could commit, each of which once ran the process out of memory or time. */
const BOMBS: [string, string, string][] = [
  [
    'a huge range()',
    '{% for i in range(100000000) %}x{% endfor %}',
    `calls range() for 100000000 items, more than ${TEMPLATE_LIMITS.items}`,
  ],
  [
    'nested loops',
    '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}',
    `takes more than ${TEMPLATE_LIMITS.steps} steps`,
  ],
  [
    'a string doubled in a loop',
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
    `builds a value holding more than ${TEMPLATE_LIMITS.stringChars} characters`,
  ],
  [
    'a list of references to one large string, serialised',
    `{% set s0 = '${'a'.repeat(1024)}' %}{% set l = [s0] %}` +
      '{% for i in range(16) %}{% set l = l + l %}{% endfor %}{{ l | tojson }}',
    `builds a value holding more than ${TEMPLATE_LIMITS.stringChars} characters`,
  ],
  [
    'sorting a list again and again',
    `{% set l = ['${'b'.repeat(60_000)}'] %}` +
      '{% set l = [l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0], l[0]] %}' +
      '{% for i in range(25000) %}{{ (l | sort) | length }}{% endfor %}',
    `handles more than ${TEMPLATE_LIMITS.totalChars} characters in all`,
  ],
  [
    'a list doubled in a loop',
    '{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}{% endfor %}',
    `builds a list of more than ${TEMPLATE_LIMITS.items} items`,
  ],
  [
    'an indent filter a gigabyte wide',
    "{{ 'a\nb' | indent(400000000) }}",
    `builds a string of more than ${TEMPLATE_LIMITS.stringChars} characters`,
  ],
];

describe('chat templates render within limits', () => {
  it.each(BOMBS)('stops %s with the limit it hit', (_what, source, reason) => {
    const rendered = renderCanonical(source, {});
    expect(rendered).toEqual({ ok: false, limit: true, error: `exceeds a rendering limit: it ${reason}` });
  });

  it('refuses a template source over 1 MiB before parsing it', () => {
    const rendered = renderCanonical(`${'{# padding #}'.repeat(90_000)}{{ messages }}`, {});
    expect(rendered).toMatchObject({ ok: false, limit: true });
    expect(!rendered.ok && rendered.error).toContain(`more than the ${TEMPLATE_LIMITS.sourceChars}`);
  });

  // The parser tries an expression at every position of a whitespace run: 1 MiB of spaces took more than
  // 15 minutes, within the size limit. Refused before parsing, in linear time.
  it.each([
    ['one run of 300,000 spaces', `${' '.repeat(300_000)}x`, 300_000 ** 2],
    // and the four single spaces inside the two expressions
    ['8,193 newlines and tabs', `{{ 1 }}${'\n\t'.repeat(4_096)} {{ 2 }}`, 8_193 ** 2 + 4],
    ['two runs of 6,000', `a${' '.repeat(6_000)}b${'\u00a0'.repeat(6_000)}c`, 2 * 6_000 ** 2],
  ])('refuses %s before parsing it', (_what, source, cost) => {
    expect(renderCanonical(source, {})).toEqual({
      ok: false,
      limit: true,
      error: `has runs of whitespace too long to parse (the squares of their lengths add up to ${cost}, more than ${TEMPLATE_LIMITS.whitespaceCost}; a run of 8,192 is the most modelgate parses)`,
    });
  });

  it('parses a run of 8,192 spaces', () => {
    expect(renderCanonical(`a${' '.repeat(8_192)}b`, {})).toMatchObject({
      ok: true,
      text: `a${' '.repeat(8_192)}b`,
    });
  });

  it.each(['llama3', 'qwen2_5', 'gemma3', 'deepseek_v3', 'mistral_nemo'] as const)(
    'renders the real %s template as before',
    (model) => {
      const config = JSON.parse(readFileSync(fixturePath.tokenizerConfig(model), 'utf8')) as {
        chat_template: string;
      };
      const rendered = renderCanonical(config.chat_template, { bos_token: '<s>', eos_token: '</s>' });
      expect(rendered.ok).toBe(true);
      expect(rendered.ok && rendered.text).toContain('MODELGATE_ASSISTANT_1');
    },
  );

  it('gives strftime_now a fixed date, so two renders compare on content alone', () => {
    const rendered = renderCanonical('{{ strftime_now("%d %b %Y") }}|{{ strftime_now("%B %m %%") }}', {});
    expect(rendered).toEqual({ ok: true, text: '01 Jan 2024|January 01 %', withSystem: true });
  });
});

describe('a template bomb is a finding, wherever the template lives', () => {
  it('in chat_template.jinja', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { chat_template: 'chat_template.jinja' });
    registry.write('models/m/chat_template.jinja', BOMBS[0]![1]);
    const [finding] = findingsOf(await registry.validate(), 'TEMPLATE-SRC');
    expect(finding).toMatchObject({ severity: 'error' });
    expect(finding!.message).toContain('exceeds a rendering limit: it calls range() for 100000000 items');
    expect(finding!.fix).toContain('remove the loop or data that makes it this large');
  });

  it('in tokenizer_config.json', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { tokenizer_config: 'tokenizer_config.json' });
    registry.write('models/m/tokenizer_config.json', { chat_template: BOMBS[2]![1] });
    const [finding] = findingsOf(await registry.validate(), 'TEMPLATE-SRC');
    expect(finding).toMatchObject({ severity: 'error' });
    expect(finding!.message).toContain('exceeds a rendering limit: it builds a value holding more than');
  });
});
