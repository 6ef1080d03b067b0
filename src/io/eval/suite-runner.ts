import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { decodeUtf8 } from '../../core/bytes.js';
import type { SuiteRun, SuiteRunner } from '../../core/check.js';
import { noEndpoint } from '../../core/check.js';
import { resolveArtifactPath } from '../../core/repo-path.js';
import { runSuite } from '../../core/eval/runner.js';
import type { ScorerTools } from '../../core/eval/scorers.js';
import {
  concludeSuite,
  prepareSuite,
  resultsFileName,
  resultsNotWritten,
  suiteSchemaRef,
  type SuiteSetting,
  type SuiteVerdict,
} from '../../core/eval/suite-outcome.js';
import { planSuites, type SuitePlan } from '../../core/eval/suite-plan.js';
import type { ModelFacts } from '../../core/model/facts.js';
import type { ArtifactSource } from '../../core/source.js';
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
  return async (facts: ModelFacts, given?: SuitePlan): Promise<SuiteRun> => {
    const run: SuiteRun = { measured: [], notRun: new Map(), findings: [] };
    const plan = given ?? (await planSuites(facts, source, undefined));
    for (const { suite, index, files, manifestFile, from } of plan.suites) {
      const setting: SuiteSetting = {
        suite,
        index,
        model: facts.name,
        manifestFile: facts.manifestFile,
        lineOf: facts.lineOf,
        answeredBy: 'the endpoint',
      };
      // The plan decided where the files are: the baseline's commit for a suite it declares, relative
      // to the baseline's own manifest (a change that moved the model does not move its test).
      const dataset = await readRepoText(files, manifestFile, suite.dataset, from);
      const schemaRef = suiteSchemaRef(suite);
      const schema =
        dataset.ok && schemaRef !== undefined
          ? await readRepoText(files, manifestFile, schemaRef, from)
          : undefined;
      let judge: ScorerTools['judge'];
      if (env.MODELGATE_JUDGE_BASE_URL) {
        const completeJudge = openAiCompletion({
          baseURL: env.MODELGATE_JUDGE_BASE_URL,
          apiKey: env.MODELGATE_JUDGE_API_KEY ?? apiKey,
          model: env.MODELGATE_JUDGE_MODEL ?? 'judge',
          timeoutSeconds: config.timeoutSeconds ?? 60,
        });
        judge = async (prompt) => (await completeJudge([{ role: 'user', content: prompt }])).text;
      }
      const prepared = prepareSuite(setting, { dataset, ...(schema ? { schema } : {}) }, { judge });
      if (!prepared.ready) {
        record(run, suite.name, prepared.verdict);
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
      const outcome = await runSuite(prepared.samples, complete, prepared.scorer, {
        concurrency: config.concurrency ?? 8,
        now: () => performance.now(),
        progress: (done, total) =>
          progress?.(
            `${facts.name} ${suite.name}: ${done}/${total} samples (${((Date.now() - started) / 1000).toFixed(0)} s)`,
          ),
      });
      const name = resultsFileName(facts.name, facts.manifest.version, suite.name);
      const verdict = concludeSuite(setting, prepared, outcome, {
        source: join(config.resultsDir, name),
        record: { version: facts.manifest.version, endpointModel },
      });
      if (verdict.resultsDocument) {
        const written = await writeResults(
          config,
          name,
          `${JSON.stringify(verdict.resultsDocument, null, 2)}\n`,
        );
        if (!written.ok) verdict.findings.push(resultsNotWritten(setting, written.path, written.reason));
      }
      record(run, suite.name, verdict);
    }
    return run;
  };
}

/** Adds a suite's verdict to the model's run: its findings in order, then its measurement or why it did not run. */
function record(run: SuiteRun, suite: string, verdict: SuiteVerdict): void {
  run.findings.push(...verdict.findings);
  if (verdict.notRun) run.notRun.set(suite, verdict.notRun);
  else if (verdict.measured) run.measured.push(verdict.measured);
}

/**
 * A repository file's path, text and sha256 (of its bytes), or why it cannot be read under the
 * containment rule: in the working tree, or at the baseline's commit (`from` names it).
 */
async function readRepoText(
  source: ArtifactSource,
  manifestFile: string,
  ref: string,
  from?: string,
): Promise<{ ok: true; path: string; text: string; sha256: string } | { ok: false; problem: string }> {
  const resolved = resolveArtifactPath(manifestFile, ref);
  if (!resolved.ok) return { ok: false, problem: resolved.reason };
  const read = await source.read(resolved.path, MAX_DATASET_BYTES);
  if (!read.ok)
    return { ok: false, problem: `cannot be read${from ? ` at ${from}` : ''}: ${read.problem.detail}` };
  return {
    ok: true,
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
