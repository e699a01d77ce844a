// Regularized upper incomplete gamma Q(a, x) = scipy.special.gammaincc, ported branch by branch
// from cephes `igam.h` as shipped in scipy's xsf, and chi2.sf built on it (scipy's chdtrc).
import { erfc } from './erfc.ts';
import { IGAM_ASYMP_COEFF } from './igam-coefficients.ts';
import { LANCZOS_G, lanczosSumExpgScaled, lgam, lgam1p } from './lgamma.ts';
import { MACHEP, expm1, log1pmx } from './unity.ts';

const MAXITER = 2000;
const SMALL = 20;
const LARGE = 200;
const SMALLRATIO = 0.3;
const LARGERATIO = 4.5;
const BIG = 4503599627370496;
const BIGINV = 2.220446049250313e-16;
const MAXLOG = 709.782712893384;

/** x^a e^-x / Gamma(a), via Lanczos when a ~ x to avoid cancellation in the exponent. */
function igamFac(a: number, x: number): number {
  if (Math.abs(a - x) > 0.4 * Math.abs(a)) {
    const ax = a * Math.log(x) - x - lgam(a);
    return ax < -MAXLOG ? 0 : Math.exp(ax);
  }
  const fac = a + LANCZOS_G - 0.5;
  let res = Math.sqrt(fac / Math.exp(1)) / lanczosSumExpgScaled(a);
  if (a < 200 && x < 200) {
    res *= Math.exp(a - x) * Math.pow(x / fac, a);
  } else {
    const num = x - a - LANCZOS_G + 0.5;
    res *= Math.exp(a * log1pmx(num / fac) + (x * (0.5 - LANCZOS_G)) / fac);
  }
  return res;
}

/** Q(a, x) by continued fraction (DLMF 8.9.2). */
function igamcContinuedFraction(a: number, x: number): number {
  const ax = igamFac(a, x);
  if (ax === 0) return 0;
  let y = 1 - a;
  let z = x + y + 1;
  let c = 0;
  let pkm2 = 1;
  let qkm2 = x;
  let pkm1 = x + 1;
  let qkm1 = z * x;
  let ans = pkm1 / qkm1;
  for (let i = 0; i < MAXITER; i++) {
    c += 1;
    y += 1;
    z += 2;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    let t = 1;
    if (qk !== 0) {
      const r = pk / qk;
      t = Math.abs((ans - r) / r);
      ans = r;
    }
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (Math.abs(pk) > BIG) {
      pkm2 *= BIGINV;
      pkm1 *= BIGINV;
      qkm2 *= BIGINV;
      qkm1 *= BIGINV;
    }
    if (t <= MACHEP) break;
  }
  return ans * ax;
}

/** P(a, x) by power series (DLMF 8.11.4). */
function igamSeries(a: number, x: number): number {
  const ax = igamFac(a, x);
  if (ax === 0) return 0;
  let r = a;
  let c = 1;
  let ans = 1;
  for (let i = 0; i < MAXITER; i++) {
    r += 1;
    c *= x / r;
    ans += c;
    if (c <= MACHEP * ans) break;
  }
  return (ans * ax) / a;
}

/** Q(a, x) for small x (DLMF 8.7.3). */
function igamcSeries(a: number, x: number): number {
  let fac = 1;
  let sum = 0;
  for (let n = 1; n < MAXITER; n++) {
    fac *= -x / n;
    const term = fac / (a + n);
    sum += term;
    if (Math.abs(term) <= MACHEP * Math.abs(sum)) break;
  }
  const logx = Math.log(x);
  const term = -expm1(a * logx - lgam1p(a));
  return term - Math.exp(a * logx - lgam(a)) * sum;
}

/** Temme's uniform asymptotic expansion (DLMF 8.12.3/8.12.4) for a ~ x. */
function asymptoticSeries(a: number, x: number, upper: boolean): number {
  const sgn = upper ? 1 : -1;
  const lambda = x / a;
  const sigma = (x - a) / a;
  let eta = 0;
  if (lambda > 1) eta = Math.sqrt(-2 * log1pmx(sigma));
  else if (lambda < 1) eta = -Math.sqrt(-2 * log1pmx(sigma));
  const res = 0.5 * erfc(sgn * eta * Math.sqrt(a / 2));
  const k = IGAM_ASYMP_COEFF.length;
  const nMax = IGAM_ASYMP_COEFF[0].length;
  const etapow = [1];
  let maxpow = 0;
  let sum = 0;
  let afac = 1;
  let absoldterm = Infinity;
  for (let i = 0; i < k; i++) {
    const d = IGAM_ASYMP_COEFF[i];
    let ck = d[0];
    for (let n = 1; n < nMax; n++) {
      if (n > maxpow) {
        etapow[n] = eta * etapow[n - 1];
        maxpow += 1;
      }
      const ckterm = d[n] * etapow[n];
      ck += ckterm;
      if (Math.abs(ckterm) < MACHEP * Math.abs(ck)) break;
    }
    const term = ck * afac;
    const absterm = Math.abs(term);
    if (absterm > absoldterm) break;
    sum += term;
    if (absterm < MACHEP * Math.abs(sum)) break;
    absoldterm = absterm;
    afac /= a;
  }
  return res + (sgn * Math.exp(-0.5 * a * eta * eta) * sum) / Math.sqrt(2 * Math.PI * a);
}

function inAsymptoticRegime(a: number, x: number): boolean {
  const r = Math.abs(x - a) / a;
  return (a > SMALL && a < LARGE && r < SMALLRATIO) || (a > LARGE && r < LARGERATIO / Math.sqrt(a));
}

/** Regularized upper incomplete gamma Q(a, x) = scipy.special.gammaincc(a, x). */
export function gammaincc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || x < 0 || a < 0) return NaN;
  if (a === 0) return x > 0 ? 0 : NaN;
  if (x === 0) return 1;
  if (!Number.isFinite(a)) return Number.isFinite(x) ? 1 : NaN;
  if (!Number.isFinite(x)) return 0;
  if (inAsymptoticRegime(a, x)) return asymptoticSeries(a, x, true);
  if (x > 1.1) return x < a ? 1 - igamSeries(a, x) : igamcContinuedFraction(a, x);
  if (x <= 0.5) return -0.4 / Math.log(x) < a ? 1 - igamSeries(a, x) : igamcSeries(a, x);
  return x * 1.1 < a ? 1 - igamSeries(a, x) : igamcSeries(a, x);
}

/** scipy.stats.chi2.sf(x, df) (cephes chdtrc). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return NaN;
  if (x <= 0) return 1;
  return gammaincc(df / 2, x / 2);
}
