#!/usr/bin/env node
// The CLI ships bundled in dist/cli.js so it runs from a clone with no install.
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

// package.json's engines: the bundle is built for, and tested on, Node 24 and later. An older
// Node gets this line, not a stack trace from an API it lacks or a result nobody tested.
const [major = 0] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `modelgate: needs Node.js 24 or later, and this is Node.js ${process.versions.node}\n` +
      `  fix: Install Node.js 24 (https://nodejs.org), or run it with npx -p node@24 -p modelgate modelgate ...\n`,
  );
  process.exit(2);
}

// V8's code cache of the bundle (Node >= 22.1), in the user's own cache folder, never a shared
// temporary one: a cache entry runs as code, so only this user may write it. Later runs skip
// compiling the bundle. MODELGATE_COMPILE_CACHE=off turns it off.
const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
if (process.env.MODELGATE_COMPILE_CACHE !== 'off')
  try {
    nodeModule.enableCompileCache(join(cacheHome, 'modelgate', 'compile-cache'));
  } catch {
    // An unwritable cache folder only costs the compile time it would have saved.
  }
await import('../dist/cli.js');
