import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { ActionInputs } from '../../src/action/inputs.js';

/** What one Action step left: its exit code, the workflow commands it printed, its outputs and job summary. */
export interface StepResult {
  status: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * The job summary file of every in-process step in this worker. @actions/core
 * keeps the first GITHUB_STEP_SUMMARY it writes to for the life of the
 * process, and test files share a worker (isolate: false): a file with a path
 * of its own read an empty summary whenever another file ran first.
 */
const SUMMARY = join(tmpdir(), `modelgate-step-summary-${process.pid}`);

/**
 * Runs `body` as one Action step in this process, the way a runner would see
 * it: `env` (INPUT_* and the like) set for the step, with GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files; stdout captured. Afterwards the environment and
 * process.exitCode (which core.setFailed sets) are the worker's again.
 */
export async function inProcessStep(
  env: Record<string, string>,
  body: () => Promise<void>,
): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-step-'));
  const stepEnv: Record<string, string> = {
    ...env,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: SUMMARY,
  };
  writeFileSync(stepEnv.GITHUB_OUTPUT!, '');
  writeFileSync(SUMMARY, '');
  const saved = Object.fromEntries(Object.keys(stepEnv).map((name) => [name, process.env[name]]));
  Object.assign(process.env, stepEnv);
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await body();
    const outputs: Record<string, string> = {};
    for (const match of readFileSync(stepEnv.GITHUB_OUTPUT!, 'utf8').matchAll(
      /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm,
    ))
      outputs[match[1]!] = match[3]!;
    return { status: Number(process.exitCode ?? 0), stdout, outputs, summary: readFileSync(SUMMARY, 'utf8') };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `command: release`'s inputs as a runner gives them to a step that sets only `github-token`, for `root`. */
export function releaseInputs(root: string, overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    command: 'release',
    root,
    allowEmpty: false,
    token: 'ghs_test',
    dryRun: false,
    evalEndpoint: '',
    evalApiKey: '',
    evalModel: '',
    model: '',
    to: '',
    target: '',
    reloadCommand: '',
    gitopsToken: '',
    ...overrides,
  };
}
