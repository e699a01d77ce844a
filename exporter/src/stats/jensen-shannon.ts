// scipy.spatial.distance.jensenshannon(p, q, base=2) on bin counts: each side normalised to
// shares, no 1e-4 replacement (an empty bin contributes 0 through rel_entr).

/** Jensen-Shannon distance in [0, 1]; NaN when either side has no values. */
export function jensenShannonDistance(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  if (refCounts.length !== curCounts.length) {
    throw new RangeError(`bin count mismatch: ${refCounts.length} vs ${curCounts.length}`);
  }
  const pTotal = sum(refCounts);
  const qTotal = sum(curCounts);
  if (pTotal === 0 || qTotal === 0) return NaN;
  let left = 0;
  let right = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const p = refCounts[i] / pTotal;
    const q = curCounts[i] / qTotal;
    const m = (p + q) / 2;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  const js = (left + right) / Math.LN2;
  // Rounding can leave a hair below 0 for identical inputs; scipy would return NaN there.
  return Math.sqrt(Math.max(js, 0) / 2);
}

/**
 * The per-bin terms of the base-2 Jensen-Shannon divergence (p·ln(p/m) + q·ln(q/m)) / (2 ln 2),
 * m = (p + q)/2, each ≥ 0: they sum to jensenShannonDistance()². Empty when a side has no values.
 */
export function jensenShannonContributions(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Float64Array {
  if (refCounts.length !== curCounts.length) {
    throw new RangeError(`bin count mismatch: ${refCounts.length} vs ${curCounts.length}`);
  }
  const pTotal = sum(refCounts);
  const qTotal = sum(curCounts);
  if (pTotal === 0 || qTotal === 0) return new Float64Array(0);
  const terms = new Float64Array(refCounts.length);
  for (let i = 0; i < terms.length; i++) {
    const p = refCounts[i] / pTotal;
    const q = curCounts[i] / qTotal;
    const m = (p + q) / 2;
    terms[i] = (relEntr(p, m) + relEntr(q, m)) / (2 * Math.LN2);
  }
  return terms;
}

/** scipy.special.rel_entr for the non-negative shares used here. */
function relEntr(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log(x / y);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
