// scipy.special.smirnov(n, x): the one-sided Kolmogorov-Smirnov survival function
// P(D_n^+ >= x), ported from xsf `cephes/kolmogorov.h` (`_smirnov`, sf part only). The sums run in
// double-double arithmetic there, so they do here, with binomials kept as mantissa and exponent.
import type { DD } from './double-double.ts';
import {
  add,
  addNum,
  dd,
  div,
  divNum,
  floorDD,
  frexpDD,
  isFiniteDD,
  ldexpDD,
  mul,
  mulNum,
  sub,
  subNum,
} from './double-double.ts';
import { smirnovLowerSumLog } from './smirnov-log-sum.ts';
import { expm1 } from './unity.ts';

const EPS = Number.EPSILON;
const MINLOG = -745.1332191019412; // log(2^-1075)
const MAX_COMPUTE_N = 1000000;
const UPPER_MAX_TERMS = 3;
const UPPERSUM_MIN_N = 10;
// Below 1023 - 52 so both parts of a double-double stay normalised.
const MAX_EXPONENT = 960;
// Longer lower sums run in log space (smirnov-log-sum.ts): the same sum, 30× faster.
const LOG_SUM_MIN_TERMS = 1000;

/** floor(n*x) and its remainder, computed exactly; a remainder rounding to 1 carries over. */
function modNX(n: number, x: number): { alpha: number; nxfl: number } {
  const nxD = mulNum(dd(x), n);
  const fl = floorDD(nxD);
  let alpha = sub(nxD, fl).hi;
  let nxfl = Math.trunc(fl.hi);
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  return { alpha, nxfl };
}

/** C = C * (n - j) / (j + 1), kept as a mantissa in [0.5, 1) and an exponent. */
function updateBinomial(c: { man: DD; expt: number }, n: number, j: number): void {
  const rat = divNum(dd(n - j), j + 1);
  const [man, e] = frexpDD(mul(c.man, rat));
  c.expt += e;
  c.man = man;
}

/** a^m: pow() on the high part, corrected for the low part (xsf's accuracy/time trade-off). */
function powD(a: DD, m: number): DD {
  if (m <= 0) return m === 0 ? dd(1) : div(dd(1), powD(a, -m));
  if (a.hi === 0 && a.lo === 0) return dd(0);
  const ans = Math.pow(a.hi, m);
  const r = a.lo / a.hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    adj = Math.abs(adj) < 1e-4 ? adj + m * r * (((m - 1) / 2) * r) : expm1(m * Math.log1p(r));
  }
  return addNum(dd(ans), ans * adj);
}

function nextPowerOf2(x: number): number {
  const q = x * 2 ** (1 - 53);
  let l = Math.abs(q + x);
  if (l === 0) return Math.abs(x);
  const li = Math.trunc(l);
  if (li === l) l = li;
  return l;
}

/** a^m as [significand, exponent], split into pieces so no piece underflows. */
function pow2Scaled(a: DD, m: number): [DD, number] {
  if (m <= 0) {
    if (m === 0) return [dd(1), 0];
    const [inv, e1] = pow2Scaled(a, -m);
    const [man, e2] = frexpDD(div(dd(1), inv));
    return [man, -e1 + e2];
  }
  const [y, yE] = frexpDD(a);
  if (m === 1) return [y, yE];
  let maxExpt = MAX_EXPONENT;
  if ((m * (y.hi - 1)) / y.hi < -MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(y.hi) / Math.LN2;
    if (m * lg2y <= -MAX_EXPONENT) {
      maxExpt = Math.trunc(nextPowerOf2(-MAX_EXPONENT / lg2y + 1) / 2);
    }
  }
  if (m <= maxExpt) {
    const [ans, e] = frexpDD(powD(y, m));
    return [ans, e + m * yE];
  }
  const q = Math.trunc(m / maxExpt);
  const r = m % maxExpt;
  const [y2r, y2rE] = pow2Scaled(y, r);
  const [y2m, y2mE] = pow2Scaled(y, maxExpt);
  const [y2mq, y2mqE0] = pow2Scaled(y2m, q);
  const [ans, e] = frexpDD(mul(y2r, y2mq));
  return [ans, e + y2mqE0 + y2mE * q + y2rE + m * yE];
}

