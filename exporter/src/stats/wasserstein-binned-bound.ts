// Error bound of wassersteinFromBins against the raw-sample distance.
import { binBounds } from './wasserstein-binned.ts';

/**
 * Inside bin j each true CDF stays within the bin's cumulative range, as the uniform one does, so
 * |true F - approx F| <= share_j on each side and |W_true - W_binned| <= sum_j width_j (ref_j + cur_j)
 * (shares of each side). Valid when lo/hi are the true min/max of both samples.
 */
export function wassersteinBinnedErrorBound(
  edges: ArrayLike<number>,
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  lo: number,
  hi: number,
): number {
  const bounds = binBounds(edges, refCounts, curCounts, lo, hi);
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < refCounts.length; i++) {
    nRef += refCounts[i];
    nCur += curCounts[i];
  }
  if (nRef === 0 || nCur === 0) return NaN;
  let bound = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const shares = refCounts[i] / nRef + curCounts[i] / nCur;
    if (shares > 0) bound += (bounds[i + 1] - bounds[i]) * shares;
  }
  return bound;
}
