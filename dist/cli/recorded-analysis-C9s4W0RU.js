import { d as normalCdf, r as readUserJsonFile, b as RECORDING_MAX_BYTES, e as readUserYamlFile } from './user-file-0rc-qr69.js';
import { resolve } from 'node:path';
import { f as decodeUtf8, p as parseYamlDocument } from './yaml-document-D8lQUcRd.js';
import { M as MANIFEST_MAX_BYTES, c as parseManifest } from './parse-B69nEYJT.js';
import { C as CommandError, s as stringOf } from './command-BFTcRIcy.js';
import { GitRepository } from './git-repository-B5nDBN5A.js';
import { readSettings } from './settings-C0UoLdVc.js';

/** Above this many pairs the normal approximation is used (it is then very close to exact). */
const EXACT_LIMIT = 400;
/** mannWhitney on samples already sorted ascending. */
function mannWhitneySorted(x, y) {
    const n1 = x.length;
    const n2 = y.length;
    const n = n1 + n2;
    let rankSumCanary = 0;
    let tieTerm = 0;
    let i = 0;
    let j = 0;
    let position = 0; // values ranked so far
    while (i < n1 || j < n2) {
        const value = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
        let fromX = 0;
        let fromY = 0;
        while (i < n1 && x[i] === value) {
            i += 1;
            fromX += 1;
        }
        while (j < n2 && y[j] === value) {
            j += 1;
            fromY += 1;
        }
        const ties = fromX + fromY;
        const rank = position + (ties + 1) / 2; // average of ranks position+1 .. position+ties
        rankSumCanary += fromX * rank;
        if (ties > 1)
            tieTerm += ties ** 3 - ties;
        position += ties;
    }
    const u = rankSumCanary - (n1 * (n1 + 1)) / 2;
    if (tieTerm === 0 && n1 * n2 <= EXACT_LIMIT) {
        const counts = exactDistribution(n1, n2);
        const total = counts.reduce((a, b) => a + b, 0);
        let atMost = 0;
        for (let k = 0; k <= u; k++)
            atMost += counts[k];
        let atLeast = 0;
        for (let k = Math.ceil(u); k < counts.length; k++)
            atLeast += counts[k];
        return { u, z: 0, pGreater: atLeast / total, pLess: atMost / total, method: 'exact' };
    }
    const mean = (n1 * n2) / 2;
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
    const sd = Math.sqrt(variance);
    if (!(sd > 0))
        return { u, z: 0, pGreater: 1, pLess: 1, method: 'normal' };
    const zGreater = (u - mean - 0.5) / sd;
    const zLess = (u - mean + 0.5) / sd;
    return {
        u,
        z: (u - mean) / sd,
        pGreater: 1 - normalCdf(zGreater),
        pLess: normalCdf(zLess),
        method: 'normal',
    };
}
/** Number of arrangements giving each U = 0..n1*n2 (no ties). */
function exactDistribution(n1, n2) {
    // f(i, j, u): arrangements of i canary and j baseline values with U = u.
    let previous = Array.from({ length: n2 + 1 }, () => [1]);
    for (let i = 1; i <= n1; i++) {
        const current = [[1]];
        for (let j = 1; j <= n2; j++) {
            const size = i * j + 1;
            const row = new Array(size).fill(0);
            // The largest value is a canary one (adds j to U) or a baseline one.
            const withCanary = previous[j];
            for (let k = 0; k < withCanary.length; k++)
                row[k + j] += withCanary[k];
            const withBaseline = current[j - 1];
            for (let k = 0; k < withBaseline.length; k++)
                row[k] += withBaseline[k];
            current.push(row);
        }
        previous = current;
    }
    return previous[n2];
}
/** hodgesLehmann on samples already sorted ascending. */
function hodgesLehmannSorted(x, y) {
    const pairs = x.length * y.length;
    if (!pairs)
        return NaN;
    // Pairs with x_i - y_j <= d, i.e. y_j >= x_i - d: as x_i grows the first such j only moves right.
    const countAtMost = (d) => {
        let count = 0;
        let p = 0;
        for (let i = 0; i < x.length; i++) {
            while (p < y.length && y[p] < x[i] - d)
                p += 1;
            count += y.length - p;
        }
        return count;
    };
    const kth = (k) => {
        // the k-th smallest difference (1-based)
        let lo = x[0] - y[y.length - 1];
        let hi = x[x.length - 1] - y[0];
        for (let iteration = 0; iteration < 100 && hi - lo > 1e-9 * Math.max(1e-12, Math.abs(hi), Math.abs(lo)); iteration++) {
            const mid = (lo + hi) / 2;
            if (countAtMost(mid) >= k)
                hi = mid;
            else
                lo = mid;
        }
        return hi;
    };
    return pairs % 2 ? kth((pairs + 1) / 2) : (kth(pairs / 2) + kth(pairs / 2 + 1)) / 2;
}
/**
 * A reading as Prometheus writes it (`"+Inf"`, `"-Inf"`, `"NaN"` or a
 * decimal) as a number; undefined for text that is no reading. `Number()`
 * alone reads `"+Inf"` as NaN, which would turn the worst reading (a
 * histogram quantile above its largest bucket) into "no data".
 */
