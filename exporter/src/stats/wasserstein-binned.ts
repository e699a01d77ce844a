// Wasserstein-1 from bin counts on shared edges, each bin's mass spread uniformly between its
// bounds; the outer bins are closed by lo (<= e1) and hi (>= ek-1), the min/max over both sides.
// The two CDFs are then piecewise linear, and |Fref - Fcur| is integrated exactly.

/** Approximate W1; NaN when either side is empty. See wassersteinBinnedErrorBound for the bound. */
export function wassersteinFromBins(
  edges: ArrayLike<number>,
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  lo: number,
  hi: number,
): number {
  const bounds = binBounds(edges, refCounts, curCounts, lo, hi);
  const nRef = sum(refCounts);
  const nCur = sum(curCounts);
  if (nRef === 0 || nCur === 0) return NaN;
  let cumRef = 0;
  let cumCur = 0;
  let total = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const d0 = cumRef / nRef - cumCur / nCur;
    cumRef += refCounts[i];
    cumCur += curCounts[i];
    const d1 = cumRef / nRef - cumCur / nCur;
    total += integrateAbsLinear(d0, d1, bounds[i + 1] - bounds[i]);
  }
  return total;
}

/** ∫ |d(t)| over a bin of width w where d goes linearly from d0 to d1. */
function integrateAbsLinear(d0: number, d1: number, w: number): number {
  if (d0 === 0 && d1 === 0) return 0; // also keeps an infinite-width empty bin at 0
  const a0 = Math.abs(d0);
  const a1 = Math.abs(d1);
  if (Math.sign(d0) * Math.sign(d1) >= 0) return (w * (a0 + a1)) / 2;
  // Sign change: two triangles meeting at the root.
  return (w * (d0 * d0 + d1 * d1)) / (2 * (a0 + a1));
}

/** [lo, e1, ..., ek-1, hi], checked against the counts. */
export function binBounds(
  edges: ArrayLike<number>,
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  lo: number,
  hi: number,
): number[] {
  const k = edges.length + 1;
  if (refCounts.length !== k || curCounts.length !== k) {
    throw new RangeError(`expected ${k} bins, got ${refCounts.length} and ${curCounts.length}`);
  }
  if (edges.length > 0 && (lo > edges[0] || hi < edges[edges.length - 1])) {
    throw new RangeError('lo must be <= the first edge and hi >= the last edge');
  }
  return [lo, ...Array.from(edges), hi];
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
