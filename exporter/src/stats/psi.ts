// Population stability index over shared bins: sum (cur - ref) ln(cur / ref) of the shares,
// with an empty bin's share replaced by 1e-4 on either side and no renormalisation (exporter/README.md, "Statistics: definitions").

const EMPTY_SHARE = 1e-4;

/** PSI of two count vectors on the same bins; NaN when either side has no values. */
export function psi(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  assertSameLength(refCounts, curCounts);
  const refTotal = total(refCounts);
  const curTotal = total(curCounts);
  if (refTotal === 0 || curTotal === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < refCounts.length; i++) sum += psiTerm(refCounts[i], refTotal, curCounts[i], curTotal);
  return sum;
}

/** PSI's per-bin terms (each ≥ 0, summing to psi()), so an alert can say which bins moved; empty when a side has no values. */
export function psiContributions(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Float64Array {
  assertSameLength(refCounts, curCounts);
  const refTotal = total(refCounts);
  const curTotal = total(curCounts);
  if (refTotal === 0 || curTotal === 0) return new Float64Array(0);
  return Float64Array.from(refCounts, (ref, i) => psiTerm(ref, refTotal, curCounts[i], curTotal));
}

/** One bin's term (c − r)·ln(c / r) of the shares, an empty bin's share taken as 1e-4. */
function psiTerm(refCount: number, refTotal: number, curCount: number, curTotal: number): number {
  const r = refCount === 0 ? EMPTY_SHARE : refCount / refTotal;
  const c = curCount === 0 ? EMPTY_SHARE : curCount / curTotal;
  return (c - r) * Math.log(c / r);
}

function total(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i];
  return s;
}

function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`bin count mismatch: ${a.length} vs ${b.length}`);
}