function readingOf(text) {
    const trimmed = text.trim();
    if (/^[+]?inf(inity)?$/i.test(trimmed))
        return Number.POSITIVE_INFINITY;
    if (/^-inf(inity)?$/i.test(trimmed))
        return Number.NEGATIVE_INFINITY;
    if (/^nan$/i.test(trimmed))
        return Number.NaN;
    const value = trimmed === '' ? Number.NaN : Number(trimmed);
    return Number.isNaN(value) ? undefined : value;
}
/**
 * The readings that count as measurements, sorted ascending. NaN (Prometheus'
 * 0/0) is no reading and is dropped; ±Inf stays: `x/0` errors over no
 * successes, or a quantile past the last histogram bucket, is the worst (or
 * best) reading there is, not a missing one. The one helper both the canary
 * and the guard judge use.
 */
function countedSorted(values) {
    const out = new Float64Array(values.length);
    let n = 0;
    for (const v of values)
        if (!Number.isNaN(v))
            out[n++] = v;
    return out.subarray(0, n).sort();
}
/**
 * The median of sorted readings: NaN for none, and NaN when the two middle
 * readings are -Inf and +Inf (there is no middle: a judge treats it as
 * outside every threshold).
 */
function sortedMedian(sorted) {
    if (!sorted.length)
        return Number.NaN;
    const mid = sorted.length >> 1;
    if (sorted.length % 2)
        return sorted[mid];
    const low = sorted[mid - 1];
    const high = sorted[mid];
    // Equal infinities are their own median; -Inf and +Inf average to NaN.
    return low === high ? low : (low + high) / 2;
}
/** The finite part of sorted readings: what a shift (Hodges–Lehmann) is estimated on, since Inf − Inf is NaN. */
function finitePart(sorted) {
    let from = 0;
    let to = sorted.length;
    while (from < to && sorted[from] === Number.NEGATIVE_INFINITY)
        from += 1;
    while (to > from && sorted[to - 1] === Number.POSITIVE_INFINITY)
        to -= 1;
    return sorted.subarray(from, to);
}
/** A reading for a report or a reason: four significant digits, `+Inf`/`-Inf` as Prometheus writes them. */
function formatReading(value) {
    if (value === Number.POSITIVE_INFINITY)
        return '+Inf';
    if (value === Number.NEGATIVE_INFINITY)
        return '-Inf';
    return Number(value.toPrecision(4)).toString();
}

/** `analyze` is the one subcommand of `canary`, `guard`, `shadow`, `bluegreen` and `ab`. */
function requireAnalyze(args, command, usage) {
    if (args.positionals[0] !== 'analyze')
        throw new CommandError(`unknown ${command} command "${args.positionals[0]}"`, `Use: ${usage}`);
}
/**
 * Reads the recorded file of `--<option> FILE` with `read` (which throws
 * MalformedFileError for a file the user must fix) and finds the named
 * model's manifest (`--model`, else the file's `model`).
 */
