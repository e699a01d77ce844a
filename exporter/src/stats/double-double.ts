// Double-double arithmetic (about 106-bit significand), ported from the qd package as used by
// scipy's xsf `dd_real.h`, so that the Smirnov sums round exactly as scipy's do.

export interface DD {
  readonly hi: number;
  readonly lo: number;
}

export const dd = (hi: number, lo = 0): DD => ({ hi, lo });

const SPLITTER = 134217729; // 2^27 + 1
const SPLIT_THRESH = 6.69692879491417e299; // 2^996

// Veltkamp split; the product error it yields is exact, like fma(a, b, -p) in the C++ code.
function split(a: number): [number, number] {
  if (a > SPLIT_THRESH || a < -SPLIT_THRESH) {
    const s = a * 3.7252902984809574e-9; // 2^-28
    const t = SPLITTER * s;
    const hi = t - (t - s);
    return [hi * 268435456, (s - hi) * 268435456];
  }
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

/** [fl(a*b), exact error] */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  if (!Number.isFinite(p)) return [p, 0];
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** [fl(a+b), exact error], assuming |a| >= |b| */
function quickTwoSum(a: number, b: number): [number, number] {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const c = s - a;
  return [s, a - (s - c) + (b - c)];
}

export function add(x: DD, y: DD): DD {
  const [s1a, s2a] = twoSum(x.hi, y.hi);
  const [t1, t2] = twoSum(x.lo, y.lo);
  const [s1b, s2b] = quickTwoSum(s1a, s2a + t1);
  const [hi, lo] = quickTwoSum(s1b, s2b + t2);
  return { hi, lo };
}

export function addNum(x: DD, y: number): DD {
  const [s1, s2] = twoSum(x.hi, y);
  const [hi, lo] = quickTwoSum(s1, s2 + x.lo);
  return { hi, lo };
}

export const neg = (x: DD): DD => ({ hi: -x.hi, lo: -x.lo });
export const sub = (x: DD, y: DD): DD => add(x, neg(y));
export const subNum = (x: DD, y: number): DD => addNum(x, -y);

export function mul(x: DD, y: DD): DD {
  const [p1, p2] = twoProd(x.hi, y.hi);
  const [hi, lo] = quickTwoSum(p1, p2 + (x.hi * y.lo + x.lo * y.hi));
  return { hi, lo };
}

export function mulNum(x: DD, y: number): DD {
  const [p1, e1] = twoProd(x.hi, y);
  const [p2, e2] = twoProd(x.lo, y);
  const [hi, lo] = quickTwoSum(p1, e2 + p2 + e1);
  return { hi, lo };
}

export function div(x: DD, y: DD): DD {
  const q1 = x.hi / y.hi;
  let r = sub(x, mulNum(y, q1));
  const q2 = r.hi / y.hi;
  r = sub(r, mulNum(y, q2));
  const q3 = r.hi / y.hi;
  const [a, b] = quickTwoSum(q1, q2);
  return addNum({ hi: a, lo: b }, q3);
}

export const divNum = (x: DD, y: number): DD => div(x, dd(y));

export function floorDD(a: DD): DD {
  const hi = Math.floor(a.hi);
  if (hi !== a.hi) return { hi, lo: 0 };
  const [h, l] = quickTwoSum(hi, Math.floor(a.lo));
  return { hi: h, lo: l };
}

export const isFiniteDD = (a: DD): boolean => Number.isFinite(a.hi);

export function ldexpDD(a: DD, e: number): DD {
  return { hi: ldexp(a.hi, e), lo: ldexp(a.lo, e) };
}

/** Mantissa in [0.5, 1) (or exactly 0.5 adjusted as qd does) and exponent. */
export function frexpDD(a: DD): [DD, number] {
  let [man, e] = frexp(a.hi);
  let b1 = ldexp(a.lo, -e);
  if (Math.abs(man) === 0.5 && man * b1 < 0) {
    man *= 2;
    b1 *= 2;
    e -= 1;
  }
  return [{ hi: man, lo: b1 }, e];
}

// Bit access for frexp; the platform is little-endian wherever Node runs (word 1 is the high one).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// 2^e for e = -1022..1023, so ldexp costs a table lookup instead of Math.pow.
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => 2 ** (i - 1022));

/** C frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x for 0, NaN, ±Infinity; e = 0). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let extra = 0;
  f64[0] = x;
  if ((u32[1] & 0x7ff00000) === 0) {
    // Subnormal: scale into the normal range first.
    f64[0] = x * 2 ** 64;
    extra = -64;
  }
  const e = ((u32[1] >>> 20) & 0x7ff) - 1022 + extra;
  u32[1] = (u32[1] & 0x800fffff) | (1022 << 20);
  return [f64[0], e];
}

/** C ldexp / musl scalbn: one rounding at the end even when the result is subnormal. */
export function ldexp(x: number, n: number): number {
  let y = x;
  if (n > 1023) {
    y *= POW2[2045];
    n -= 1023;
    if (n > 1023) {
      y *= POW2[2045];
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    y *= POW2[53]; // 2^-969
    n += 1022 - 53;
    if (n < -1022) {
      y *= POW2[53];
      n += 1022 - 53;
      if (n < -1022) n = -1022;
    }
  }
  return y * POW2[n + 1022];
}
