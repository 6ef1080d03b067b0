import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAST_FAKE_GITHUB } from '../../src/io/github/octokit.js';
import { pinnedNode } from '../../scripts/pinned-node.js';
import { assertFreshBundle } from '../../scripts/source-digest.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ACTION = join(ROOT, 'dist', 'index.js');
const COMPILE_CACHE = join(tmpdir(), 'modelgate-compile-cache');
let fresh = false;
let runnerNode: string | undefined;

export interface ActionRun {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs the bundled Action (dist/index.js) the way the runner does: a Node 24
 * process (action.yml's `runs.using: node24`; the pinned one from
 * scripts/pinned-node.js when the tests run on another Node) with INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * and the event payload at GITHUB_EVENT_PATH. Asynchronous, so a fake GitHub
 * in this process can answer it. A stale dist/ fails the test at once with the
 * fix (npm run build). The fake GitHub is answered at a fake's pace
 * (FAST_FAKE_GITHUB, src/io/github/octokit.ts): writes unspaced, a wait of N
 * seconds lasting N ms; `env: { [FAST_FAKE_GITHUB]: '' }` restores GitHub's pace.
 */
export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  options: { event?: object; eventName?: string; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  if (!fresh) assertFreshBundle(ROOT);
  fresh = true;
  runnerNode ??= pinnedNode(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-action-'));
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    event: join(dir, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(options.event ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_ACTOR: 'octocat',
    [FAST_FAKE_GITHUB]: '1',
    // Keeps the bundle's compiled code between the many Action processes of a run.
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(runnerNode, [ACTION], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = {
    status,
    stdout,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

// GITHUB_OUTPUT uses heredoc records: name<<delimiter\nvalue\ndelimiter
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}
