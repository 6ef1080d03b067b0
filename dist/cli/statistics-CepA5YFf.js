import { b as normalCdf } from './statistics-DNL-lRK3.js';

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

export { hodgesLehmannSorted as h, mannWhitneySorted as m };
