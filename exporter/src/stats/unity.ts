// cephes' log1p, log1pmx and expm1 (scipy xsf `unity.h`); scipy's incomplete gamma and
// Smirnov code call these, not the C library's.
import { polevl, p1evl } from './polevl.ts';

const LP = [
  4.52700008624452e-5, 0.49854102823193375, 6.578732594206104, 29.911919328553072, 60.94966798098779, 57.11296359058554,
  20.039553499201283,
];
const LQ = [
  15.062909083469192, 83.04756596796722, 221.76239823732857, 309.09872225312057, 216.42788614495947, 60.11866049760384,
];
const EP = [0.00012617719307481058, 0.030299440770744195, 1];
const EQ = [3.0019850513866446e-6, 0.002524483403496841, 0.22726554820815503, 2];
export const MACHEP = 1.1102230246251565e-16; // 2^-53

export function log1p(x: number): number {
  const z = 1 + x;
  if (z < Math.SQRT1_2 || z > Math.SQRT2) return Math.log(z);
  const zz = x * x;
  return x + (-0.5 * zz + x * ((zz * polevl(x, LP, 6)) / p1evl(x, LQ, 6)));
}

/** log(1 + x) - x, by its series near 0 to avoid cancellation. */
export function log1pmx(x: number): number {
  if (Math.abs(x) >= 0.5) return log1p(x) - x;
  let xfac = x;
  let res = 0;
  for (let n = 2; n < 500; n++) {
    xfac *= -x;
    const term = xfac / n;
    res += term;
    if (Math.abs(term) < MACHEP * Math.abs(res)) break;
  }
  return res;
}

export function expm1(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? x : x > 0 ? x : -1;
  if (x < -0.5 || x > 0.5) return Math.exp(x) - 1;
  const xx = x * x;
  let r = x * polevl(xx, EP, 2);
  r = r / (polevl(xx, EQ, 3) - r);
  return r + r;
}
