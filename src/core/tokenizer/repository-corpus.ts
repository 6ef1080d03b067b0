import { longJsonKey, longKeyProblem } from '../hashed-string.js';

/** A corpus file from the repository (`artifacts.tokenizer_corpus`), as lines to encode. */
export interface RepositoryCorpus {
  file: string;
  lines: { line: number; text: string }[];
}

/** At most this many examples are encoded from a repository corpus: encoding cost stays bounded. */
const MAX_CORPUS_LINES = 10_000;

/**
 * Parses a repository corpus: JSON lines (`.jsonl`: `{"text": "..."}` or a
 * JSON string per line, so examples may hold newlines and control
 * characters) or plain text, one example per line. Blank lines are skipped.
 * Throws an Error naming the file and line for anything else.
 */
export function readRepositoryCorpus(text: string, file: string): RepositoryCorpus {
  const jsonLines = /\.jsonl$/i.test(file);
  const lines: RepositoryCorpus['lines'] = [];
  const raw = text.split('\n');
  for (const [index, rawLine] of raw.entries()) {
    const lineText = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (lineText.trim() === '') continue;
    if (lines.length >= MAX_CORPUS_LINES)
      throw new Error(
        `${file} has more than ${MAX_CORPUS_LINES} examples; modelgate encodes at most ${MAX_CORPUS_LINES}`,
      );
    lines.push({ line: index + 1, text: jsonLines ? jsonExample(lineText, file, index + 1) : lineText });
  }
  if (!lines.length) throw new Error(`${file} holds no example: a corpus needs at least one non-blank line`);
  return { file, lines };
}

function jsonExample(line: string, file: string, number: number): string {
  const longKey = longJsonKey(line);
  if (longKey !== undefined) throw new Error(`${file}:${number}: ${longKeyProblem(longKey)}`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(
      `${file}:${number} is not JSON: each line of a .jsonl corpus is {"text": "..."} or a JSON string`,
    );
  }
  if (typeof value === 'string') return value;
  const textField =
    typeof value === 'object' && value !== null ? (value as { text?: unknown }).text : undefined;
  if (typeof textField === 'string') return textField;
  throw new Error(
    `${file}:${number} has no "text" string: each line of a .jsonl corpus is {"text": "..."} or a JSON string`,
  );
}
