import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Ajv } from 'ajv';
import { decodeUtf8 } from '../../core/bytes.js';
import type { SuiteRun, SuiteRunner } from '../../core/check.js';
import { noEndpoint } from '../../core/check.js';
import type { Finding } from '../../core/findings.js';
import { resolveArtifactPath } from '../../core/repo-path.js';
import { runSuite } from '../../core/eval/runner.js';
import {
  makeScorer,
  PatternError,
  readDataset,
  scorerProblems,
  type ScorerTools,
} from '../../core/eval/scorers.js';
import type { ModelFacts } from '../../core/model/facts.js';
import { ContainedRoot, ContainmentError } from '../contained-path.js';
import { FileSystemSource } from '../fs-source.js';
import { openAiCompletion } from './openai-endpoint.js';

export interface RunnerConfig {
  endpoint?: string;
  model?: string;
  concurrency?: number;
  timeoutSeconds?: number;
  resultsDir: string;
  root: string;
  stream?: boolean;
  retries?: number;
  /** Why suites may not run here even with an endpoint (a pull request from a fork has no secrets). */
  refuse?: string;
}

const MAX_DATASET_BYTES = 256 * 1024 * 1024;

/**
 * The runner for `eval.suites`, configured from options and the environment:
 * MODELGATE_EVAL_BASE_URL, MODELGATE_EVAL_API_KEY (or OPENAI_API_KEY),
 * MODELGATE_EVAL_MODEL, and for llm_judge MODELGATE_JUDGE_BASE_URL,
 * MODELGATE_JUDGE_API_KEY, MODELGATE_JUDGE_MODEL. Nothing comes from the manifest.
 */
export function suiteRunnerFromEnvironment(
  config: RunnerConfig,
  progress?: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): SuiteRunner {
  const endpoint = config.endpoint ?? env.MODELGATE_EVAL_BASE_URL;
  if (config.refuse) {
    const reason = config.refuse;
    return async (facts) => ({
      ...(await noEndpoint(facts)),
      notRun: new Map((facts.manifest.eval?.suites ?? []).map((s) => [s.name, reason])),
    });
  }
  if (!endpoint) return noEndpoint;
  const apiKey = env.MODELGATE_EVAL_API_KEY ?? env.OPENAI_API_KEY;
  const source = new FileSystemSource(config.root);
  return async (facts: ModelFacts): Promise<SuiteRun> => {
    const run: SuiteRun = { measured: [], notRun: new Map(), findings: [] };
    const finding = (index: number, severity: Finding['severity'], message: string, key = 'dataset') =>
      run.findings.push({
        rule: 'EVAL-GATE',
        severity,
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(['eval', 'suites', index, key]),
        message,
        fix: 'Fix the dataset or the endpoint.',
      });
    for (const [index, suite] of (facts.manifest.eval?.suites ?? []).entries()) {
      const dataset = await readRepoText(source, facts.manifestFile, suite.dataset);
      if (dataset === undefined) {
        run.notRun.set(suite.name, `not run: dataset ${suite.dataset} cannot be read`);
        continue;
      }
      const { samples, problems } = readDataset(dataset.text);
      if (problems.length)
        finding(
          index,
          'warning',
          `${suite.dataset}: ${problems.length} line(s) skipped (${problems.slice(0, 3).join('; ')})`,
        );
      const tools: ScorerTools = {};
      const options = typeof suite.scorer === 'object' ? suite.scorer : undefined;
      if (options?.schema) {
        const schemaText = await readRepoText(source, facts.manifestFile, options.schema);
        if (schemaText === undefined) {
          run.notRun.set(suite.name, `not run: schema ${options.schema} cannot be read`);
          continue;
        }
        try {
          const validate = new Ajv({ strict: false }).compile(JSON.parse(schemaText.text) as object);
          tools.validateSchema = (value) => validate(value);
        } catch (error) {
          const reason = `not run: schema ${options.schema} is not a usable JSON Schema (${(error as Error).message})`;
          finding(index, 'error', `${suite.name}: ${reason.slice('not run: '.length)}`, 'scorer');
          run.notRun.set(suite.name, reason);
          continue;
        }
      }
      if (env.MODELGATE_JUDGE_BASE_URL) {
        const judge = openAiCompletion({
          baseURL: env.MODELGATE_JUDGE_BASE_URL,
          apiKey: env.MODELGATE_JUDGE_API_KEY ?? apiKey,
          model: env.MODELGATE_JUDGE_MODEL ?? 'judge',
          timeoutSeconds: config.timeoutSeconds ?? 60,
        });
        tools.judge = async (prompt) => (await judge([{ role: 'user', content: prompt }])).text;
      }
      let scorer;
      try {
        scorer = makeScorer(suite.scorer, tools);
      } catch (error) {
        if (error instanceof PatternError)
          finding(index, 'error', `${suite.name}: ${error.message}`, 'scorer');
        run.notRun.set(suite.name, `not run: ${(error as Error).message}`);
        continue;
      }
      // A pattern that cannot compile fails every sample: say so once, before any request.
      const patterns = scorerProblems(suite.scorer, samples);
      if (patterns.length) {
        const more = patterns.length > 1 ? ` (and ${patterns.length - 1} more)` : '';
        finding(index, 'error', `${suite.name}: ${patterns[0]}${more}`, 'dataset');
        run.notRun.set(suite.name, `not run: ${patterns[0]}${more}`);
        continue;
      }
      const endpointModel = config.model ?? env.MODELGATE_EVAL_MODEL ?? facts.name;
      const complete = openAiCompletion({
        baseURL: endpoint,
        apiKey,
        model: endpointModel,
        timeoutSeconds: config.timeoutSeconds ?? 60,
        maxTokens: suite.max_tokens,
        temperature: suite.temperature,
        stream: config.stream ?? env.MODELGATE_EVAL_STREAM === '1',
        retries: config.retries,
      });
      const started = Date.now();
      const outcome = await runSuite(samples, complete, scorer, {
        concurrency: config.concurrency ?? 8,
        now: () => performance.now(),
        progress: (done, total) =>
          progress?.(
            `${facts.name} ${suite.name}: ${done}/${total} samples (${((Date.now() - started) / 1000).toFixed(0)} s)`,
          ),
      });
      if (outcome.errors === samples.length && samples.length) {
        run.notRun.set(
          suite.name,
          `not run: every request to the endpoint failed (${outcome.samples[0]?.error ?? 'no answer'})`,
        );
        continue;
      }
      if (outcome.errors)
        finding(
          index,
          'error',
          `${suite.name}: ${outcome.errors} of ${samples.length} requests failed and scored 0 (first: ${outcome.samples.find((s) => s.error)?.error})`,
        );
      const name = `${facts.name.replaceAll('/', '__')}-${facts.manifest.version}-${suite.name}.json`;
      const file = join(config.resultsDir, name);
      const written = await writeResults(
        config,
        name,
        `${JSON.stringify(
          {
            format: 'modelgate-eval/v1',
            suite: suite.name,
            model: facts.name,
            version: facts.manifest.version,
            // What was asked and who answered, for a reader of the file: the endpoint's URL is left out
            // (it may carry credentials), and none of this makes the file evidence for a later check.
            dataset: { path: dataset.path, sha256: dataset.sha256 },
            endpoint_model: endpointModel,
            summary: { accuracy: outcome.accuracy, n: samples.length, errors: outcome.errors },
            samples: outcome.samples,
          },
          null,
          2,
        )}\n`,
      );
      if (!written.ok)
        finding(
          index,
          'error',
          `${suite.name}: the results file ${written.path} was not written: it ${written.reason}`,
        );
      run.measured.push({
        name: `${suite.name}/accuracy`,
        value: outcome.accuracy,
        n: samples.length,
        higherIsBetter: true,
        samples: new Map(outcome.samples.map((s) => [s.id, s.score])),
        source: file,
      });
    }
    return run;
  };
}

