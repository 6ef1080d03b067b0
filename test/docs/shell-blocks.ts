import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FencedBlock } from './markdown.js';

/** A shell example: the block, the exit code the docs promise, and (after a run) what it did. */
export interface ShellExample {
  block: FencedBlock;
  expectedExit: number;
  /** The `<!-- output -->` block that follows it on the page, if any. */
  output?: FencedBlock;
}

/** The result of one shell example. */
export interface ShellRun {
  /** Exit code of the block's last command; undefined when an earlier command of the block failed. */
  exit?: number;
  stdout: string;
  stderr: string;
  /** Set when a command before the last one failed (the block stopped there). */
  brokeEarly?: string;
}

/** Blocks a page runs in one shell, in order: a block and the `<!-- continues -->` blocks after it. */
export type ShellChain = ShellExample[];

const SHELL_LANGS = new Set(['sh', 'bash']);

/** Is this block a shell example (sh or bash)? */
export function isShell(block: FencedBlock): boolean {
  return SHELL_LANGS.has(block.lang);
}

/**
 * Groups a page's runnable shell blocks into chains: `<!-- continues -->`
 * joins a block to the one before it (same shell: same folder, same variables).
 * The output block of an example is the next block when it is marked `<!-- output -->`.
 */
export function shellChains(blocks: FencedBlock[]): ShellChain[] {
  const chains: ShellChain[] = [];
  blocks.forEach((block, index) => {
    if (!isShell(block) || block.markers.notRun !== undefined) return;
    const next = blocks[index + 1];
    const example: ShellExample = {
      block,
      expectedExit: block.markers.exit ?? 0,
      output: next?.markers.output ? next : undefined,
    };
    const last = chains.at(-1);
    if (block.markers.continues) {
      if (!last || last[0]!.block.file !== block.file)
        throw new Error(`${block.file}:${block.line}: "continues" with no shell block before it`);
      last.push(example);
    } else chains.push([example]);
  });
  return chains;
}

/**
 * The script of a chain: every block runs with `set -e` up to its last
 * command, which runs without it so its own exit code is recorded; each
 * block's stdout, stderr and exit code go to their own files in `dir`.
 */
function chainScript(chain: ShellChain, dir: string): string {
  const parts = chain.map((example, index) => {
    const lines = example.block.body.split('\n');
    const commands = lines.map((line, i) => ({ line, i })).filter(({ line }) => !/^\s*(#.*)?$/.test(line));
    const last = commands.at(-1);
    if (!last || last.line.trimEnd().endsWith('\\'))
      throw new Error(
        `${example.block.file}:${example.block.line}: a shell block must end with a simple command`,
      );
    const before = lines.slice(0, last.i).join('\n');
    return [
      `exec >${dir}/${index}.out 2>${dir}/${index}.err`,
      'set -e -o pipefail',
      before,
      'set +e',
      last.line,
      `echo $? >${dir}/${index}.exit`,
    ].join('\n');
  });
  return parts.join('\n') + '\n';
}

/** Runs a chain with bash in `cwd` and returns each block's result. */
export async function runChain(
  chain: ShellChain,
  options: { cwd: string; env: NodeJS.ProcessEnv; dir: string },
): Promise<ShellRun[]> {
  mkdirSync(options.dir, { recursive: true });
  const script = join(options.dir, 'script.sh');
  writeFileSync(script, chainScript(chain, options.dir));
  await new Promise<void>((resolve) => {
    execFile('bash', [script], { cwd: options.cwd, env: options.env, timeout: 30_000 }, () => resolve());
  });
  return chain.map((_, index) => {
    const read = (ext: string) => {
      const path = join(options.dir, `${index}.${ext}`);
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    };
    const exit = read('exit');
    const stdout = read('out') ?? '';
    const stderr = read('err') ?? '';
    return exit === undefined
      ? { stdout, stderr, brokeEarly: stderr.trim() || '(the block stopped before its last command)' }
      : { exit: Number(exit.trim()), stdout, stderr };
  });
}

/** Commit ids and minute-precision times differ from run to run; both sides are compared with them masked. */
export function maskVolatile(text: string): string {
  return text
    .replace(/\b\d{4}-\d\d-\d\d \d\d:\d\dZ/g, '<time>')
    .replace(/\b[0-9a-f]{7,40}\b/g, (hex) => (/[a-f]/.test(hex) ? '<commit>' : hex));
}

/**
 * Where the documented output differs from the real one, or undefined when it
 * matches: the documented lines must appear in the real output in order; a
 * line `…` stands for any number of lines, and without one the lines must be
 * adjacent (and the first and last lines must start and end the output).
 */
export function outputMismatch(documented: string, actual: string): string | undefined {
  const clean = (text: string) =>
    maskVolatile(text)
      .split('\n')
      .map((line) => line.trimEnd());
  const want = clean(documented);
  const have = clean(actual.replace(/\n+$/, ''));
  const segments: string[][] = [[]];
  for (const line of want) {
    if (line.trim() === '…') segments.push([]);
    else segments.at(-1)!.push(line);
  }
  const anchoredStart = want[0]?.trim() !== '…';
  const anchoredEnd = want.at(-1)?.trim() !== '…';
  let at = 0;
  for (const [index, segment] of segments.entries()) {
    if (segment.length === 0) continue;
    const mustStartHere = index === 0 && anchoredStart;
    const found = findSegment(have, segment, at, mustStartHere);
    if (found < 0)
      return `these documented lines are not in the output (in this order, adjacent):\n${segment.join('\n')}\n--- the output:\n${have.join('\n')}`;
    at = found + segment.length;
  }
  if (anchoredEnd && at !== have.length && segments.at(-1)!.length > 0)
    return `the output goes on after the documented lines:\n${have.slice(at).join('\n')}`;
  return undefined;
}

function findSegment(have: string[], segment: string[], from: number, onlyHere: boolean): number {
  for (let start = from; start + segment.length <= have.length; start++) {
    if (segment.every((line, k) => have[start + k] === line)) return start;
    if (onlyHere) return -1;
  }
  return -1;
}
