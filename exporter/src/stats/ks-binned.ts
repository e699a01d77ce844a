// Two-sample KS from bin counts on shared ascending edges (the reference "fine CDF" bins
// (-inf, e1), [e1, e2), ..., [ek-1, +inf)), for when only a profile or window counts exist.
import { ksPValue } from './ks.ts';

export interface BinnedKsResult {
  statistic: number;
  pvalue: number;
  errorBound: number;
}

/**
 * D = max over the edges of |Fref(e) - Fcur(e)|, F(e) = share of values < e. Both ECDFs move by at
 * most their bin's share inside a bin, so the raw-sample D lies within [D, D + errorBound] with
 * errorBound = max over bins of max(ref share, cur share). The p-value is ksPValue(D, nRef, nCur)
 * and is therefore the p-value of the lower end of that interval (anti-conservative by at most
 * the bound). NaN when either side is empty.
 */
export function ksFromBins(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  /** false skips the finite-sample p-value (NaN then), which costs milliseconds. */
  withPValue = true,
): BinnedKsResult {
  if (refCounts.length !== curCounts.length) {
    throw new RangeError(`bin count mismatch: ${refCounts.length} vs ${curCounts.length}`);
  }
  const nRef = sum(refCounts);
  const nCur = sum(curCounts);
  if (nRef === 0 || nCur === 0) return { statistic: NaN, pvalue: NaN, errorBound: NaN };
  let cumRef = 0;
  let cumCur = 0;
  let d = 0;
  let errorBound = 0;
  for (let i = 0; i < refCounts.length; i++) {
    // Edge i sits after bin i - 1: F(e_i) counts the bins before it.
    if (i > 0) d = Math.max(d, Math.abs(cumRef / nRef - cumCur / nCur));
    errorBound = Math.max(errorBound, refCounts[i] / nRef, curCounts[i] / nCur);
    cumRef += refCounts[i];
    cumCur += curCounts[i];
  }
  return { statistic: d, pvalue: withPValue ? ksPValue(d, nRef, nCur) : NaN, errorBound };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