/** A repository file's path, text and sha256 (of its bytes); undefined when it cannot be read under the containment rule. */
async function readRepoText(
  source: FileSystemSource,
  manifestFile: string,
  ref: string,
): Promise<{ path: string; text: string; sha256: string } | undefined> {
  const resolved = resolveArtifactPath(manifestFile, ref);
  if (!resolved.ok) return undefined;
  const read = await source.read(resolved.path, MAX_DATASET_BYTES);
  if (!read.ok) return undefined;
  return {
    path: resolved.path,
    text: decodeUtf8(read.value),
    sha256: createHash('sha256').update(read.value).digest('hex'),
  };
}

/**
 * Writes a suite's results file under the containment rule: inside the
 * repository (the default, `.modelgate/results`) no folder on the way and
 * not the file itself may be a symlink, so a committed link cannot redirect
 * the write; a results folder outside the repository (an explicit option) is
 * the user's own and is its own root.
 */
async function writeResults(
  config: RunnerConfig,
  name: string,
  text: string,
): Promise<{ ok: true } | { ok: false; path: string; reason: string }> {
  const inRepo = relative(config.root, config.resultsDir);
  const outside = inRepo === '..' || inRepo.startsWith(`..${sep}`) || /^([a-zA-Z]:|\/)/.test(inRepo);
  const path = outside ? name : [...inRepo.split(sep).filter(Boolean), name].join('/');
  if (outside) await mkdir(config.resultsDir, { recursive: true });
  try {
    await new ContainedRoot(outside ? config.resultsDir : config.root).write(path, text);
    return { ok: true };
  } catch (error) {
    if (error instanceof ContainmentError) return { ok: false, path, reason: error.reason };
    throw error;
  }
}
