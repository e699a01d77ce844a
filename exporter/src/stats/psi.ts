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
  for (let i = 0; i < refCounts.length; i++) {
    const r = refCounts[i] === 0 ? EMPTY_SHARE : refCounts[i] / refTotal;
    const c = curCounts[i] === 0 ? EMPTY_SHARE : curCounts[i] / curTotal;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

function total(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i];
  return s;
}

function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`bin count mismatch: ${a.length} vs ${b.length}`);
}
