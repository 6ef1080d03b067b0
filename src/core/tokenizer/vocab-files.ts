import { TokenizerFormatError, type Tokenizer } from './model.js';
import { checkVocabularySize, MAX_VOCABULARY, Vocabulary } from './vocabulary.js';

/** BPE merges run about twice the vocabulary (Gemma 3: 514,906 for 262,144 tokens). */
const MAX_MERGES = 4 * MAX_VOCABULARY;

/** Reads a GPT-2 style `vocab.json` (already parsed), with the text of `merges.txt` when there is one. */
export function readVocabJson(
  json: unknown,
  file: string,
  merges?: { text: string; file: string },
): Tokenizer {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerFormatError(file, `${file} must be a JSON object of token -> id`);
  }
  const { vocabulary, invalid } = Vocabulary.fromObject(json as Record<string, unknown>, file);
  if (invalid.length) {
    throw new TokenizerFormatError(
      file,
      `${file}: ${invalid.length} entries have an id that is not a non-negative integer`,
    );
  }
  if (merges) checkMergeCount(merges);
  const mergeLines = merges ? mergesOf(merges.text) : undefined;
  if (mergeLines) {
    const bad = mergeLines.findIndex((line) => line.split(' ').length !== 2);
    if (bad >= 0)
      throw new TokenizerFormatError(
        merges!.file,
        `${merges!.file}: merge ${bad + 1} is not two tokens separated by a space`,
      );
  }
  return {
    format: 'vocab.json',
    file,
    modelType: mergeLines ? 'BPE' : 'WordLevel',
    vocab: vocabulary,
    added: [],
    pipeline: { merges: mergeLines ?? [] },
  };
}

// Counted before splitting (the "#version" header and a final newline aside): millions of lines must cost a count, not millions of strings.
function checkMergeCount(merges: { text: string; file: string }): void {
  const { text, file } = merges;
  const count = countLines(text) - (text.endsWith('\n') ? 1 : 0) - (text.startsWith('#version') ? 1 : 0);
  if (count > MAX_MERGES) {
    throw new TokenizerFormatError(
      file,
      `${file} has more than ${MAX_MERGES} merges; modelgate reads at most ${MAX_MERGES} (the largest real files have about 515,000)`,
    );
  }
}

// merges.txt may start with a "#version" header; blank lines carry nothing.
function mergesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line, index) => line !== '' && !(index === 0 && line.startsWith('#version')));
}

/** Reads a WordPiece `vocab.txt`: one token per line, the line number (from 0) is the id. */
export function readVocabTxt(text: string, file: string): Tokenizer {
  if (text.includes('\0'))
    throw new TokenizerFormatError(file, `${file} contains NUL bytes; it is not a vocab.txt`);
  // Counted before splitting: ten million lines must cost a count, not ten million strings.
  const count = countLines(text);
  checkVocabularySize(text.endsWith('\n') ? count - 1 : count, file);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tokens = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (tokens.length === 0) throw new TokenizerFormatError(file, `${file} is empty`);
  return {
    format: 'vocab.txt',
    file,
    modelType: 'WordPiece',
    vocab: Vocabulary.fromList(tokens, file),
    added: [],
    pipeline: {},
  };
}

/** Lines of a text (a final newline starts an empty last line), counted without splitting it. */
function countLines(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}
