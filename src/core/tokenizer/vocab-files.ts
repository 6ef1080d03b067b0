import { TokenizerFormatError, type Tokenizer } from './model.js';
import { Vocabulary } from './vocabulary.js';

/** Reads a GPT-2 style `vocab.json` (already parsed), with the text of `merges.txt` when there is one. */
export function readVocabJson(
  json: unknown,
  file: string,
  merges?: { text: string; file: string },
): Tokenizer {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerFormatError(file, `${file} must be a JSON object of token -> id`);
  }
  const { vocabulary, invalid } = Vocabulary.fromObject(json as Record<string, unknown>);
  if (invalid.length) {
    throw new TokenizerFormatError(
      file,
      `${file}: ${invalid.length} entries have an id that is not a non-negative integer`,
    );
  }
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
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tokens = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (tokens.length === 0) throw new TokenizerFormatError(file, `${file} is empty`);
  return {
    format: 'vocab.txt',
    file,
    modelType: 'WordPiece',
    vocab: Vocabulary.fromList(tokens),
    added: [],
    pipeline: {},
  };
}
