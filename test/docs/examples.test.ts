import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseDocument, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { COMMANDS } from '../../src/action/inputs.js';
import { parseSettings } from '../../src/io/settings.js';
import { docPages, fencedBlocks, REPO_ROOT, type FencedBlock } from './markdown.js';
import {
  isShell,
  maskVolatile,
  outputMismatch,
  runChain,
  shellChains,
  type ShellChain,
  type ShellRun,
} from './shell-blocks.js';

// The docs' examples, run: every fenced block of README.md and docs/*.md is
// parsed with modelgate's own schema, run with the bundled CLI, or marked
// "not run" with a reason, so no example can rot unnoticed.

const pages = docPages();
const blocks = pages.flatMap(fencedBlocks);
const where = (block: FencedBlock) => `${block.file}:${block.line}`;

const MANIFEST_KEYS = new Set([
  '$schema',
  'apiVersion',
  'kind',
  'name',
  'version',
  'description',
  'lineage',
  'artifacts',
  'training',
  'eval',
  'canary',
  'rollback',
  'guard',
  'rollout',
]);
const SETTINGS_KEYS = new Set([
  'manifests',
  'stages',
  'environments',
  'chatops',
  'deploy',
  'tracking',
  'endpoints',
  'shadow',
]);
const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
};
const ACTION_COMMANDS = new Set<string>(COMMANDS);

/** The smallest valid manifest: a documented fragment (`eval:`, `canary:` …) is completed into it. */
const MANIFEST_BASE = {
  apiVersion: 'modelgate.dev/v1',
  kind: 'Model',
  name: 'docs-example',
  version: '1.0.0',
  artifacts: { config: 'config.json', tokenizer: 'tokenizer.json' },
};

type YamlKind = 'manifest' | 'manifest fragment' | 'settings' | 'workflow';

/** Which file a documented YAML block is, from its top-level keys; undefined when it is none of them. */
function yamlKind(value: unknown): YamlKind | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.includes('jobs')) return 'workflow';
  if (keys.includes('apiVersion')) return 'manifest';
  if (keys.every((key) => MANIFEST_KEYS.has(key))) return 'manifest fragment';
  if (keys.every((key) => SETTINGS_KEYS.has(key))) return 'settings';
  return undefined;
}

/** The problems of one YAML block as modelgate (or GitHub, for a workflow) would read it. */
function yamlProblems(block: FencedBlock): string[] {
  const doc = parseDocument(block.body, { uniqueKeys: true, strict: true });
  if (doc.errors.length) return doc.errors.map((e) => e.message);
  const value: unknown = doc.toJS();
  const kind = yamlKind(value);
  if (kind === 'manifest' || kind === 'manifest fragment') {
    const text = kind === 'manifest' ? block.body : stringify({ ...MANIFEST_BASE, ...(value as object) });
    return parseManifest(text, 'model.yaml').findings.map((f) => f.message);
  }
  if (kind === 'settings') {
    try {
      parseSettings(block.body);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }
  if (kind === 'workflow') return workflowProblems(value as Workflow);
  return [`top-level keys ${Object.keys(value as object).join(', ')}: not a manifest, settings or workflow`];
}

interface Workflow {
  jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
}

/** A workflow may pass the Action only the inputs action.yml declares, and only a command it has. */
function workflowProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
  const ours = steps.filter((step) => /(^|\/)modelgate@|^\.\/?$/.test(step.uses ?? ''));
  if (ours.length === 0) problems.push('no step uses the modelgate Action');
  for (const step of ours) {
    for (const input of Object.keys(step.with ?? {}))
      if (!(input in action.inputs)) problems.push(`input "${input}" is not in action.yml`);
    const command = step.with?.command;
    if (command !== undefined && !ACTION_COMMANDS.has(String(command)))
      problems.push(`command "${String(command)}" is not one of the Action's (${COMMANDS.join(', ')})`);
  }
  return problems;
}

/** `modelgate <command> …` synopsis lines: a text block in which every line is one. */
function isSynopsis(block: FencedBlock): boolean {
  const lines = block.body.split('\n').filter((line) => line.trim());
  return lines.length > 0 && lines.every((line) => line.startsWith('modelgate '));
}

let workspace: string;
let env: NodeJS.ProcessEnv;
const chains = pages.flatMap((page) => shellChains(fencedBlocks(page)));
const runs = new Map<ShellChain, Promise<ShellRun[]>>();

/** Runs each chain once, on first use; tests of one chain share its run. */
function runOf(chain: ShellChain): Promise<ShellRun[]> {
  let run = runs.get(chain);
  if (!run) {
    const dir = join(workspace, `run-${runs.size}`);
    run = runChain(chain, {
      cwd: join(workspace, 'checkout'),
      env: { ...env, DOCS_GIT_CLOCK: join(dir, 'clock') },
      dir,
    });
    runs.set(chain, run);
  }
  return run;
}

