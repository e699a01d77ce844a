// log|Gamma(x)| for x > 0 and its helpers, ported from cephes as shipped in scipy's xsf
// (`gamma.h`, `lanczos.h`, `unity.h`), so chi2.sf matches scipy's igamc closely.
import { ZETA_INT } from './igam-coefficients.ts';
import { polevl, p1evl, ratevl } from './polevl.ts';
import { MACHEP } from './unity.ts';

const A = [
  8.11614167470508450300e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4,
  -2.77777777730099687205e-3, 8.33333333333331927722e-2,
];
const B = [
  -1.378251525691208591e3, -3.88016315134637840924e4, -3.31612992738871184744e5,
  -1.16237097492762307383e6, -1.72173700820839662146e6, -8.53555664245765465627e5,
];
const C = [
  -3.51815701436523470549e2, -1.70642106651881159223e4, -2.20528590553854454839e5,
  -1.13933444367982507207e6, -2.53252307177582951285e6, -2.01889141433532773231e6,
];
const LS2PI = 0.91893853320467274178; // log(sqrt(2*pi))
const MAXLGM = 2.556348e305;
const EULER = 0.577215664901532860606512090082402431;

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
    if (x > 1e8) return q;
    const p = 1 / (x * x);
    return (
      q + ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x
    );
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

export const LANCZOS_G = 6.024680040776729583740234375;
const EXPG_NUM = [
  0.006061842346248906525783753964555936883222, 0.5098416655656676188125178644804694509993,
  19.51992788247617482847860966235652136208, 449.9445569063168119446858607650988409623,
  6955.999602515376140356310115515198987526, 75999.29304014542649875303443598909137092,
  601859.6171681098786670226533699352302507, 3481712.15498064590882071018964774556468,
  14605578.08768506808414169982791359218571, 43338889.32467613834773723740590533316085,
  86363131.28813859145546927288977868422342, 103794043.1163445451906271053616070238554,
  56906521.91347156388090791033559122686859,
];
const EXPG_DENOM = [
  1, 66, 1925, 32670, 357423, 2637558, 13339535, 45995730, 105258076, 150917976, 120543840,
  39916800, 0,
];

/** Lanczos sum scaled by exp(-g), as boost/scipy use in the incomplete gamma prefactor. */
export function lanczosSumExpgScaled(x: number): number {
  return ratevl(x, EXPG_NUM, 12, EXPG_DENOM, 12);
}
