import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BehaviourCache, TokenizerBehaviour } from '../core/tokenizer/behaviour.js';

/** The largest cache entry read back: a measurement of the reference corpus is about 100 KiB. */
const CACHE_ENTRY_MAX_BYTES = 16 * 1024 * 1024;

const KEY = /^[0-9a-f]{64}$/;

/**
 * The default folder: $XDG_CACHE_HOME/modelgate/tokenizer-behaviour, else
 * ~/.cache/…, else a per-user folder in the temporary directory. Always
 * outside the repository, so a pull request cannot plant an entry.
 */
function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'modelgate', 'tokenizer-behaviour');
  const home = homedir();
  if (home) return join(home, '.cache', 'modelgate', 'tokenizer-behaviour');
  return join(tmpdir(), `modelgate-${process.getuid?.() ?? 'user'}`, 'tokenizer-behaviour');
}

/**
 * Measured tokenizer behaviour on disk, content-addressed: an entry's name is
 * the sha256 key of everything the measurement depends on (tokenizer file
 * digest, settings, texts, measurement version). The folder is trusted only
 * when this user owns it and nobody else can write it (as ssh treats
 * ~/.ssh): a shared /tmp where another user pre-created the folder is
 * refused, not read. Entries are regular files opened without following
 * links, capped in size, and repeat their key and the sha256 of their payload;
 * the core checks the payload's shape again (readBehaviour). Anything that
 * does not verify is a miss. A cache that cannot be used never fails a run.
 */
export class TokenizerBehaviourCache implements BehaviourCache {
  private usable?: Promise<boolean>;

  constructor(readonly dir: string = defaultCacheDir()) {}

  async read(key: string): Promise<unknown> {
    if (!KEY.test(key) || !(await this.ready())) return undefined;
    let handle;
    try {
      handle = await open(
        join(this.dir, `${key}.json`),
        constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      );
      const info = await handle.stat();
      if (!info.isFile() || info.size > CACHE_ENTRY_MAX_BYTES || !ownedByMe(info.uid)) return undefined;
      const entry = JSON.parse(await handle.readFile('utf8')) as {
        key?: unknown;
        sha256?: unknown;
        payload?: unknown;
      };
      if (entry.key !== key || typeof entry.payload !== 'string') return undefined;
      if (sha256(entry.payload) !== entry.sha256) return undefined;
      return JSON.parse(entry.payload) as unknown;
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }

  async write(key: string, value: TokenizerBehaviour): Promise<void> {
    if (!KEY.test(key) || !(await this.ready())) return;
    const payload = JSON.stringify(value);
    const temporary = join(this.dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(
        temporary,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        await handle.writeFile(JSON.stringify({ key, sha256: sha256(payload), payload }));
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dir, `${key}.json`));
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  /** Creates the folder (0700) and checks it: a real folder, this user's, writable by no one else. */
  private ready(): Promise<boolean> {
    return (this.usable ??= (async () => {
      try {
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        const info = await lstat(this.dir);
        return info.isDirectory() && ownedByMe(info.uid) && (info.mode & 0o022) === 0;
      } catch {
        return false;
      }
    })());
  }
}

function ownedByMe(uid: number): boolean {
  const me = process.getuid?.();
  return me === undefined || uid === me;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
