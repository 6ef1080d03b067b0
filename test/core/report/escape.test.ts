import { describe, expect, it } from 'vitest';
import {
  inertCode,
  inertJson,
  inertLog,
  inertMarkdown,
  inertMermaid,
  inertQuote,
  inertText,
} from '../../../src/core/report/escape.js';
import { expectInert, HOSTILE, HOSTILE_AS_TEXT } from './inert-output.js';

describe('text for a terminal or a CI log', () => {
  it('shows control characters, bidi controls and newlines as escapes, so the string stays on its line', () => {
    expect(inertText(HOSTILE)).toBe(HOSTILE_AS_TEXT);
    expectInert(inertText(HOSTILE));
  });

  it('never starts a workflow command, wherever the string is placed', () => {
    expect(inertText('::error title=x::pwned')).toBe(':\\u003aerror title=x::pwned');
    expect(inertText('  ::add-mask::x')).toBe('  :\\u003aadd-mask::x');
    expect(inertText('a ##[error]b')).toBe('a ##\\u005berror]b');
    expectInert(`${inertText('::stop-commands::t')}\n  ${inertText('::set-output name=a::b')}`);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'models/gpt2/model.yaml',
      'vocab_size 50257 (tokenizer.json): 1 < 2',
      'модель ✓ 模型 a::b',
    ])
      expect(inertText(text)).toBe(text);
  });
});

describe('everything a process writes to a log', () => {
  it('keeps newlines and tabs, escapes other controls, and defuses any line that would be a command', () => {
    const log = inertLog();
    const report =
      'ok\tfine\n::error::injected\n   ::warning::indented\nname ##[error]inline\n\x1b[2Jclear\u202e\n';
    expect(log(report)).toBe(
      'ok\tfine\n:\\u003aerror::injected\n   :\\u003awarning::indented\nname ##\\u005berror]inline\n\\u001b[2Jclear\\u202e\n',
    );
  });

  it('also when a command is split across writes', () => {
    const log = inertLog();
    const written = ['::', 'notice::first line\n', '  :', ':error::x\nthe ##', '[warning]y\n']
      .map(log)
      .join('');
    expect(written).toBe(':\\u003anotice::first line\n  :\\u003aerror::x\nthe ##\\u005bwarning]y\n');
    expectInert(written);
  });

  it('a clean chunk passes through as it is, and still carries what it ends with into the next write', () => {
    // Each first chunk below has nothing to escape (the fast path); the second completes a command.
    const cases: [string[], string][] = [
      [['{\n  "a": 1\n  :', ':error::x\n'], '{\n  "a": 1\n  :\\u003aerror::x\n'],
      [['done\n  ', '::warning::y\n'], 'done\n  :\\u003awarning::y\n'],
      [['ok\nthe ##', '[error]z\n'], 'ok\nthe ##\\u005berror]z\n'],
      [['ok\nthe #', '#[error]z\n'], 'ok\nthe ##\\u005berror]z\n'],
      [['ok\nplain text\n', 'more\n'], 'ok\nplain text\nmore\n'],
    ];
    for (const [chunks, expected] of cases) {
      const log = inertLog();
      expect(chunks.map((c) => log(c)).join('')).toBe(expected);
    }
  });

  it('a chunk of a megabyte of clean JSON comes out the same string', () => {
    const json = inertJson({ events: Array.from({ length: 20_000 }, (_, i) => ({ tag: `m@v1.0.${i}` })) });
    expect(inertLog()(json)).toBe(json);
    expect(inertLog()(`${json}\n::error::x`)).toBe(`${json}\n:\\u003aerror::x`);
  });

  it('a line that merely contains :: is left as it is', () => {
    expect(inertLog()('gpt2 canary::1\nhttps://a.example/x::y\n')).toBe(
      'gpt2 canary::1\nhttps://a.example/x::y\n',
    );
  });
});

describe('JSON', () => {
  it('parses back to the same value, with nothing raw a terminal or the runner acts on', () => {
    const value = { name: HOSTILE, del: 'a\x7fb', separators: 'x\u2028y\u2029z', list: ['##[error]x'] };
    const json = inertJson(value);
    expect(JSON.parse(json)).toEqual(value);
    expectInert(json);
    expect(json).toContain('"##\\u005berror]x"');
  });
});

describe('markdown', () => {
  it('renders a hostile string as itself: no HTML, link, image, emphasis, code, math, mention or table break', () => {
    const text = inertMarkdown(
      'x](https://evil.example) ![t](https://evil.example/t.png) <img src=x> @org/team | **b** `c` $\\color{red}x$ #1 ~s~ _e_ a\\|b & &lt;',
    );
    expect(text).toBe(
      'x\\](https://evil.example) \\!\\[t\\](https://evil.example/t.png) &lt;img src=x&gt; @\u200borg/team \\| \\*\\*b\\*\\* \\`c\\` \\$\\\\color{red}x\\$ \\#1 \\~s\\~ \\_e\\_ a\\\\\\|b &amp; &amp;lt;',
    );
    // Every pipe is escaped and every backslash before one comes in pairs, so a table row keeps its cells.
    expect(text.match(/(?<!\\)(?:\\\\)*\|/g)).toBeNull();
  });

  it('keeps words with underscores as they are written (GFM reads no emphasis inside a word)', () => {
    expect(inertMarkdown('max_position_embeddings increased')).toBe('max_position_embeddings increased');
  });

  it('puts a line break, CR and control characters on one line, visibly', () => {
    expect(inertMarkdown(HOSTILE)).toBe(
      'evil\\\\u001b\\[31m\\\\u001b\\]8;;https://evil.example\\\\u0007link\\\\u001b\\]8;;\\\\u0007\\\\u001b\\[2J ::error title=x::pwned\\\\u202egnp.exe\\\\u009b2J \\#\\#\\[warning\\]w',
    );
  });

  it('code spans are fenced past any backtick inside and keep the table row whole', () => {
    expect(inertCode('models/gpt2/tokenizer_config.json')).toBe('`models/gpt2/tokenizer_config.json`');
    expect(inertCode('a`b``c|d\\|e')).toBe('```a`b``c\\|d\\\\\\|e```');
    expect(inertCode('`x')).toBe('`` `x ``');
    expect(inertCode('a\nb\x1b')).toBe('`a\\nb\\u001b`');
  });

  it('a quoted comment is cut by characters, never inside one', () => {
    expect(inertQuote('😀'.repeat(100), 3)).toBe('😀😀😀…');
    expect(inertQuote('call(me)')).toBe('call\\(me\\)');
    expect(inertQuote('no_such__model')).toBe('no\\_such\\_\\_model');
  });

  it("a quoted comment links nowhere: GitHub's bare URLs, www. names and e-mail addresses are broken up", () => {
    const quoted = inertQuote(
      '/x https://evil.example/login www.evil.example HTTP://x.y me@evil.example',
      200,
    );
    expect(quoted).toBe(
      '/x https\u200b://evil.example/login www\u200b.evil.example HTTP\u200b://x.y me@\u200bevil.example',
    );
    // What GitHub links (its autolink extension): a scheme's "://", a leading "www.", an address's "@domain".
    expect(quoted).not.toMatch(/[a-z]:\/\/|\bwww\.|@[a-z]/i);
  });

  it('a Mermaid label cannot close its quotes, its line or its block', () => {
    expect(inertMermaid('a"b<c>\n```\nd')).toBe("a'b#lt;c#gt;\\n```\\nd");
  });
});