beforeAll(() => {
  // One workspace for the file: a checkout holding a copy of the example
  // registry (the docs run from a clone's root), `modelgate` on PATH as the
  // bundled CLI, and a private TMPDIR, cache and git identity.
  workspace = mkdtempSync(join(tmpdir(), 'modelgate-docs-'));
  cpSync(join(REPO_ROOT, 'examples'), join(workspace, 'checkout', 'examples'), { recursive: true });
  mkdirSync(join(workspace, 'bin'));
  mkdirSync(join(workspace, 'tmp'));
  const shim = join(workspace, 'bin', 'modelgate');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'dist', 'cli.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  // An injected clock for git: every git call is one second after the one before, so tags made by
  // one example never share a second (GTO orders same-second events by kind, not by when) and no
  // example waits for the wall clock. The count is replaced atomically: modelgate runs git calls in
  // parallel, and a reader must never see the file half-written (an empty count would go back in time).
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const git = join(workspace, 'bin', 'git');
  writeFileSync(
    git,
    `#!/bin/sh\nn=$(cat "$DOCS_GIT_CLOCK" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"$DOCS_GIT_CLOCK.$$" && mv "$DOCS_GIT_CLOCK.$$" "$DOCS_GIT_CLOCK"\n` +
      `GIT_COMMITTER_DATE="@$((1767225600 + n)) +0000" GIT_AUTHOR_DATE="@$((1767225600 + n)) +0000" exec "${realGit}" "$@"\n`,
  );
  chmodSync(git, 0o755);
  env = {
    PATH: `${join(workspace, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: workspace,
    TMPDIR: join(workspace, 'tmp'),
    XDG_CACHE_HOME: join(workspace, 'cache'),
    LANG: 'C.UTF-8',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
  };
  // Start every chain at once: they are independent, and most of their time is spent waiting on node and git.
  for (const chain of chains) void runOf(chain);
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  rmSync(workspace, { recursive: true, force: true });
});

describe('every fenced block of the docs is checked, or says why not', () => {
  it('has a language the docs test knows (yaml, json, sh, bash, text)', () => {
    const unknown = blocks.filter((b) => !['yaml', 'json', 'sh', 'bash', 'text'].includes(b.lang));
    expect(unknown.map((b) => `${where(b)} \`\`\`${b.lang}`)).toEqual([]);
  });

  it('says why, for every block that is not run, and keeps those few', () => {
    const notRun = blocks.filter((b) => b.markers.notRun !== undefined);
    expect(notRun.filter((b) => b.markers.notRun === '').map(where)).toEqual([]);
    // Counted: examples that run are the rule; a growing list of exceptions is a review question.
    expect(notRun.length).toBeLessThanOrEqual(6);
    expect(blocks.filter((b) => isShell(b) && b.markers.notRun === undefined).length).toBeGreaterThan(8);
  });

  it('has every text block as a synopsis, an output, or not run', () => {
    const loose = blocks.filter(
      (b) => b.lang === 'text' && !b.markers.output && b.markers.notRun === undefined && !isSynopsis(b),
    );
    expect(loose.map(where)).toEqual([]);
  });

  it('puts every output block right after a shell block that runs', () => {
    const orphans = pages.flatMap((page) => {
      const own = fencedBlocks(page);
      return own.filter(
        (b, i) => b.markers.output && !(own[i - 1] && isShell(own[i - 1]!) && !own[i - 1]!.markers.notRun),
      );
    });
    expect(orphans.map(where)).toEqual([]);
  });
});

describe('YAML examples parse as modelgate reads them', () => {
  const yamlBlocks = blocks.filter((b) => b.lang === 'yaml' && b.markers.notRun === undefined);
  it('has YAML examples', () => expect(yamlBlocks.length).toBeGreaterThan(5));
  it.each(yamlBlocks.map((b) => [where(b), b] as const))('%s', (_where, block) => {
    expect(yamlProblems(block)).toEqual([]);
  });
});

describe('JSON examples parse', () => {
  it.each(blocks.filter((b) => b.lang === 'json').map((b) => [where(b), b] as const))(
    '%s',
    (_where, block) => {
      expect(() => JSON.parse(block.body) as unknown).not.toThrow();
    },
  );
});

describe('shell examples run with the bundled CLI and exit as documented', () => {
  const examples = chains.flatMap((chain) => chain.map((example, index) => ({ chain, example, index })));
  it.each(examples.map((e) => [`${where(e.example.block)} exits ${e.example.expectedExit}`, e] as const))(
    '%s',
    async (_name, { chain, example, index }) => {
      const run = (await runOf(chain))[index]!;
      expect(run.brokeEarly, 'a command before the last one failed').toBeUndefined();
      expect(run.stdout, 'no stack trace').not.toMatch(/\n\s+at .*\.js:\d+/);
      expect({ exit: run.exit, stderr: run.stderr }).toMatchObject({ exit: example.expectedExit });
      if (!example.output) return;
      if (example.output.lang === 'json') {
        const mask = (text: string) => JSON.parse(maskVolatile(text)) as unknown;
        expect(mask(run.stdout)).toEqual(mask(example.output.body));
      } else {
        expect(outputMismatch(example.output.body, run.stdout)).toBeUndefined();
      }
    },
  );
});

describe('synopses list exactly the options of --help', () => {
  const lines = blocks
    .filter((b) => b.lang === 'text' && isSynopsis(b))
    .flatMap((b) =>
      b.body
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => [where(b), line] as const),
    );
  it('has a synopsis of every command', () => expect(lines.length).toBeGreaterThanOrEqual(10));
  it.each(lines)('%s: %s', async (_where, line) => {
    const words = line.split(/\s+/).slice(1);
    const command = words.slice(
      0,
      words.findIndex((w) => /^[[<-]/.test(w)),
    );
    const help = await runCli(...command, '--help');
    expect(help.code).toBe(0);
    // Options of other programs the help quotes (`gto show --json`) and its pointer to --help are not modelgate's.
    const own = help.stdout.replace(/^.*--help.*$/gm, '').replace(/`gto \w+ --json`/g, '');
    const options = (text: string) => [...new Set(text.match(/--[a-z][a-z-]*/g))].sort();
    expect(options(line)).toEqual(options(own));
  });
});
