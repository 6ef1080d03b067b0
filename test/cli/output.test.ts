import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { streamOutput } from '../../src/cli/output.js';
import { CollectedStream } from '../core/report/cli-streams.js';
import { HOSTILE } from '../core/report/inert-output.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

/** A stdout whose reader is gone: every write fails the way a closed pipe fails (`| head -1`). */
class ClosedPipe extends Writable {
  writes = 0;
  constructor(private readonly code = 'EPIPE') {
    super();
  }
  override _write(_chunk: unknown, _encoding: string, done: (error?: Error | null) => void): void {
    this.writes += 1;
    done(Object.assign(new Error(`write ${this.code}`), { code: this.code, syscall: 'write' }));
  }
}

// Stream errors are emitted on a later tick: let them arrive inside the test.
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A registry with one released model and enough events for a history. */
function registryWithHistory() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  const commit = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
  for (let n = 1; n <= 3; n++) registry.tag(`gpt2#canary#${n}`, { commit, date: 1_760_000_000 + n });
  return registry;
}

describe('a reader that stops reading (EPIPE)', () => {
  it('`modelgate history | head -1` ends quietly with the command’s own exit code', async () => {
    const registry = registryWithHistory();
    const stdout = new ClosedPipe();
    const stderr = new CollectedStream();
    const code = await main(['history', '--root', registry.root], streamOutput({ stdout, stderr }));
    await settle();
    expect(code).toBe(0);
    expect(stdout.writes).toBe(1);
    expect(stderr.text).toBe('');
  });

  it('a failed validation keeps exit code 1 when its reader stops early, so a pipefail pipeline still fails', async () => {
    const registry = TempRegistry.create();
    registry.writeManifest('models/evil/model.yaml', {
      apiVersion: 'modelgate.dev/v1',
      kind: 'Model',
      name: HOSTILE,
    });
    const stdout = new ClosedPipe();
    const stderr = new CollectedStream();
    const code = await main(['validate', '--root', registry.root], streamOutput({ stdout, stderr }));
    await settle();
    expect(code).toBe(1);
    expect(stderr.text).toBe('');
  });

  it('later writes to the closed stream are dropped, the other stream still works', async () => {
    const stdout = new ClosedPipe();
    const stderr = new CollectedStream();
    const out = streamOutput({ stdout, stderr });
    out.stdout('first\n');
    await settle();
    out.stdout('second\n');
    out.stderr('modelgate: a note\n');
    await settle();
    expect(stdout.writes).toBe(1);
    expect(stderr.text).toBe('modelgate: a note\n');
  });
});

describe('output that could not be written for another reason', () => {
  it('is said once on stderr and counts as lost (exit code 2 for the binary)', async () => {
    const lost: string[] = [];
    const stderr = new CollectedStream();
    const out = streamOutput({
      stdout: new ClosedPipe('ENOSPC'),
      stderr,
      onLost: (reason) => lost.push(reason),
    });
    out.stdout('report\n');
    await settle();
    out.stdout('more\n');
    await settle();
    expect(lost).toEqual(['ENOSPC']);
    expect(stderr.text).toBe(
      'modelgate: cannot write to standard output (ENOSPC): the output is incomplete\n' +
        '  fix: check where standard output goes (a full disk, a closed descriptor)\n',
    );
  });
});

describe('the progress line', () => {
  it('is drawn only on a terminal, escaped and cut to its width, and cleared before a message', () => {
    const stderr = new CollectedStream();
    const out = streamOutput({ stdout: new CollectedStream(), stderr, terminalWidth: () => 30 });
    out.progress(`[1/1] models/${HOSTILE}/model.yaml`);
    out.stderr('done\n');
    expect(stderr.text).toBe('\r\x1b[K[1/1] models/evil\\u001b[31m\\u\r\x1b[Kdone\n');

    const piped = new CollectedStream();
    streamOutput({ stdout: new CollectedStream(), stderr: piped }).progress(
      'sha256 weights/model.safetensors',
    );
    expect(piped.text).toBe('');
  });
});

describe('the modelgate process on a real pipe', () => {
  // dist/ is rebuilt only by the lead, so the test compiles the two modules it needs on its own.
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-output-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compile = (source: string, target: string) => {
    const file = join(import.meta.dirname, '..', '..', 'src', source);
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), js);
  };
  compile('cli/output.ts', 'cli/output.js');
  compile('core/report/escape.ts', 'core/report/escape.js');
  // What src/cli/index.ts does, with a command that prints a long report (far more than a pipe holds) and exits `code`.
  writeFileSync(
    join(dir, 'cli', 'run.js'),
    `import { runWithProcessStreams } from './output.js';
await runWithProcessStreams(async (out) => {
  out.stdout('2025-10-09 08:53Z  gpt2  registered 1.0.0\\n'.repeat(100_000));
  out.stdout('the end\\n');
  return Number(process.argv[2]);
});
`,
  );

  /** Runs the script, reads the first chunk like `head -c`, then closes the pipe. */
  async function runIntoClosedPipe(code: number) {
    const child = spawn(process.execPath, [join(dir, 'cli', 'run.js'), String(code)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (c: Buffer) => resolve(c.toString())),
    );
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { first, status, stderr };
  }

  it.each([0, 1])('ends quietly and exits %i, the command’s own code', async (code) => {
    const { first, status, stderr } = await runIntoClosedPipe(code);
    expect(first.startsWith('2025-10-09 08:53Z  gpt2  registered 1.0.0\n')).toBe(true);
    expect(stderr).toBe('');
    expect(status).toBe(code);
  });
});
