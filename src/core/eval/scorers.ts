import { RE2JS } from 're2js';
import { longIdProblem, longJsonKey, longKeyProblem, MAX_HASHED_CHARACTERS } from '../hashed-string.js';
import type { Manifest } from '../manifest/schema.js';

type Suite = NonNullable<NonNullable<Manifest['eval']>['suites']>[number];
export type ScorerConfig = Suite['scorer'];

/** One dataset line (JSONL): a conversation or a prompt, and what a good answer is. */
export interface DatasetSample {
  id: string;
  messages: { role: string; content: string }[];
  expected: unknown;
  metadata?: unknown;
}

/** Scores one output in [0, 1]. */
export type Scorer = (output: string, sample: DatasetSample) => Promise<number>;

/** What scorers may need from outside: a JSON Schema validator, a judge endpoint. */
export interface ScorerTools {
  validateSchema?: (value: unknown) => boolean;
  judge?: (prompt: string) => Promise<string>;
}

/** What a good answer is, as text (a pattern, for the regex scorer without `pattern`). */
const expectedText = (sample: DatasetSample) =>
  typeof sample.expected === 'string' ? sample.expected : JSON.stringify(sample.expected ?? '');

/** Longest output a scorer looks at: a regex from a manifest must not run on megabytes. */
const MAX_SCORED_CHARS = 20_000;

/**
 * The scorers (documented in docs/evaluation.md):
 * exact_match, contains (normalised text), regex (a pattern; its first group,
 * when it has one, must equal the expected answer), json_valid, json_schema,
 * numeric (first number within a tolerance) and llm_judge (a second model
 * scores against a rubric).
 */
export function makeScorer(config: ScorerConfig, tools: ScorerTools = {}): Scorer {
  const options = typeof config === 'string' ? { type: config } : config;
  const normalise = (text: string) => {
    let t = text.trim();
    if (options.ignore_case !== false) t = t.toLowerCase();
    if (options.ignore_punctuation) t = t.replace(/[\p{P}\p{S}]/gu, '');
    if (options.ignore_whitespace !== false) t = t.replace(/\s+/g, ' ').trim();
    return t;
  };
  switch (options.type) {
    case 'exact_match':
      return async (output, sample) =>
        Number(normalise(output.slice(0, MAX_SCORED_CHARS)) === normalise(expectedText(sample)));
    case 'contains':
      return async (output, sample) =>
        Number(normalise(output.slice(0, MAX_SCORED_CHARS)).includes(normalise(expectedText(sample))));
    case 'regex': {
      const source = 'pattern' in options && options.pattern ? options.pattern : undefined;
      const pattern = source === undefined ? undefined : compilePattern(source, 'scorer.pattern');
      return async (output, sample) => {
        const text = output.slice(0, MAX_SCORED_CHARS);
        if (!pattern)
          return Number(compilePattern(expectedText(sample), `expected of ${sample.id}`).test(text));
        // The DFA answers "no match" fastest; groups are extracted only from a match.
        if (!pattern.test(text)) return 0;
        const match: (string | undefined)[] | null = pattern.exec(text);
        if (!match) return 0;
        return sample.expected === undefined
          ? 1
          : Number(normalise(match[1] ?? match[0] ?? '') === normalise(expectedText(sample)));
      };
    }
    case 'json_valid':
      return async (output) => Number(parseJson(output) !== undefined);
    case 'json_schema': {
      const validate = tools.validateSchema;
      if (!validate) throw new Error('json_schema needs a schema file (scorer.schema)');
      return async (output) => {
        const value = parseJson(output);
        return value === undefined ? 0 : Number(validate(value));
      };
    }
    case 'numeric': {
      const tolerance = 'tolerance' in options && options.tolerance !== undefined ? options.tolerance : 1e-6;
      return async (output, sample) => {
        const found = /-?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?/i.exec(output.slice(0, MAX_SCORED_CHARS))?.[0];
        const expected = Number(sample.expected);
        if (found === undefined || !Number.isFinite(expected)) return 0;
        return Number(Math.abs(Number(found.replaceAll(',', '')) - expected) <= tolerance);
      };
    }
    case 'llm_judge': {
      const judge = tools.judge;
      if (!judge) throw new Error('llm_judge needs a judge endpoint (MODELGATE_JUDGE_BASE_URL)');
      const rubric =
        'rubric' in options && options.rubric ? options.rubric : 'The answer is correct and complete.';
      return async (output, sample) => {
        const reply = await judge(judgePrompt(rubric, sample, output.slice(0, MAX_SCORED_CHARS)));
        const score = Number(
          (
            parseJson(reply.slice(reply.indexOf('{'), reply.lastIndexOf('}') + 1)) as
              { score?: unknown } | undefined
          )?.score,
        );
        return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
      };
    }
  }
}

