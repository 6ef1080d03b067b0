import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  behaviourKey,
  readBehaviour,
  type TokenizerBehaviour,
} from '../../../src/core/tokenizer/behaviour.js';
import { TokenizerBehaviourCache } from '../../../src/io/tokenizer-cache.js';
import { temporaryFolder } from '../../helpers/registry.js';

const TEXTS = ['Hello world'];
const KEY = behaviourKey('a'.repeat(64), {}, TEXTS);
// GPT-2's encoding of "Hello world".
const MEASURED: TokenizerBehaviour = {
  frame: { prefix: [], suffix: [] },
  ids: [[15496, 995]],
  decoded: [null],
  pieces: { '15496': 'Hello', '995': 'Ġworld' },
  byteLevel: true,
};

const freshDir = () => join(temporaryFolder('modelgate-cache-test-'), 'cache');

describe('the tokenizer behaviour cache', () => {
  it('gives back what was written, under its content key', async () => {
    const cache = new TokenizerBehaviourCache(freshDir());
    expect(await cache.read(KEY)).toBeUndefined();
    await cache.write(KEY, MEASURED);
    expect(readBehaviour(await cache.read(KEY), TEXTS.length)).toEqual(MEASURED);
  });

  it('an entry whose payload was edited without its digest, or filed under another key, is a miss', async () => {
    const dir = freshDir();
    const cache = new TokenizerBehaviourCache(dir);
    await cache.write(KEY, MEASURED);
    const file = join(dir, `${KEY}.json`);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { payload: string };
    entry.payload = entry.payload.replace('995', '996');
    writeFileSync(file, JSON.stringify(entry));
    expect(await new TokenizerBehaviourCache(dir).read(KEY)).toBeUndefined();

    const other = behaviourKey('b'.repeat(64), {}, TEXTS);
    await cache.write(KEY, MEASURED);
    writeFileSync(join(dir, `${other}.json`), readFileSync(file));
    expect(await new TokenizerBehaviourCache(dir).read(other)).toBeUndefined();
  });

  it('a symlinked entry and a key that is not a sha256 are never followed', async () => {
    const dir = freshDir();
    const cache = new TokenizerBehaviourCache(dir);
    await cache.write(KEY, MEASURED);
    const other = behaviourKey('c'.repeat(64), {}, TEXTS);
    symlinkSync(join(dir, `${KEY}.json`), join(dir, `${other}.json`));
    expect(await cache.read(other)).toBeUndefined();
    expect(await cache.read('../../etc/passwd')).toBeUndefined();
  });

  it('a folder others can write is not trusted: nothing is read from it or written to it', async () => {
    const dir = freshDir();
    await new TokenizerBehaviourCache(dir).write(KEY, MEASURED);
    chmodSync(dir, 0o777);
    const shared = new TokenizerBehaviourCache(dir);
    expect(await shared.read(KEY)).toBeUndefined();
    mkdirSync(join(dir, 'x'));
    await shared.write(behaviourKey('d'.repeat(64), {}, TEXTS), MEASURED);
    expect(
      await new TokenizerBehaviourCache(dir).read(behaviourKey('d'.repeat(64), {}, TEXTS)),
    ).toBeUndefined();
  });

  it('a cached value of the wrong shape is a miss, never a result', () => {
    expect(readBehaviour({ ...MEASURED, ids: [[-1]] }, 1)).toBeUndefined();
    expect(readBehaviour({ ...MEASURED, ids: [[15496, 995], [1]] }, 1)).toBeUndefined();
    expect(readBehaviour({ ...MEASURED, pieces: {} }, 1)).toBeUndefined();
    expect(readBehaviour(MEASURED, 1)).toEqual(MEASURED);
  });
});
