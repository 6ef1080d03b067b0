import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve, relative, sep, isAbsolute } from 'node:path';
import { h as formatBytes, p as parseYamlDocument } from './yaml-document-D8lQUcRd.js';
import { C as CommandError } from './command-BFTcRIcy.js';
import { p as parseJsonFile, u as userFileProblem } from './user-file-error-DMsF1t5K.js';
import { b as ContainmentError, C as ContainedRoot } from './state-AWNhEueb.js';

/**
 * The statistics behind evaluation gates: normal distribution, McNemar's
 * exact test for paired binary scores, a paired bootstrap for continuous
 * scores, and the z-test for aggregates with standard errors. Each gives
 * the change with its two-sided interval and its one-sided bounds (what
 * non-inferiority checks), and `samplesToSettle` estimates the samples an
 * undecided comparison needs. Pure and deterministic (the bootstrap takes a seed).
 */
/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function erfc(x) {
    const z = Math.abs(x);
    const t = 1 / (1 + 0.5 * z);
    const r = t *
        Math.exp(-z * z -
            1.26551223 +
            t *
                (1.00002368 +
                    t *
                        (0.37409196 +
                            t *
                                (0.09678418 +
                                    t *
                                        (-0.18628806 +
                                            t *
                                                (0.27886807 +
                                                    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
}
/** Standard normal CDF Φ(x). */
function normalCdf(x) {
    return 0.5 * erfc(-x / Math.SQRT2);
}
/** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p) {
    if (!(p > 0 && p < 1))
        throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
    const a = [
        -39.69683028665376, 2.209460984245205e2, -275.9285104469687, 1.38357751867269e2, -30.66479806614716,
        2.506628277459239,
    ];
    const b = [
        -54.47609879822406, 1.615858368580409e2, -155.6989798598866, 6.680131188771972e1,
        -13.28068155288572,
    ];
    const c = [
        -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
        2.938163982698783,
    ];
    const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    const low = 0.02425;
    const poly = (coef, x) => coef.reduce((acc, k) => acc * x + k, 0);
    if (p < low) {
        const q = Math.sqrt(-2 * Math.log(p));
        return poly(c, q) / (poly(d, q) * q + 1);
    }
    if (p > 1 - low) {
        const q = Math.sqrt(-2 * Math.log(1 - p));
        return -poly(c, q) / (poly(d, q) * q + 1);
    }
    const q = p - 0.5;
    const r = q * q;
    return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
/**
 * Aggregates with standard errors (independent samples): z = delta / sqrt(se_c² + se_b²).
 * `sign` is +1 when higher is better, -1 when lower is better.
 */
function zTest(candidate, seCandidate, baseline, seBaseline, confidence, sign, n = 0) {
    const delta = candidate - baseline;
    const se = Math.sqrt(seCandidate ** 2 + seBaseline ** 2);
    const z = se > 0 ? delta / se : delta === 0 ? 0 : Math.sign(delta) * Infinity;
    const half = normalQuantile(0.5 + confidence / 2) * se;
    const oneSided = normalQuantile(confidence) * se;
    return {
        method: 'stderr',
        delta,
        ci: [delta - half, delta + half],
        bounds: { lower: delta - oneSided, upper: delta + oneSided },
        se,
        pWorse: normalCdf(sign * z),
        n,
        statistic: z,
    };
}
/** ln Γ(x) (Lanczos, g = 7, n = 9). */
function logGamma(x) {
    const g = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.6150291621406,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    if (x < 0.5)
        return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    const y = x - 1;
    let sum = g[0];
    for (let i = 1; i < 9; i++)
        sum += g[i] / (y + i);
    const t = y + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
/** P(X ≥ k) for X ~ Binomial(n, 1/2), summed in log space so n may be large. */
function binomialUpperTail(k, n) {
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    const logNFact = logGamma(n + 1);
    const logHalfN = n * Math.log(0.5);
    let total = 0;
    for (let i = k; i <= n; i++) {
        const term = Math.exp(logNFact - logGamma(i + 1) - logGamma(n - i + 1) + logHalfN);
        total += term;
        if (term < total * 1e-17 && i > n / 2)
            break;
    }
    return Math.min(1, total);
}
/**
 * McNemar's exact test on paired binary scores. `worse` counts pairs the
 * baseline got right and the candidate wrong, `better` the reverse; under no
 * difference `worse` ~ Binomial(worse + better, 1/2). The interval is the Wald
 * interval of the paired difference of proportions.
 */
function mcnemar(worse, better, n, confidence) {
    const delta = (better - worse) / n;
    const discordant = worse + better;
    const se = Math.sqrt(Math.max(0, discordant - (better - worse) ** 2 / n)) / n;
    const half = normalQuantile(0.5 + confidence / 2) * se;
    const oneSided = normalQuantile(confidence) * se;
    return {
        method: 'mcnemar',
        delta,
        ci: [delta - half, delta + half],
        bounds: { lower: delta - oneSided, upper: delta + oneSided },
        se,
        pWorse: discordant === 0 ? 1 : binomialUpperTail(worse, discordant),
        n,
        statistic: discordant === 0 ? 0 : (worse - better) ** 2 / discordant,
    };
}
/**
 * Paired bootstrap of the mean difference (candidate - baseline per sample):
 * resample the pairs with replacement `resamples` times. The interval is the
 * percentile interval; the one-sided p-value of "worse" is the share of
 * resampled means on the "not worse" side, shifted so ties count half.
 */
function pairedBootstrap(diffs, resamples, confidence, sign, seed = 0x5eed) {
    const n = diffs.length;
    let sum = 0;
    for (let i = 0; i < n; i++)
        sum += diffs[i];
    const delta = sum / n;
    const means = new Float64Array(resamples);
    // mulberry32 inlined: 10^8 draws for 100,000 samples x 1,000 resamples, so the call matters.
    let state = seed >>> 0;
    for (let r = 0; r < resamples; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
            state = (state + 0x6d2b79f5) >>> 0;
            let t = state;
            t = Math.imul(t ^ (t >>> 15), t | 1);
            t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
            s += diffs[((((t ^ (t >>> 14)) >>> 0) * n) / 4294967296) | 0];
        }
        means[r] = s / n;
    }
    means.sort();
    const at = (q) => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))];
    const alpha = 1 - confidence;
    // Shift the bootstrap distribution to the null (mean 0) and count how often it is as extreme as observed.
    let extreme = 0;
    for (let r = 0; r < resamples; r++) {
        const shifted = means[r] - delta;
        if (sign * shifted <= sign * delta)
            extreme += 1;
    }
    let spread = 0;
    for (let r = 0; r < resamples; r++)
        spread += (means[r] - delta) ** 2;
    return {
        method: 'bootstrap',
        delta,
        ci: [at(alpha / 2), at(1 - alpha / 2)],
        bounds: { lower: at(alpha), upper: at(1 - alpha) },
        se: Math.sqrt(spread / Math.max(1, resamples - 1)),
        pWorse: (extreme + 1) / (resamples + 1),
        n,
        statistic: delta,
    };
}
/**
 * How many samples would settle a non-inferiority question, if the observed
 * difference and spread were the truth: the n at which the one-sided bound
 * lands on the right side of the tolerance with probability `power`
 * (n = ((z_confidence + z_power) · sd / gap)², sd = se · √n now).
 * `gap` is the distance between the observed change and the tolerance's
 * edge; at a gap of 0 no number of samples settles it (undefined).
 */
function samplesToSettle(gap, se, n, confidence, power = 0.8) {
    if (!(n > 0) || !(se > 0) || !(Math.abs(gap) > 0) || !Number.isFinite(gap))
        return undefined;
    const z = normalQuantile(confidence) + normalQuantile(power);
    const needed = ((z * se * Math.sqrt(n)) / Math.abs(gap)) ** 2;
    return Number.isFinite(needed) ? Math.ceil(needed) : undefined;
}
/**
 * The standard error of the difference at which the same question would be
 * settled, when the sample count is unknown: gap / (z_confidence + z_power).
 */
function stderrToSettle(gap, confidence, power = 0.8) {
    return Math.abs(gap) / (normalQuantile(confidence) + normalQuantile(power));
}

const MiB = 1024 * 1024;
/**
 * The most read of a recording passed on the command line (`--metrics`,
 * `--counts`): real ones are a few KiB to a few MiB (a week of one-minute
 * intervals of five metrics is under 5 MiB).
 */
const RECORDING_MAX_BYTES = 64 * MiB;
/** The most read of a results file passed on the command line (`--baseline-results`, `--suites`): real ones are a few MiB at most. */
const RESULTS_MAX_BYTES = 64 * MiB;
/** The most read of a JSONL file of shadow answers (`--pairs`): a recorded sample, not a whole request log. */
const PAIRS_MAX_BYTES = 256 * MiB;
/**
 * Reads a file the user named on the command line, the way the repository's
 * own files are read: a path under the registry root goes through the
 * containment rule (ContainedRoot: a symlink out of the repository or into
 * `.git/` is refused, so a committed recording a pull request replaced with a
 * link to `/dev/zero` or `/proc/self/environ` is never opened); any path is
 * opened without blocking (a FIFO), must be a regular file, and is read
 * through the opened handle up to `maxBytes` (a file that says it is empty,
 * as /proc files do, is still cut there). Every refusal is a CommandError
 * (exit 2) naming the option, the file, the rule and the fix.
 */
async function readUserFile(file) {
    try {
        const handle = await openUserFile(file);
        try {
            return await readCapped(handle, file);
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (error instanceof CommandError)
            throw error;
        // Swapped for something else between the check and the open: refused like any other file that is not regular.
        if (error instanceof ContainmentError)
            throw refusal(file, `it ${error.reason}`, 'Pass a regular file.');
        const found = userFileProblem(error);
        if (!found)
            throw error;
        throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
    }
}
/**
 * Reads a JSON file the user named (readUserFile's checks). A file that
 * cannot be read, is not JSON or that `read` refuses (MalformedFileError) is
 * a CommandError (exit 2) naming the file, what is wrong and the fix; a file
 * that is not JSON is described by the parser's position, never quoted.
 * Anything else `read` throws is a bug in modelgate and goes on to main's
 * "internal error (please report it)", never dressed as a problem with the
 * user's file.
 */
async function readUserJsonFile(file) {
    const text = (await readUserFile(file)).toString('utf8');
    try {
        return file.read(parseJsonFile(text, file.path, file.parse), file.path);
    }
    catch (error) {
        const found = userFileProblem(error);
        if (!found)
            throw error;
        throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
    }
}
/**
 * Reads a YAML mapping the user named (readUserFile's checks): one that is
 * not YAML or is not a mapping is a CommandError naming the file.
 */
async function readUserYamlFile(file) {
    const text = (await readUserFile(file)).toString('utf8');
    const document = parseYamlDocument(text);
    const error = document.errors[0];
    // The yaml library quotes the offending lines after its first line: only the first (what and where) is said.
    if (error)
        throw new CommandError(`${file.label} cannot be used: not valid YAML (${error.message.split('\n')[0]?.replace(/:$/, '')})`, file.fix);
    const value = document.toJS({ maxAliasCount: 100 });
    if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new CommandError(`${file.label} cannot be used: not a YAML mapping`, file.fix);
    return value;
}
/** Opens the file for reading: under the root through the containment rule, elsewhere without following into a FIFO's wait. */
async function openUserFile(file) {
    const root = resolve(file.root);
    const inRoot = relative(root, resolve(file.path));
    if (inRoot !== '' && inRoot.split(sep)[0] !== '..' && !isAbsolute(inRoot)) {
        const contained = new ContainedRoot(root);
        const located = await contained.locate(inRoot.split(sep).join('/'));
        if (located.kind === 'missing')
            throw refusal(file, 'it does not exist', 'Check the path: it must name a file you can read.');
        if (located.kind !== 'file')
            throw refusal(file, `it ${located.detail}`, located.kind === 'outside'
                ? `Pass the file itself: a file under --root ${file.root} is read only where it stays inside the repository (no symlink out of it, nothing in .git/).`
                : 'Pass a regular file.');
        return (await contained.open(located)).handle;
    }
    const handle = await open(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat().catch(async (error) => {
        await handle.close();
        throw error;
    });
    if (!info.isFile()) {
        await handle.close();
        throw refusal(file, info.isDirectory() ? 'it is a directory' : 'it is not a regular file (a FIFO, socket or device)', 'Pass a regular file.');
    }
    return handle;
}
/** The file's bytes through its handle, refused past `maxBytes` whatever size the file claims. */
async function readCapped(handle, file) {
    const tooLarge = (size) => refusal(file, `it is ${size}; modelgate reads at most ${formatBytes(file.maxBytes)} of it`, `Check that ${file.label.split(' ')[0]} names the right file: a real one is far smaller.`);
    const { size } = await handle.stat();
    if (size > file.maxBytes)
        throw tooLarge(formatBytes(size));
    const chunks = [];
    let total = 0;
    for (;;) {
        const chunk = Buffer.alloc(Math.min(4 * MiB, file.maxBytes + 1 - total));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0)
            break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
        if (total > file.maxBytes)
            throw tooLarge(`more than ${formatBytes(file.maxBytes)}`);
    }
    return Buffer.concat(chunks, total);
}
function refusal(file, problem, fix) {
    return new CommandError(`${file.label} cannot be used: ${problem}`, fix);
}

export { PAIRS_MAX_BYTES as P, RESULTS_MAX_BYTES as R, readUserFile as a, RECORDING_MAX_BYTES as b, stderrToSettle as c, normalCdf as d, readUserYamlFile as e, mcnemar as m, normalQuantile as n, pairedBootstrap as p, readUserJsonFile as r, samplesToSettle as s, zTest as z };
