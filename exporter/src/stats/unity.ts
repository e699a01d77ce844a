// cephes' log1p, log1pmx and expm1 (scipy xsf `unity.h`); scipy's incomplete gamma and
// Smirnov code call these, not the C library's.
import { polevl, p1evl } from './polevl.ts';

const LP = [
  4.5270000862445199635215e-5, 4.9854102823193375972212e-1, 6.5787325942061044846969e0,
  2.9911919328553073277375e1, 6.0949667980987787057556e1, 5.7112963590585538103336e1,
  2.0039553499201281259648e1,
];
const LQ = [
  1.5062909083469192043167e1, 8.3047565967967209469434e1, 2.2176239823732856465394e2,
  3.0909872225312059774938e2, 2.1642788614495947685003e2, 6.0118660497603843919306e1,
];
const EP = [1.2617719307481059087798e-4, 3.0299440770744196129956e-2, 9.9999999999999999991025e-1];
const EQ = [
  3.0019850513866445504159e-6, 2.5244834034968410419224e-3, 2.2726554820815502876593e-1,
  2.0000000000000000000897e0,
];
export const MACHEP = 1.1102230246251565404236316680908203125e-16; // 2^-53

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
