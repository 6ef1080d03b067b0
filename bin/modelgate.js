#!/usr/bin/env node
// The CLI ships bundled in dist/cli.js so it runs from a clone with no install.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

// V8's code cache of the bundle (Node >= 22.1), in the user's own cache folder, never a shared
// temporary one: a cache entry runs as code, so only this user may write it. Later runs skip
// compiling the bundle. MODELGATE_COMPILE_CACHE=off turns it off.
const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
if (process.env.MODELGATE_COMPILE_CACHE !== 'off')
  try {
    enableCompileCache?.(join(cacheHome, 'modelgate', 'compile-cache'));
  } catch {
    // An unwritable cache folder only costs the compile time it would have saved.
  }
await import('../dist/cli.js');
