/**
 * Output is inert: one function per medium for every string modelgate did not
 * write itself (a manifest's name, a file path, a tagger, a metric, a results
 * file, a comment). Such a string may carry terminal escape sequences, bidi
 * overrides, newlines or markup; once escaped it cannot restyle a terminal,
 * reorder what a reviewer reads, start its own output line (a `::error`
 * workflow command when the CLI runs in an Actions step) or become HTML, a
 * link, an image or a mention. Escapes are visible (`\u001b`, `\n`), so a
 * reader sees that the input held something odd.
 */

// C0 controls (ESC, CR, LF among them), DEL, C1 controls (U+009B is a one-byte CSI
// on some terminals), the bidi marks, embeddings, overrides and isolates, and the
// Unicode line and paragraph separators.
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same but newline and tab, which a whole report is made of.
const UNSAFE_IN_LOG =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */
// The unsafe characters JSON.stringify leaves raw (it escapes those below U+0020).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What inertJson escapes besides `##[`, as a test: no global state.
const UNSAFE_IN_JSON_FOUND = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const visible = (c: string) => SHORT[c] ?? unicodeEscape(c);

// The Actions runner reads a line as a workflow command when it starts with `::`
// after whitespace, and (its older syntax) when `##[` appears anywhere in it.
// One escaped character breaks either; `\u003a` and `\u005b` also keep JSON valid.
const V1_COMMAND = /##\[/g;
const V1_BROKEN = '##\\u005b';

/**
 * A string for a terminal or a CI log: control characters, bidi controls and
 * newlines shown as escapes, so the string stays on its line, and no workflow
 * command (`::error`, `##[error]`) wherever it is placed.
 */
export function inertText(text: string): string {
  return text
    .replace(UNSAFE, visible)
    .replace(/^(\s*:):/, '$1\\u003a')
    .replace(V1_COMMAND, V1_BROKEN);
}

/**
 * A filter for everything a process writes to a terminal or a CI log, chunk by
 * chunk: control characters other than newline and tab are escaped, and no
 * line can be read as a workflow command, even one split across two chunks.
 * The last line of defence behind {@link inertText}, for text a command built
 * without it.
 */
export function inertLog(): (chunk: string) => string {
  // What the previous chunk ended with, enough to judge the next one: a newline
  // (plus a colon) while its last line is whitespace and at most one colon,
  // else its last two characters (a `##` waiting for a `[`).
  let before = '\n';
  return (chunk) => {
    const text = (before + chunk)
      .replace(UNSAFE_IN_LOG, unicodeEscape)
      .replace(/(\n[^\S\n]*:):/g, '$1\\u003a')
      .replace(V1_COMMAND, V1_BROKEN);
    // Every replacement above lands after `before`, which was already written.
    const written = text.slice(before.length);
    const lastLine = text.slice(text.lastIndexOf('\n'));
    before = /^\n[^\S\n]*:?$/.test(lastLine) ? (lastLine.endsWith(':') ? '\n:' : '\n') : text.slice(-2);
    return written;
  };
}

/**
 * A value as `--format json` prints it (indented by two). JSON.stringify
 * already escapes control characters below U+0020; this also escapes DEL, C1,
 * bidi controls and the line separators, and breaks `##[`, with `\uXXXX`
 * escapes that parse back to the same value.
 */
export function inertJson(value: unknown): string {
  const json = JSON.stringify(value, null, 2) ?? 'null';
  // Most documents hold nothing to escape: two plain scans, and the document is returned as is.
  if (!UNSAFE_IN_JSON_FOUND.test(json) && !json.includes('##[')) return json;
  return json.replace(UNSAFE_IN_JSON, unicodeEscape).replace(V1_COMMAND, V1_BROKEN);
}

// Escape every pipe so a GFM table row never splits inside a cell. GFM pairs
// backslashes first (`\\` is an escaped backslash), so a pipe after an odd run
// of them gets one more backslash.
const tablePipes = (text: string) =>
  text.replace(/(\\*)\|/g, (_, run: string) => `${run}${run.length % 2 ? '\\' : ''}\\|`);

// Newlines, CR and tab read as one space in markdown text; the rest as escapes.
const markdownControls = (text: string) =>
  text
    .replace(/\r\n/g, '\n')
    .replace(UNSAFE, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : visible(c)));

/**
 * A string as markdown text, safe in a paragraph and in a table cell: no HTML,
 * no link, image, emphasis, code, heading, strike-through or math syntax, no
 * mention, no line break and no table break. It renders as the string itself
 * (control characters as escapes).
 */
export function inertMarkdown(text: string): string {
  return (
    tablePipes(
      markdownControls(text)
        .replace(/[\\`*[\]#!~$]/g, '\\$&')
        // `_` inside a word cannot start emphasis (GFM), so `vocab_size` stays as written.
        .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_'),
    )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // A zero-width space after @ keeps the text and drops the notification.
      .replace(/@/g, '@\u200b')
  );
}

/**
 * A commenter's words quoted back: {@link inertMarkdown} with every markdown
 * character escaped, also parentheses and underscores inside words, bare URLs
 * and www. names unlinked, and cut to `max` characters so a reply never
 * carries a whole paste.
 */
export function inertQuote(text: string, max = 80): string {
  const chars = Array.from(text);
  const short = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return (
    inertMarkdown(short)
      .replace(/[()]/g, '\\$&')
      .replace(/(?<=[\p{L}\p{N}])_/gu, '\\_')
      // GitHub links a bare URL or www. name by itself: a zero-width space keeps the text and drops the link.
      .replace(/(?<=\p{L})(?=:\/\/)|(?<=\bwww)(?=\.)/giu, '\u200b')
  );
}

/**
 * A string as a complete markdown code span for a table cell: fenced with more
 * backticks than it contains, control characters as escapes, pipes escaped the
 * way GFM tables read them. HTML and mentions are inert inside code already.
 */
export function inertCode(text: string): string {
  const body = tablePipes(text.replace(UNSAFE, visible));
  const longest = (body.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space between it and the fence.
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A string as a double-quoted Mermaid label inside a fenced block: one line,
 * no quote to close the label, no HTML.
 */
export function inertMermaid(text: string): string {
  return text.replace(UNSAFE, visible).replace(/"/g, "'").replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
