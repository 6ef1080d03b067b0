import { longIdProblem, longJsonKey, longKeyProblem, MAX_HASHED_CHARACTERS } from '../hashed-string.js';
import { MalformedFileError } from '../user-file-error.js';
import type { JudgeVote, OutputPair } from './compare.js';

/** A pair as recorded, with the time production answered (when the file says). */
export interface RecordedPair extends OutputPair {
  /** Epoch milliseconds. */
  at?: number;
}

/** A pairs file read: the pairs, and the answers that found no partner (a request only one side answered). */
export interface RecordedPairs {
  pairs: RecordedPair[];
  unmatched: number;
}

/** More lines than this is not a sample: refused rather than read. */
const MAX_PAIR_LINES = 1_000_000;
/** One answer longer than this (characters) is refused: no model answers a megabyte at once. */
export const MAX_ANSWER_CHARS = 1024 * 1024;
/** Named problems shown for a malformed file (the count says how many more). */
const SHOWN_PROBLEMS = 10;

const VOTES: ReadonlySet<string> = new Set(['production', 'shadow', 'tie', 'unparsed']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A malformed pairs file: every problem names its line (the first ten are shown, the rest counted). */
class PairsFileError extends MalformedFileError {
  constructor(
    file: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, SHOWN_PROBLEMS).join('; ');
    const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '';
    super(
      file,
      `${shown}${more}`,
      'One JSON object a line: {"id", "production", "shadow"} or {"id", "role": "production"|"shadow", "output"} (modelgate shadow --help).',
    );
  }
}

/**
 * Reads a JSONL file of shadow outputs, one JSON object a line, in either shape:
 * a pair, `{"id", "production", "shadow", "at"?, "judge"?: {"production_first", "shadow_first"}}`,
 * or one answer, `{"id", "role": "production"|"shadow", "output", "at"?}`, joined
 * with the other side's line of the same id. Blank lines are skipped. Any
 * malformed line makes the whole file unusable (fail closed): the error names
 * every bad line by number, with the fix.
 */
export function readPairsJsonl(text: string, file: string): RecordedPairs {
  const problems: string[] = [];
  const pairs: RecordedPair[] = [];
  const halves = new Map<string, { production?: string; shadow?: string; at?: number; line: number }>();
  const lines = text.split('\n');
  if (lines.length > MAX_PAIR_LINES)
    throw new PairsFileError(file, [`more than ${MAX_PAIR_LINES} lines; sample the outputs first`]);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const longKey = longJsonKey(raw);
    if (longKey !== undefined) {
      problems.push(`line ${line}: ${longKeyProblem(longKey)}`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`line ${line} is not JSON`);
      return;
    }
    if (!isObject(value)) {
      problems.push(`line ${line} is not a JSON object`);
      return;
    }
    const id = value.id;
    if ((typeof id !== 'string' || !id) && typeof id !== 'number') {
      problems.push(`line ${line} needs "id" (the request id both answers share)`);
      return;
    }
    const key = String(id);
    if (key.length > MAX_HASHED_CHARACTERS) {
      problems.push(`line ${line}: ${longIdProblem(key.length)}`);
      return;
    }
    const at = readTime(value.at);
    if (at === null) {
      problems.push(`line ${line}: "at" must be an ISO time such as 2026-11-22T10:00:00Z`);
      return;
    }
    if ('role' in value) {
      const role = value.role;
      if (role !== 'production' && role !== 'shadow') {
        problems.push(`line ${line}: "role" must be "production" or "shadow"`);
        return;
      }
      if (typeof value.output !== 'string' || value.output.length > MAX_ANSWER_CHARS) {
        problems.push(
          `line ${line} needs "output": the answer as a string of at most ${MAX_ANSWER_CHARS} characters`,
        );
        return;
      }
      const half = halves.get(key) ?? { line };
      if (half[role] !== undefined) {
        problems.push(
          `line ${line}: a second ${role} answer for id ${JSON.stringify(key).slice(0, 80)} (first on line ${half.line})`,
        );
        return;
      }
      half[role] = value.output;
      if (at !== undefined && (role === 'production' || half.at === undefined)) half.at = at;
      halves.set(key, half);
      return;
    }
    const { production, shadow } = value;
    if (typeof production !== 'string' || typeof shadow !== 'string') {
      problems.push(
        `line ${line} needs "production" and "shadow" (the two answers as strings), or "role" and "output"`,
      );
      return;
    }
    if (production.length > MAX_ANSWER_CHARS || shadow.length > MAX_ANSWER_CHARS) {
      problems.push(`line ${line}: an answer longer than ${MAX_ANSWER_CHARS} characters`);
      return;
    }
    const judge = readJudge(value.judge);
    if (judge === null) {
      problems.push(
        `line ${line}: "judge" must be {"production_first": V, "shadow_first": V} with V one of production, shadow, tie, unparsed`,
      );
      return;
    }
    pairs.push({
      id: key,
      production,
      shadow,
      ...(at !== undefined ? { at } : {}),
      ...(judge ? { judge } : {}),
    });
  });
  if (problems.length) throw new PairsFileError(file, problems);
  let unmatched = 0;
  for (const [id, half] of halves) {
    if (half.production === undefined || half.shadow === undefined) unmatched += 1;
    else
      pairs.push({
        id,
        production: half.production,
        shadow: half.shadow,
        ...(half.at !== undefined ? { at: half.at } : {}),
      });
  }
  return { pairs, unmatched };
}

/** undefined: absent; null: present and not a time. */
function readTime(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function readJudge(value: unknown): OutputPair['judge'] | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value)) return null;
  const first = value.production_first;
  const second = value.shadow_first;
  if (typeof first !== 'string' || typeof second !== 'string' || !VOTES.has(first) || !VOTES.has(second))
    return null;
  return { productionFirst: first as JudgeVote, shadowFirst: second as JudgeVote };
}
