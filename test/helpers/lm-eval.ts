import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'lm-eval', 'results_2026-11-20T10-00-00.json');

/** The recorded lm-evaluation-harness results file (exact format: "N/A" stderr, NaN, groups, filters), edited by `edit`. */
export function harnessResults(edit: (json: any) => void = () => {}): string {
  // Python writes NaN; keep the file as the harness wrote it, edit a parsed copy, then put NaN back.
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8').replace(/\bNaN\b/g, '"__NaN__"'));
  edit(json);
  return JSON.stringify(json, null, 2).replace(/"__NaN__"/g, 'NaN');
}

/** A `samples_<task>_*.jsonl` file as the harness logs it: one line per document with its metric values. */
export function harnessSamples(task: string, scores: readonly number[], metric = 'acc'): string {
  return scores
    .map((score, docId) =>
      JSON.stringify({
        doc_id: docId,
        doc: { id: `${task}-${docId}`, question: `question ${docId}` },
        target: 0,
        arguments: [[`question ${docId}`, ' answer']],
        resps: [[[-1.5, false]]],
        filtered_resps: [[-1.5, false]],
        filter: 'none',
        metrics: [metric],
        doc_hash: 'h',
        prompt_hash: 'p',
        target_hash: 't',
        [metric]: score,
      }),
    )
    .join('\n');
}

/** `n` binary scores with `ones` correct, the first ones first. */
export function scores(n: number, ones: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));
}

/** A real results or samples file of lm-evaluation-harness, as committed under test/fixtures/lm-eval (see its README). */
export function harnessFixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'lm-eval', name), 'utf8');
}
