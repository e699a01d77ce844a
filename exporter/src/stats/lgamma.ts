// log|Gamma(x)| for x > 0 and its helpers, ported from cephes as shipped in scipy's xsf
// (`gamma.h`, `lanczos.h`, `unity.h`), so chi2.sf matches scipy's igamc closely.
import { ZETA_INT } from './igam-coefficients.ts';
import { polevl, p1evl, ratevl } from './polevl.ts';
import { MACHEP } from './unity.ts';

const A = [
  0.0008116141674705085, -0.0005950619042843014, 0.0007936503404577169, -0.002777777777300997, 0.08333333333333319,
];
const B = [
  -1378.2515256912086, -38801.631513463784, -331612.9927388712, -1162370.974927623, -1721737.0082083966,
  -853555.6642457654,
];
const C = [
  -351.81570143652345, -17064.210665188115, -220528.59055385445, -1139334.4436798252, -2532523.0717758294,
  -2018891.4143353277,
];
const LS2PI = 0.9189385332046728; // log(sqrt(2*pi))
const MAXLGM = 2.556348e305;
const EULER = 0.5772156649015329;

/** cephes lgam for x > 0 (the only domain the incomplete gamma needs). */
export function lgam(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x <= 0) return x === 0 ? Infinity : NaN;
  if (x < 13) {
    let z = 1;
    let p = 0;
    let u = x;
    while (u >= 3) {
      p -= 1;
      u = x + p;
      z *= u;
    }
    while (u < 2) {
      z /= u;
      p += 1;
      u = x + p;
    }
    if (z < 0) z = -z;
    if (u === 2) return Math.log(z);
    const t = x + (p - 2);
    return Math.log(z) + (t * polevl(t, B, 5)) / p1evl(t, C, 6);
  }
  if (x > MAXLGM) return Infinity;
  const q = (x - 0.5) * Math.log(x) - x + LS2PI;
  if (x >= 1000) {
    if (x > 100000000) return q;
    const p = 1 / (x * x);
    return q + ((0.0007936507936507937 * p - 0.002777777777777778) * p + 0.08333333333333333) / x;
  }
  return q + polevl(1 / (x * x), A, 4) / x;
}

function lgam1pTaylor(x: number): number {
  if (x === 0) return 0;
  let res = -EULER * x;
  let xfac = -x;
  for (let n = 2; n < 42; n++) {
    xfac *= -x;
    const coeff = (ZETA_INT[n] * xfac) / n;
    res += coeff;
    if (Math.abs(coeff) < MACHEP * Math.abs(res)) break;
  }
  return res;
}

/** log Gamma(1 + x), accurate near x = 0 and x = 1. */
export function lgam1p(x: number): number {
  if (Math.abs(x) <= 0.5) return lgam1pTaylor(x);
  if (Math.abs(x - 1) < 0.5) return Math.log(x) + lgam1pTaylor(x - 1);
  return lgam(x + 1);
}

export const LANCZOS_G = 6.02468004077673;
const EXPG_NUM = [
  0.006061842346248907, 0.5098416655656676, 19.519927882476175, 449.9445569063168, 6955.999602515376, 75999.29304014542,
  601859.6171681099, 3481712.154980646, 14605578.087685067, 43338889.32467614, 86363131.2881386, 103794043.11634454,
  56906521.913471565,
];
const EXPG_DENOM = [
  1, 66, 1925, 32670, 357423, 2637558, 13339535, 45995730, 105258076, 150917976, 120543840, 39916800, 0,
];

/** Lanczos sum scaled by exp(-g), as boost/scipy use in the incomplete gamma prefactor. */
export function lanczosSumExpgScaled(x: number): number {
  return ratevl(x, EXPG_NUM, 12, EXPG_DENOM, 12);
}