/** A pattern RE2 cannot run (backreferences, lookaround): a user error, not a crash. */
export class PatternError extends Error {}

/**
 * Compiles a pattern from the manifest or a dataset on RE2 (re2js): matching
 * takes time linear in the text, whatever the pattern, so a pull request
 * cannot stall the runner with `^(a+)+$`. `.` matches newlines, as the `s`
 * flag did before.
 */
function compilePattern(pattern: string, where: string): RE2JS {
  try {
    return RE2JS.compile(pattern, RE2JS.DOTALL);
  } catch (error) {
    const detail = (error as Error).message.replace(/^error parsing regexp: /, '');
    // As written in the YAML, cut when long; reports escape it for their medium.
    const shown = pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern;
    throw new PatternError(
      `${where} \`${shown}\` is not a pattern RE2 can run (${detail}); backreferences and lookaround are not supported`,
    );
  }
}

/**
 * Ajv's regular expression engine for a JSON Schema from a pull request:
 * `pattern` and `patternProperties` run on RE2 (linear time), as the regex
 * scorer does. On JavaScript's RegExp, `^(a+)+$` took 3 min 20 s on one
 * answer of 33 characters. A pattern RE2 cannot run makes the schema fail to
 * compile, so the suite stops with "not a usable JSON Schema".
 */
export const schemaRegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    // Ajv keeps one compiled pattern per toString(): each must name its own source.
    return { test: (text: string) => compiled.matcher(text).find(), toString: () => `re2:${pattern}` };
  },
  { code: 're2' },
);

/**
 * Problems a suite's scorer would meet on every sample, found before any
 * request is sent: a regex scorer without `pattern` uses each sample's
 * `expected` as its pattern, so each must compile.
 */
export function scorerProblems(config: ScorerConfig, samples: readonly DatasetSample[]): string[] {
  const options = typeof config === 'string' ? { type: config } : config;
  if (options.type !== 'regex' || ('pattern' in options && options.pattern)) return [];
  const problems: string[] = [];
  for (const sample of samples) {
    try {
      compilePattern(expectedText(sample), `expected of ${sample.id}`);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}

function judgePrompt(rubric: string, sample: DatasetSample, output: string): string {
  const question = sample.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
  return [
    'You grade an assistant answer against a rubric. Reply with JSON only: {"score": <number from 0 to 1>}.',
    `Rubric: ${rubric}`,
    `Conversation:\n${question}`,
    sample.expected === undefined
      ? ''
      : `Reference answer: ${typeof sample.expected === 'string' ? sample.expected : JSON.stringify(sample.expected)}`,
    `Answer to grade:\n${output}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

function parseJson(text: string): unknown {
  const trimmed = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  if (longJsonKey(trimmed) !== undefined) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** Reads a dataset (JSONL: id, messages or prompt, expected, metadata). Bad lines are reported, not fatal. */
export function readDataset(text: string): { samples: DatasetSample[]; problems: string[] } {
  const samples: DatasetSample[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const longKey = longJsonKey(line);
    if (longKey !== undefined) {
      problems.push(`line ${index + 1}: ${longKeyProblem(longKey)}`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1} is not JSON`);
      return;
    }
    const record = value as {
      id?: unknown;
      messages?: unknown;
      prompt?: unknown;
      expected?: unknown;
      metadata?: unknown;
    } | null;
    const id =
      typeof record?.id === 'string' || typeof record?.id === 'number' ? String(record.id) : undefined;
    const messages = Array.isArray(record?.messages)
      ? (record.messages as unknown[]).filter(
          (m): m is { role: string; content: string } =>
            typeof (m as { role?: unknown })?.role === 'string' &&
            typeof (m as { content?: unknown })?.content === 'string',
        )
      : typeof record?.prompt === 'string'
        ? [{ role: 'user', content: record.prompt }]
        : [];
    if (id === undefined || !messages.length) {
      problems.push(`line ${index + 1} needs an "id" and "messages" or "prompt"`);
      return;
    }
    if (id.length > MAX_HASHED_CHARACTERS) {
      problems.push(`line ${index + 1}: ${longIdProblem(id.length)}`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`line ${index + 1} repeats id ${JSON.stringify(id)}`);
      return;
    }
    seen.add(id);
    samples.push({ id, messages, expected: record!.expected, metadata: record!.metadata });
  });
  return { samples, problems };
}
