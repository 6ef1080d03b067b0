/**
 * What lm-evaluation-harness itself says about its metrics, for results files
 * that do not say it (v0.3 and v0.4.0/0.4.1 files have no `higher_is_better`;
 * none records how a metric is aggregated). Sources, read at
 * EleutherAI/lm-evaluation-harness 4e7e0d47 and v0.3.0:
 * `lm_eval/api/metrics.py` (register_metric: higher_is_better, aggregation),
 * `lm_eval/api/task.py` (process_results: what a per-document value is), the
 * tasks' own `metric_list` entries, and v0.3's `Task.higher_is_better()`.
 */

/**
 * Keys of a task's results that are not metrics (`_TaskMetrics` in
 * lm_eval/result_schema.py: `name`, `alias`, `sample_len`, `sample_count`;
 * v0.4.0–0.4.9 also kept a document count under `samples` on some paths).
 */
export const NON_METRIC_KEYS: ReadonlySet<string> = new Set([
  'name',
  'alias',
  'sample_len',
  'sample_count',
  'samples',
]);

/**
 * Metrics whose reported value is a placeholder, not a measurement: `bypass`
 * aggregates to 999 for tasks that only log their outputs.
 */
export const PLACEHOLDER_METRICS: ReadonlySet<string> = new Set(['bypass']);

/**
 * The harness's direction for the metrics it defines. Registered metrics
 * (api/metrics.py) plus the metrics v0.3's tasks declared; none of them
 * disagrees anywhere in the harness, except `ter`: the registry says
 * `higher_is_better=True`, but TER is an error rate, v0.3's translation
 * tasks said False and every task that reports it overrides it to `false`,
 * so the harness's files say false.
 * `score`, `accuracy`-like names of single tasks and anything custom are
 * deliberately absent: tasks disagree on them (`score` is true in 37 tasks,
 * false in one), so only a statement can decide.
 */
export const HARNESS_DIRECTIONS: ReadonlyMap<string, boolean> = new Map([
  ...[
    // registered in lm_eval/api/metrics.py
    'acc',
    'acc_norm',
    'acc_mutual_info',
    'acc_bytes',
    'acc_all',
    'exact_match',
    'likelihood',
    'mcc',
    'f1',
    'bleu',
    'chrf',
    // declared by v0.3 tasks (Task.higher_is_better)
    'em',
    'exact',
    'best_exact',
    'best_f1',
    'HasAns_exact',
    'HasAns_f1',
    'NoAns_exact',
    'NoAns_f1',
    'f1_abstractive',
    'f1_yesno',
    'mc1',
    'mc2',
    'mrr',
    ...['bleu', 'bleurt', 'rouge1', 'rouge2', 'rougeL'].flatMap((m) => [`${m}_max`, `${m}_acc`, `${m}_diff`]),
    // modelgate's own runner
    'accuracy',
  ].map((m) => [m, true] as const),
  ...['perplexity', 'ppl', 'word_perplexity', 'byte_perplexity', 'bits_per_byte', 'brier_score', 'ter'].map(
    (m) => [m, false] as const,
  ),
]);

/**
 * Why the per-document values the harness logs under a metric's name are not
 * that metric's per-document scores, for the metrics where they are not
 * (api/task.py process_results and the metric's aggregation in api/metrics.py).
 * A paired test on them would compare something else than the metric.
 */
export const NOT_PER_DOCUMENT_SCORES: ReadonlyMap<string, string> = new Map([
  [
    'perplexity',
    'its per-document values are log-likelihoods (loglikelihood tasks), which the harness aggregates as exp(-mean)',
  ],
  ['ppl', 'its per-document values are log-likelihoods, which the harness aggregates as exp(-mean)'],
  ...['word_perplexity', 'byte_perplexity', 'bits_per_byte'].map(
    (m) =>
      [
        m,
        'its per-document values are [log-likelihood, length] pairs (loglikelihood_rolling tasks), aggregated over the whole corpus',
      ] as const,
  ),
  ...['f1', 'mcc', 'bleu', 'chrf', 'ter', 'brier_score'].map(
    (m) => [m, 'it is computed over the whole corpus from per-document (gold, prediction) pairs'] as const,
  ),
]);

/**
 * Metrics the harness aggregates as the mean of per-document scores, so the
 * per-document values are that metric's scores (api/metrics.py: aggregation
 * "mean"; v0.3 tasks: `mean`). Others count only when the task's own config
 * in the results file says `aggregation: mean`.
 */
export const MEAN_OF_DOCUMENTS: ReadonlySet<string> = new Set([
  'acc',
  'acc_norm',
  'acc_mutual_info',
  'acc_bytes',
  'exact_match',
  'likelihood',
  'em',
  'mc1',
  'mc2',
]);
