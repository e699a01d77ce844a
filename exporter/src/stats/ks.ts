// Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp(a, b) with method
// 'auto': the exact null distribution when max(n, m) <= 10,000 (Hodges' lattice-path counts,
// ported from scipy's _attempt_exact_2kssamp and its helpers), else kstwo.sf(D, round(nm/(n+m))).
import { kstwoSf } from './kolmogorov.ts';
import { ascending } from './sorted.ts';

const MAX_AUTO_N = 10000;

export interface KsResult {
  statistic: number;
  pvalue: number;
}

/** ks_2samp(a, b); inputs may be unsorted and must not contain NaN. NaN when a side is empty. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = ascending(a);
  const y = ascending(b);
  if (x.length === 0 || y.length === 0) return { statistic: NaN, pvalue: NaN };
  return ksFromStatistic(ecdfMaxDistance(x, y), x.length, y.length);
}

/** The two-sided p-value of ks_2samp for statistic d and sample sizes n, m. */
export function ksPValue(d: number, n: number, m: number): number {
  return ksFromStatistic(d, n, m).pvalue;
}

/** D = max |F_x - F_y| over the pooled values (ECDFs as searchsorted(side='right') / n). */
function ecdfMaxDistance(x: Float64Array, y: Float64Array): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const down = Math.min(Math.max(-minS, 0), 1);
  return down > maxS ? down : maxS;
}

/** scipy's p-value logic; the exact path also snaps D to h/lcm(n, m), as scipy returns it. */
function ksFromStatistic(d: number, n1: number, n2: number): KsResult {
  if (!(n1 > 0 && n2 > 0) || Number.isNaN(d)) return { statistic: NaN, pvalue: NaN };
  let statistic = d;
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const exact = attemptExact(n1, n2, d);
    statistic = exact.d;
    if (exact.ok) return { statistic, pvalue: clamp01(exact.p) };
  }
  // Smirnov's asymptotic: kstwo with the effective size, rounded half to even like numpy.
  const en = (n1 * n2) / (n1 + n2);
  return { statistic, pvalue: clamp01(kstwoSf(statistic, roundHalfEven(en))) };
}

function attemptExact(n1: number, n2: number, d: number): { ok: boolean; d: number; p: number } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dd = h / lcm;
  if (h === 0) return { ok: true, d: dd, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  // scipy treats a non-finite or out-of-range result as failure and falls back to asymp.
  return { ok: p >= 0 && p <= 1, d: dd, p };
}

/** Pr(D_{n,n} >= h/n) = 2 sum (-1)^(k-1) C(2n, n-kh)/C(2n, n), in a Horner-like product form. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of lattice paths (0,0)->(m,n) leaving the band |x/m - y/n| < h/lcm, computed directly as
 * 1 - (inside share) with Viehmann's recursion over one sliding column (scipy's pythran kernel).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