/** ((a + b) / (c + d))^m in double-double. */
function pow4D(a: number, b: number, c: number, d: number, m: number): DD {
  if (m <= 0) return m === 0 ? dd(1) : pow4D(c, d, a, b, -m);
  const num = addNum(dd(a), b);
  const den = addNum(dd(c), d);
  if (num.hi === 0 && num.lo === 0) return den.hi === 0 && den.lo === 0 ? dd(NaN, NaN) : dd(0);
  if (den.hi === 0 && den.lo === 0) return num.hi < 0 ? dd(-Infinity, -Infinity) : dd(Infinity, Infinity);
  return powD(div(num, den), m);
}

/** A_v = C(n, v) (1 - x - v/n)^(n - v) (x + v/n)^(v - 1). */
function computeAv(n: number, x: number, v: number, c: { man: DD; expt: number }): DD {
  const t2x = subNum(divNum(dd(n - v), n), x);
  const [t2, t2E] = pow2Scaled(t2x, n - v);
  const t1x = addNum(divNum(dd(v), n), x);
  const [t1, t1E] = pow2Scaled(t1x, v - 1);
  const ans = mul(mul(t1, t2), c.man);
  return ldexpDD(ans, c.expt + t1E + t2E);
}

/** P(D_n^+ >= x) = scipy.special.smirnov(n, x). */
export function smirnov(n: number, x: number): number {
  if (Number.isNaN(x) || !(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { alpha, nxfl } = modNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const t = powD(addNum(dd(1), x), n - 1).hi;
    return clamp01(1 - x * t);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clamp01(powD(addNum(dd(1), -x), n).hi);
  if (n > MAX_COMPUTE_N) {
    // Large-n approximation p ~ exp(-(6nx + 1)^2 / 18n), as xsf does.
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clamp01(logp < -Math.LN2 ? Math.exp(logp) : 1 + expm1(logp));
  }
  return clamp01(smirnovSum(n, x, n1mxfl, n1mxceil));
}

/** The Birnbaum-Tingey sum (or its complement, the upper sum) over v. */
function smirnovSum(n: number, x: number, n1mxfl: number, n1mxceil: number): number {
  // The upper sum alternates in sign, so it is only used when it has very few terms.
  const nUpperTerms = n - n1mxceil + 1;
  const useUpper =
    (nUpperTerms <= 1 && x < 0.5) || (n >= UPPERSUM_MIN_N && nUpperTerms <= UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
  const start = useUpper ? n : 0;
  const step = useUpper ? -1 : 1;
  const nTerms = useUpper ? n - n1mxceil + 1 : n1mxfl + 1;
  if (!useUpper && nTerms > LOG_SUM_MIN_TERMS) return smirnovLowerSumLog(n, x, nTerms);
  const vmid = Math.trunc(n / 2);
  const c = { man: dd(1), expt: 0 };
  let aj = useUpper ? pow4D(1, x, 1, 0, n - 1) : divNum(pow4D(1, -x, 1, 0, n), x);
  let ajSum = add(dd(0), aj);
  updateBinomial(c, n, 0);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    aj = computeAv(n, x, v, c);
    const zero = aj.hi === 0 && aj.lo === 0;
    if (isFiniteDD(aj) && !zero) ajSum = add(ajSum, aj);
    if (!zero) {
      if (4 * (nTerms - j) * Math.abs(aj.hi) < EPS * ajSum.hi && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    updateBinomial(c, n, j);
  }
  const prob = mulNum(ajSum, x).hi;
  return step < 0 ? 1 - prob : prob;
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