async function readRecordedAnalysis(args, command, read) {
    const fix = `Record the ${command.records} as described in modelgate ${command.name} --help.`;
    const file = stringOf(args, command.option);
    if (!file)
        throw new CommandError(`--${command.option} FILE is required`, fix);
    const root = resolve(stringOf(args, 'root') ?? '.');
    // Only a file the reader refuses is the user's problem; a bug in the reader is reported as one.
    const recorded = await readUserJsonFile({
        path: file,
        label: `--${command.option} ${file}`,
        root,
        maxBytes: RECORDING_MAX_BYTES,
        read,
        fix,
    });
    const name = stringOf(args, 'model') ?? recorded.model;
    if (!name)
        throw new CommandError('which model? Pass --model NAME or put "model" in the file');
    const found = await findModelManifest(args, name);
    return { file, recorded, name, root, manifest: found?.manifest };
}
/** The top-level manifest keys `--policy` may replace: the judging policies, nothing about the model itself. */
const POLICY_KEYS = ['canary', 'rollout', 'guard'];
const POLICY_MAX_BYTES = 64 * 1024;
/**
 * The named model's manifest in the working tree under `--root`, or
 * undefined when there is none. A manifest of that model that does not parse
 * stops the command: its policy cannot be trusted to judge anything. With
 * `--policy FILE` (YAML with `canary`, `rollout` and/or `guard`), those
 * blocks replace the manifest's, checked by the same schema, so a policy can
 * be tried on a recording before it is committed.
 */
async function findModelManifest(args, name) {
    const rootArg = stringOf(args, 'root') ?? '.';
    const root = resolve(rootArg);
    const settings = await readSettings(root);
    const repo = new GitRepository(root);
    let found;
    for (const path of await repo.findManifests(settings.manifests)) {
        const read = await repo.worktree.read(path, MANIFEST_MAX_BYTES);
        const text = read.ok ? decodeUtf8(read.value) : undefined;
        const parsed = text === undefined ? undefined : parseManifest(text, path);
        if (parsed?.manifest?.name === name && text !== undefined)
            found = { manifest: parsed.manifest, path, text };
        else if (parsed && !parsed.manifest && parsed.rawName === name)
            throw new CommandError(`the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`, `Run modelgate validate --root ${rootArg} for every problem.`);
    }
    const policyFile = stringOf(args, 'policy');
    if (!found || !policyFile)
        return found;
    return { manifest: await withPolicy(found, policyFile, root), path: found.path };
}
/** The manifest with the blocks of a `--policy` file in place of its own, validated as a whole. */
async function withPolicy(found, policyFile, root) {
    const fix = `Put only ${POLICY_KEYS.join(', ')} blocks in ${policyFile}, as in a manifest (docs/manifest.md).`;
    const policy = await readUserYamlFile({
        path: policyFile,
        label: `--policy ${policyFile}`,
        root,
        maxBytes: POLICY_MAX_BYTES,
        fix,
    });
    const extra = Object.keys(policy).filter((key) => !POLICY_KEYS.includes(key));
    if (extra.length)
        throw new CommandError(`--policy ${policyFile}: ${extra[0]} is not a policy block`, fix);
    const document = parseYamlDocument(found.text);
    for (const key of POLICY_KEYS)
        if (key in policy)
            document.set(key, policy[key]);
    const parsed = parseManifest(document.toString(), `${found.path} with --policy ${policyFile}`);
    if (!parsed.manifest)
        throw new CommandError(`--policy ${policyFile} does not fit ${found.path}: ${parsed.findings[0]?.message ?? 'schema errors'}`, fix);
    return parsed.manifest;
}

export { readRecordedAnalysis as a, readingOf as b, countedSorted as c, formatReading as d, finitePart as e, findModelManifest as f, hodgesLehmannSorted as h, mannWhitneySorted as m, requireAnalyze as r, sortedMedian as s };
